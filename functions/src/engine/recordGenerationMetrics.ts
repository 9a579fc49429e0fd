import { FieldValue, Firestore } from "firebase-admin/firestore";
import { paths } from "../core/paths";
import type { GenerationOutcome } from "./generationOutcome";
import { CloudPrices, CounterTree, generationMetricsDelta } from "./generationMetrics";

function asIncrements(tree: CounterTree): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(tree).map(([key, value]) => [
      key,
      typeof value === "number" ? FieldValue.increment(value) : asIncrements(value),
    ]),
  );
}

/**
 * Adds one terminal suggestion to `workspaces/{w}/metrics/{YYYY-MM-DD}` (UTC) in one atomic commit.
 * Counters are increments, exact under any concurrency; the transaction's read is only for the
 * day's maximum latency, which Firestore's SDK has no transform for.
 */
export async function recordGenerationMetrics(
  db: Firestore,
  workspaceId: string,
  outcome: GenerationOutcome,
  prices: CloudPrices,
  now = new Date(),
): Promise<void> {
  const day = now.toISOString().slice(0, 10);
  const ref = db.doc(paths.dailyMetrics(workspaceId, day));
  const delta = generationMetricsDelta(outcome, prices);
  await db.runTransaction(async (tx) => {
    const update: Record<string, unknown> = {
      ...asIncrements(delta.counters),
      date: day,
      updatedAt: FieldValue.serverTimestamp(),
    };
    if (delta.latencyMs !== null) {
      const max = (await tx.get(ref)).get("latency.maxMs");
      if (typeof max !== "number" || delta.latencyMs > max) {
        update.latency = { ...(update.latency as Record<string, unknown>), maxMs: delta.latencyMs };
      }
    }
    tx.set(ref, update, { merge: true });
  });
}
