import { isPending, type SupersedeReason } from "../core/vocabulary";
import { DocumentReference, FieldValue, Firestore } from "firebase-admin/firestore";

/*
 * Latest-wins: a newer job (the customer's next message, the agent's own reply) owns what an
 * older job was going to produce. The newer job marks the older result `superseded`; the
 * instance running the older one sees `supersededBy` appear on its document and closes its
 * model call. Both may run on different instances: the document is how they talk.
 */

export { SUPERSEDE_REASONS, type SupersedeReason } from "../core/vocabulary";

export interface Supersession {
  /** The id of the newer job (a message id). */
  supersededBy: string;
  reason: SupersedeReason;
}

/**
 * Marks a result superseded unless it has already ended; the instance that owns it records the
 * outcome (and its metrics) when it notices. Returns whether the result gave way.
 */
export async function supersedeResult(
  db: Firestore,
  ref: DocumentReference,
  by: Supersession,
): Promise<boolean> {
  return db.runTransaction(async (tx) => {
    const snapshot = await tx.get(ref);
    if (!snapshot.exists || !isPending(snapshot.get("status"))) return false;
    tx.update(ref, {
      status: "superseded",
      supersededBy: by.supersededBy,
      reason: by.reason,
      text: FieldValue.delete(),
      updatedAt: FieldValue.serverTimestamp(),
    });
    return true;
  });
}

export interface SupersessionWatch {
  /** Aborts when a newer job supersedes this result. */
  signal: AbortSignal;
  superseded(): Supersession | undefined;
  stop(): void;
}

/**
 * Listens to a result document for `supersededBy`. A field, not the status: streaming writes of
 * the running attempt may briefly overwrite the status, never that field.
 */
export function watchSupersession(ref: DocumentReference): SupersessionWatch {
  const controller = new AbortController();
  let found: Supersession | undefined;
  const unsubscribe = ref.onSnapshot(
    (snapshot) => {
      const by = snapshot.get("supersededBy");
      if (found || typeof by !== "string") return;
      const reason = snapshot.get("reason");
      found = { supersededBy: by, reason: reason === "agent_replied" ? reason : "newer_message" };
      controller.abort();
    },
    // A broken listener only costs the early abort; the checks before the call still run.
    () => undefined,
  );
  return { signal: controller.signal, superseded: () => found, stop: unsubscribe };
}

/** Resolves at `at` (epoch ms), or as soon as `signal` aborts. */
export function sleepUntil(at: number, signal: AbortSignal): Promise<void> {
  const ms = at - Date.now();
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done);
  });
}
