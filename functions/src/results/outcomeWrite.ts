import { randomUUID } from "node:crypto";
import { Firestore, Transaction } from "firebase-admin/firestore";
import type { RuntimeConfig } from "../config/runtimeConfig";
import type { ModelRequest } from "../providers/providerRouter";
import { commitChecked, isAlreadyExists } from "../core/firestoreCommit";
import type { GenerationOutcome } from "./generationOutcome";
import type { ResultTarget } from "./resultTarget";
import { hasEnded } from "../core/vocabulary";
import { metricsWrite } from "../metrics/metricsWrite";
import { metricsFor } from "./outcomes";
import { createdOutcomeFields, outcomeFields } from "./resultDocument";

/*
 * The write that ends a result: its terminal fields and what it adds to the day's metrics, in
 * one commit, so that nothing is counted that was not recorded and nothing twice. Every path
 * that ends a result comes through here (publishOutcome.ts then logs it).
 */

/** What the metrics of an outcome are keyed and priced by (none: an invalid configuration). */
export interface Counting {
  config?: RuntimeConfig;
  request?: ModelRequest;
}

/**
 * Records the terminal outcome on a result this instance claimed (`token`: its claim's), and
 * its metrics, in one transaction: nothing is counted that was not recorded, and nothing twice.
 * A transaction, not a batch: the SDK re-sends a batch after UNAVAILABLE even when the first
 * send landed (the increments would count twice), while a transaction that runs again reads the
 * result first and finds its own outcome there (`completedAt` is written by outcomes only). A
 * result another run has taken over (another token) is that run's to end.
 */
export async function writeOutcome(
  db: Firestore,
  target: ResultTarget,
  outcome: GenerationOutcome,
  counting: Counting,
  token: string,
): Promise<void> {
  const ref = db.doc(target.path);
  const metrics = metricsFor(outcome, counting.config, counting.request, target.metricsKey);
  await db.runTransaction(async (tx: Transaction) => {
    const current = await tx.get(ref);
    if (current.get("claimToken") !== token) return;
    if (current.get("completedAt") !== undefined) return;
    tx.update(ref, outcomeFields(outcome));
    // A result that mirrors another (a request answered by a suggestion) counts nothing itself.
    if (Object.keys(metrics).length > 0) {
      tx.set(...metricsWrite(db, target.workspaceId, metrics), { merge: true });
    }
  });
}

/**
 * Writes an outcome decided without a model call, with its metrics: as a new document, or on a
 * client's request that has no status yet. Returns false when the result already exists (a
 * redelivered event), leaving it and the metrics as they are.
 */
export async function writeDecidedResult(
  db: Firestore,
  target: ResultTarget,
  outcome: GenerationOutcome,
  counting: Counting,
  /**
   * On a client's request: `unclaimed` (default) writes only where no status is set yet;
   * `unended` also ends one still shown pending, whose run is gone (an agent's request refused
   * on its redelivery, after the claim of its result was handed back).
   */
  over: "unclaimed" | "unended" = "unclaimed",
): Promise<boolean> {
  const ref = db.doc(target.path);
  const metrics = metricsFor(outcome, counting.config, undefined, target.metricsKey);
  const token = randomUUID();
  if (target.claim?.mode === "request") {
    // A transaction that runs again after a lost commit answer finds its own token.
    return db.runTransaction(async (tx: Transaction) => {
      const snapshot = await tx.get(ref);
      if (snapshot.get("claimToken") === token) return true;
      const status = snapshot.get("status");
      const taken = over === "unclaimed" ? status !== undefined : hasEnded(status);
      if (!snapshot.exists || taken) return false;
      tx.update(ref, { ...outcomeFields(outcome), claimToken: token });
      tx.set(...metricsWrite(db, target.workspaceId, metrics), { merge: true });
      return true;
    });
  }
  const commit = () => {
    const batch = db.batch();
    batch.create(ref, createdOutcomeFields(target.identity, outcome, token));
    batch.set(...metricsWrite(db, target.workspaceId, metrics), { merge: true });
    return batch.commit();
  };
  try {
    await commitChecked(commit, async () => (await ref.get()).get("claimToken") === token);
    return true;
  } catch (err) {
    if (isAlreadyExists(err)) return false;
    throw err;
  }
}
