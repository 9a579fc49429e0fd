import { FieldValue, Firestore, Timestamp, Transaction } from "firebase-admin/firestore";
import type { GenerationStatus } from "../core/vocabulary";
import type { GenerationOutcome } from "./generationOutcome";
import type { ResultTarget } from "./generationTask";
import type { CounterTree } from "./generationMetrics";
import { metricsWrite } from "./metricsWrite";
import { PENDING_STATUSES } from "./supersession";
import {
  claimOfRequestFields,
  createdOutcomeFields,
  generatingFields,
  outcomeFields,
  reclaimFields,
  regenerateFields,
} from "./resultDocument";

/** gRPC ALREADY_EXISTS: a create() lost the race for the document. */
const ALREADY_EXISTS = 6;
/** gRPC INVALID_ARGUMENT: Firestore will refuse this write however often it is sent. */
const INVALID_ARGUMENT = 3;

const grpcCode = (err: unknown) =>
  typeof err === "object" && err !== null ? (err as { code?: unknown }).code : undefined;

const isAlreadyExists = (err: unknown) => grpcCode(err) === ALREADY_EXISTS;

/** A write Firestore refuses for what it holds (too large, invalid), not for a passing fault. */
export const isPermanentWriteError = (err: unknown) => grpcCode(err) === INVALID_ARGUMENT;

export type ClaimResult =
  { claimed: true; reclaimed: boolean } | { claimed: false; status: GenerationStatus | "unknown" };

const PENDING: unknown[] = PENDING_STATUSES;

/**
 * Claims the right to generate one result, atomically, keyed by the result document (the message
 * id for a suggestion): at-least-once delivery may hand the same event to two instances at once,
 * and only one of them may call the model. The common case is one create(); only when the
 * document exists does a transaction look at it: a claim still pending after `staleAfterMs`
 * belongs to an instance that died, and a redelivery takes it over.
 */
export async function claimResult(
  db: Firestore,
  target: ResultTarget,
  staleAfterMs: number,
): Promise<ClaimResult> {
  const ref = db.doc(target.path);
  const mode = target.claim?.mode ?? "new";
  if (mode === "new") {
    try {
      await ref.create(generatingFields(target.identity));
      return { claimed: true, reclaimed: false };
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }
  try {
    return await db.runTransaction(async (tx) => {
      const snapshot = await tx.get(ref);
      const status = snapshot.get("status");
      const updatedAt = snapshot.get("updatedAt");
      const age = updatedAt instanceof Timestamp ? Date.now() - updatedAt.toMillis() : Infinity;
      const taken = { claimed: false, status: (status as GenerationStatus) ?? "unknown" } as const;
      if (!snapshot.exists) {
        if (mode === "request") return taken; // the request was deleted meanwhile
        // Released by a failed attempt meanwhile. create() rather than set(): where
        // transactions are not isolated (the embedded emulator) the precondition still
        // lets exactly one claim win.
        tx.create(ref, generatingFields(target.identity));
        return { claimed: true, reclaimed: false } as const;
      }
      if (PENDING.includes(status) && age > staleAfterMs) {
        tx.update(ref, reclaimFields());
        return { claimed: true, reclaimed: true } as const;
      }
      // A bridge holding the job's lease owns the run, whoever claimed the result before.
      if (mode === "bridge") {
        if (!PENDING.includes(status)) return taken;
        tx.update(ref, reclaimFields());
        return { claimed: true, reclaimed: status !== "queued" } as const;
      }
      if (mode === "request" && status === undefined) {
        tx.update(ref, claimOfRequestFields());
        return { claimed: true, reclaimed: false } as const;
      }
      if (target.claim?.mode === "regenerate") {
        const again =
          snapshot.get("requestId") !== target.claim.requestId && !PENDING.includes(status);
        if (again) {
          tx.update(ref, regenerateFields(target.claim.requestId));
          return { claimed: true, reclaimed: false } as const;
        }
      }
      return taken;
    });
  } catch (err) {
    if (isAlreadyExists(err)) return { claimed: false, status: "generating" };
    throw err;
  }
}

/**
 * Records the terminal outcome on a result this instance claimed, and its metrics, in one
 * commit: nothing is counted that was not recorded, and one round trip ends the invocation.
 */
export async function recordOutcome(
  db: Firestore,
  target: ResultTarget,
  outcome: GenerationOutcome,
  metrics: CounterTree,
): Promise<void> {
  const batch = db.batch();
  batch.update(db.doc(target.path), outcomeFields(outcome));
  // A result that mirrors another (a request answered by a suggestion) counts nothing itself.
  if (Object.keys(metrics).length > 0) {
    batch.set(...metricsWrite(db, target.workspaceId, metrics), { merge: true });
  }
  await batch.commit();
}

/**
 * Writes an outcome decided without a model call, with its metrics: as a new document, or on a
 * client's request that has no status yet. Returns false when the result already exists (a
 * redelivered event), leaving it and the metrics as they are.
 */
export async function createDecidedResult(
  db: Firestore,
  target: ResultTarget,
  outcome: GenerationOutcome,
  metrics: CounterTree,
): Promise<boolean> {
  const ref = db.doc(target.path);
  if (target.claim?.mode === "request") {
    return db.runTransaction(async (tx: Transaction) => {
      const snapshot = await tx.get(ref);
      if (!snapshot.exists || snapshot.get("status") !== undefined) return false;
      tx.update(ref, outcomeFields(outcome));
      tx.set(...metricsWrite(db, target.workspaceId, metrics), { merge: true });
      return true;
    });
  }
  const batch = db.batch();
  batch.create(ref, createdOutcomeFields(target.identity, outcome));
  batch.set(...metricsWrite(db, target.workspaceId, metrics), { merge: true });
  try {
    await batch.commit();
    return true;
  } catch (err) {
    if (isAlreadyExists(err)) return false;
    throw err;
  }
}

/** Gives a claim back so that the platform's redelivery can start over at once. */
export async function releaseClaim(db: Firestore, target: ResultTarget): Promise<void> {
  const ref = db.doc(target.path);
  // A document we did not create is handed back by clearing the claim, never deleted.
  if (target.claim?.mode === "request") {
    await ref.update({ status: FieldValue.delete(), claims: FieldValue.delete() });
  } else if (target.claim?.mode !== "regenerate" && target.claim?.mode !== "bridge") {
    await ref.delete();
  }
}
