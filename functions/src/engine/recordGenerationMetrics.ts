import { FieldValue, Firestore, WriteBatch } from "firebase-admin/firestore";
import { paths } from "../core/paths";
import type { CounterTree } from "./generationMetrics";

function asIncrements(tree: CounterTree): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(tree).map(([key, value]) => [
      key,
      typeof value === "number" ? FieldValue.increment(value) : asIncrements(value),
    ]),
  );
}

/** The UTC day a metrics document covers, `YYYY-MM-DD`. */
export const metricsDay = (now = new Date()) => now.toISOString().slice(0, 10);

/**
 * Adds one terminal outcome to `workspaces/{w}/metrics/{YYYY-MM-DD}` (UTC) inside the caller's
 * batch, so the outcome and its metrics land in one commit. Only increments: exact under any
 * concurrency, and no read, so a contended daily document never holds an invocation.
 */
export function addMetricsToBatch(
  db: Firestore,
  batch: WriteBatch,
  workspaceId: string,
  counters: CounterTree,
  now = new Date(),
): void {
  const day = metricsDay(now);
  batch.set(
    db.doc(paths.dailyMetrics(workspaceId, day)),
    { ...asIncrements(counters), date: day, updatedAt: FieldValue.serverTimestamp() },
    { merge: true },
  );
}
