/*
 * How a Firestore commit can end, beyond success: the gRPC codes our writes look at, and a commit
 * whose answer was lost. After UNKNOWN, DEADLINE_EXCEEDED, INTERNAL or UNAVAILABLE the write may
 * have been applied or not. The official emulator shows it under contention: a commit that
 * notifies a listener the client has just closed answers `2 UNKNOWN:` after applying the write
 * (1 to 2 % of creates while listeners come and go). Retrying blindly would count metrics twice
 * or lose a claim to itself; giving up would leave the message without a terminal state. So the
 * writer says how to tell that its write landed, and only a write that did not is sent again.
 */

/** gRPC INVALID_ARGUMENT: Firestore will refuse this write however often it is sent. */
const INVALID_ARGUMENT = 3;
/** gRPC ALREADY_EXISTS: a create() lost the race for the document. */
const ALREADY_EXISTS = 6;
/** UNKNOWN, DEADLINE_EXCEEDED, INTERNAL, UNAVAILABLE: the answer, maybe not the write, was lost. */
const OUTCOME_UNKNOWN: ReadonlySet<unknown> = new Set([2, 4, 13, 14]);

export const grpcCode = (err: unknown) =>
  typeof err === "object" && err !== null ? (err as { code?: unknown }).code : undefined;

export const isAlreadyExists = (err: unknown) => grpcCode(err) === ALREADY_EXISTS;

/** A write Firestore refuses for what it holds (too large, invalid), not for a passing fault. */
export const isPermanentWriteError = (err: unknown) => grpcCode(err) === INVALID_ARGUMENT;

/** The commit may have been applied: ask the database before sending it again. */
export const isOutcomeUnknown = (err: unknown) => OUTCOME_UNKNOWN.has(grpcCode(err));

/**
 * Commits, and when the answer is lost asks `landed()` (a read of what the write leaves behind,
 * e.g. this invocation's claim token) whether it was applied; sends it again only if not, up to
 * `attempts` times. The SDK itself re-sends a commit after UNAVAILABLE or RESOURCE_EXHAUSTED, so
 * a create() whose first send landed can come back ALREADY_EXISTS: that too is checked against
 * `landed()` before it is taken for another writer's. Any other error is thrown.
 */
export async function commitChecked(
  commit: () => Promise<unknown>,
  landed: () => Promise<boolean>,
  attempts = 3,
): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await commit();
      return;
    } catch (err) {
      if (!isOutcomeUnknown(err) && !isAlreadyExists(err)) throw err;
      if (await landed()) return;
      if (isAlreadyExists(err) || attempt >= attempts) throw err;
    }
  }
}

/** An update that changes nothing more when applied twice: sent again when its answer is lost. */
export const commitIdempotent = (commit: () => Promise<unknown>) =>
  commitChecked(commit, async () => false);
