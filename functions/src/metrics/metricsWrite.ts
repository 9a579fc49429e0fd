import { DocumentReference, FieldValue, Firestore } from "firebase-admin/firestore";
import { paths } from "../core/paths";
import { utcDay } from "../core/utcDay";
import type { CounterTree } from "./generationMetrics";

function asIncrements(tree: CounterTree): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(tree).map(([key, value]) => [
      key,
      typeof value === "number" ? FieldValue.increment(value) : asIncrements(value),
    ]),
  );
}

/**
 * The write that adds one terminal outcome to `workspaces/{w}/metrics/{YYYY-MM-DD}` (UTC), for the
 * caller's batch or transaction, so the outcome and its metrics land in one commit. Only
 * increments: exact under any concurrency, and no read, so a contended daily document never
 * holds an invocation. Set it with `{ merge: true }`.
 */
export function metricsWrite(
  db: Firestore,
  workspaceId: string,
  counters: CounterTree,
  now = new Date(),
): [DocumentReference, Record<string, unknown>] {
  const day = utcDay(now);
  return [
    db.doc(paths.dailyMetrics(workspaceId, day)),
    { ...asIncrements(counters), date: day, updatedAt: FieldValue.serverTimestamp() },
  ];
}
