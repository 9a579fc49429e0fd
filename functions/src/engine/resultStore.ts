import { Firestore, Timestamp } from "firebase-admin/firestore";
import type { GenerationStatus } from "../core/vocabulary";
import type { GenerationOutcome } from "./generationOutcome";
import type { ResultTarget } from "./generationTask";
import {
  createdOutcomeFields,
  generatingFields,
  outcomeFields,
  reclaimFields,
} from "./resultDocument";

/** gRPC ALREADY_EXISTS: a create() lost the race for the document. */
const ALREADY_EXISTS = 6;

function isAlreadyExists(err: unknown): boolean {
  return (
    typeof err === "object" && err !== null && (err as { code?: unknown }).code === ALREADY_EXISTS
  );
}

export type ClaimResult =
  { claimed: true; reclaimed: boolean } | { claimed: false; status: GenerationStatus | "unknown" };

/**
 * Claims the right to generate one result, atomically, keyed by the result document (the message
 * id for a suggestion): at-least-once delivery may hand the same event to two instances at once,
 * and only one of them may call the model. A claim still `generating` after `staleAfterMs` belongs to an
 * instance that died; a redelivery takes it over.
 */
export async function claimResult(
  db: Firestore,
  target: ResultTarget,
  staleAfterMs: number,
): Promise<ClaimResult> {
  const ref = db.doc(target.path);
  try {
    return await db.runTransaction(async (tx) => {
      const snapshot = await tx.get(ref);
      if (!snapshot.exists) {
        // create() rather than set(): where transactions are not isolated (the embedded test
        // emulator) the exists-precondition still lets exactly one claim win.
        tx.create(ref, generatingFields(target.identity));
        return { claimed: true, reclaimed: false } as const;
      }
      const status = snapshot.get("status");
      const updatedAt = snapshot.get("updatedAt");
      const age = updatedAt instanceof Timestamp ? Date.now() - updatedAt.toMillis() : Infinity;
      if (status === "generating" && age > staleAfterMs) {
        tx.update(ref, reclaimFields());
        return { claimed: true, reclaimed: true } as const;
      }
      return {
        claimed: false,
        status: typeof status === "string" ? (status as GenerationStatus) : "unknown",
      } as const;
    });
  } catch (err) {
    if (isAlreadyExists(err)) return { claimed: false, status: "generating" };
    throw err;
  }
}

/** Records the terminal outcome on a result this instance claimed. */
export async function recordOutcome(
  db: Firestore,
  target: ResultTarget,
  outcome: GenerationOutcome,
): Promise<void> {
  await db.doc(target.path).update(outcomeFields(outcome));
}

/**
 * Writes an outcome decided without a model call as a new document. Returns false when the
 * result already exists (a redelivered event), leaving it untouched.
 */
export async function createDecidedResult(
  db: Firestore,
  target: ResultTarget,
  outcome: GenerationOutcome,
): Promise<boolean> {
  try {
    await db.doc(target.path).create(createdOutcomeFields(target.identity, outcome));
    return true;
  } catch (err) {
    if (isAlreadyExists(err)) return false;
    throw err;
  }
}

/** Gives a claim back so that the platform's redelivery can start over at once. */
export async function releaseClaim(db: Firestore, target: ResultTarget): Promise<void> {
  await db.doc(target.path).delete();
}
