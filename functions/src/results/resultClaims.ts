import { randomUUID } from "node:crypto";
import {
  DocumentReference,
  DocumentSnapshot,
  FieldValue,
  Firestore,
  Timestamp,
  Transaction,
} from "firebase-admin/firestore";
import { GenerationStatus, hasEnded, isPending } from "../core/vocabulary";
import { log } from "../observability/log";
import type { ResultTarget } from "./resultTarget";
import { decideClaim } from "./claimDecision";
import { commitChecked, isAlreadyExists } from "../core/firestoreCommit";
import {
  ClaimStamp,
  claimOfRequestFields,
  generatingFields,
  reclaimFields,
  regenerateFields,
} from "./resultDocument";

export type ClaimResult =
  | {
      claimed: true;
      reclaimed: boolean;
      /** Written with the claim: how this invocation tells its own writes from another's. */
      token: string;
    }
  | { claimed: false; status: GenerationStatus | "unknown" };

/**
 * Claims the right to generate one result, atomically, keyed by the result document (the message
 * id for a suggestion): at-least-once delivery may hand the same event to two instances at once,
 * and only one of them may call the model. The common case is one create(); only when the
 * document exists does a transaction look at it: a claim still pending after `staleAfterMs`
 * belongs to an instance that died, and a redelivery takes it over. The claim carries a token
 * of this invocation's, so that a claim whose commit answer was lost is recognised as its own,
 * not taken for another instance's (which would leave the result pending with nobody on it).
 */
export async function claimResult(
  db: Firestore,
  target: ResultTarget,
  staleAfterMs: number,
  deadlineAtMs?: number,
  /** `queued`: the run goes to the bridge, so the result never shows `generating` first. */
  status: "generating" | "queued" = "generating",
  /**
   * Another document that shows the claim, in the same commit (a request `generating`). It is
   * read in the claim's transaction: while it is missing or has ended, nothing is claimed, since
   * the job it stands for is gone or over.
   */
  alsoShows?: { path: string; fields: Record<string, unknown> },
): Promise<ClaimResult> {
  const ref = db.doc(target.path);
  const mode = target.claim?.mode ?? "new";
  const token = randomUUID();
  const stamp: ClaimStamp = { claimToken: token, deadlineAtMs, status };
  const ours = async () => (await ref.get()).get("claimToken") === token;
  if (mode === "new" && !alsoShows) {
    try {
      await commitChecked(() => ref.create(generatingFields(target.identity, stamp)), ours);
      return { claimed: true, reclaimed: false, token };
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }
  // The transaction runs again when its commit answer is lost (UNKNOWN): it then finds its own
  // claim, and must report the decision it made the first time.
  let decided: ClaimResult | undefined;
  try {
    return await db.runTransaction(async (tx) => {
      const shows = alsoShows ? db.doc(alsoShows.path) : undefined;
      const [snapshot, shown] = await Promise.all([tx.get(ref), shows && tx.get(shows)]);
      if (decided?.claimed && snapshot.get("claimToken") === token) return decided;
      if (shown && (!shown.exists || hasEnded(shown.get("status")))) {
        decided = { claimed: false, status: shown.get("status") ?? "unknown" };
        return decided;
      }
      decided = applyClaim(tx, ref, snapshot, target, staleAfterMs, stamp);
      if (decided.claimed && shows && alsoShows) tx.set(shows, alsoShows.fields, { merge: true });
      return decided;
    });
  } catch (err) {
    if (isAlreadyExists(err)) return { claimed: false, status: "generating" };
    throw err;
  }
}

/** Applies a claim decision inside the claim's transaction. */
function applyClaim(
  tx: Transaction,
  ref: DocumentReference,
  snapshot: DocumentSnapshot,
  target: ResultTarget,
  staleAfterMs: number,
  stamp: ClaimStamp,
): ClaimResult {
  const updatedAt = snapshot.get("updatedAt");
  const decision = decideClaim(
    {
      exists: snapshot.exists,
      status: snapshot.get("status"),
      updatedAtMs: updatedAt instanceof Timestamp ? updatedAt.toMillis() : undefined,
      requestId: snapshot.get("requestId"),
    },
    target.claim,
    staleAfterMs,
  );
  if (!decision.claimed) return decision;
  switch (decision.write) {
    case "create":
      // create() rather than set(): where transactions are not isolated (the embedded
      // emulator) the precondition still lets one claim win.
      tx.create(ref, generatingFields(target.identity, stamp));
      break;
    case "reclaim":
      tx.update(ref, reclaimFields(stamp));
      break;
    case "claim_request":
      tx.update(ref, claimOfRequestFields(stamp));
      break;
    case "regenerate":
      if (target.claim?.mode === "regenerate") {
        tx.update(ref, regenerateFields(target.claim.requestId, stamp));
      }
      break;
  }
  return { claimed: true, reclaimed: decision.reclaimed, token: stamp.claimToken };
}

/**
 * Claims a queued result for the run whose job lease this process holds (the bridge): the lease
 * already made the run exclusive, so a result still pending is this run's, whoever claimed it
 * before; one that has ended (superseded while it waited) is not run.
 */
export async function claimLeasedResult(
  db: Firestore,
  target: ResultTarget,
  deadlineAtMs: number,
): Promise<ClaimResult> {
  const ref = db.doc(target.path);
  const stamp: ClaimStamp = { claimToken: randomUUID(), deadlineAtMs };
  let decided: ClaimResult | undefined;
  return db.runTransaction(async (tx) => {
    const snapshot = await tx.get(ref);
    if (decided?.claimed && snapshot.get("claimToken") === stamp.claimToken) return decided;
    const status = snapshot.get("status");
    if (!snapshot.exists) {
      tx.create(ref, generatingFields(target.identity, stamp));
      decided = { claimed: true, reclaimed: false, token: stamp.claimToken };
    } else if (isPending(status)) {
      tx.update(ref, reclaimFields(stamp));
      decided = { claimed: true, reclaimed: status !== "queued", token: stamp.claimToken };
    } else {
      decided = { claimed: false, status: status as GenerationStatus };
    }
    return decided;
  });
}

/**
 * Gives a claim back so that the platform's redelivery can start over at once: only while it is
 * still this invocation's (`token`) and still pending, so an outcome that did land is never
 * undone and another run's claim never taken away.
 */
export async function releaseClaim(
  db: Firestore,
  target: ResultTarget,
  token: string,
): Promise<void> {
  const ref = db.doc(target.path);
  await db.runTransaction(async (tx) => {
    const current = await tx.get(ref);
    if (current.get("claimToken") !== token || !isPending(current.get("status"))) return;
    // A document we did not create is handed back by clearing the claim, never deleted; a
    // suggestion generated again goes back to being claimable by its request's redelivery.
    if (target.claim?.mode === "request") {
      tx.update(ref, { status: FieldValue.delete(), claims: FieldValue.delete() });
    } else if (target.claim?.mode === "regenerate") {
      // Stale at once: the request's redelivery takes the suggestion over without waiting.
      tx.update(ref, { updatedAt: Timestamp.fromMillis(0) });
    } else {
      tx.delete(ref);
    }
  });
}

/**
 * Runs what a claim was taken for. Should Firestore fail meanwhile, the claim is handed back
 * before the error goes up, so that the platform's redelivery starts clean (a fresh claim would
 * make it a duplicate, and the result would wait for ever); if even that fails, the claim goes
 * stale and a later redelivery takes it over.
 */
export async function handingBackOnFailure<T>(
  db: Firestore,
  target: ResultTarget,
  token: string,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (err) {
    await releaseClaim(db, target, token).catch((releaseErr) =>
      log.error("could not hand a claim back", {
        ...target.logFields,
        error: String(releaseErr),
      }),
    );
    throw err;
  }
}
