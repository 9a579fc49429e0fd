import { GenerationError } from "../core/errorCodes";

/*
 * When a failed attempt is tried again, and after how long: pure, over the error table's
 * `retryable` and the run's deadline. askProvider.ts waits and asks again as these say.
 */

/** Below this, an attempt cannot produce a reply; better to record the failure in time. */
export const MIN_ATTEMPT_MS = 250;

/**
 * Whether a failed attempt is tried again, and after how much more than the backoff's own
 * delay (a server's Retry-After). One reason a line, like openai-node's shouldRetry.
 */
export function retryDecision(
  error: unknown,
  retryDelayMs: number,
  budget: { deadlineAt: number; maxRetryAfterMs: number; aborted: boolean },
  now = Date.now(),
): { retry: false } | { retry: true; extraWaitMs: number } {
  // Only what the error table calls transient (429, 5xx, timeouts, dropped connections).
  if (!(error instanceof GenerationError) || !error.retryable) return { retry: false };
  // Nobody wants the answer any more (a newer message, the agent replied).
  if (budget.aborted) return { retry: false };
  // The server said how long to wait; we wait that long, up to our own cap.
  const wanted = Math.min(error.details.retryAfterMs ?? 0, budget.maxRetryAfterMs);
  const extraWaitMs = Math.max(wanted - retryDelayMs, 0);
  // An attempt that would start too late to answer in time is not made: record the failure.
  if (now + retryDelayMs + extraWaitMs + MIN_ATTEMPT_MS > budget.deadlineAt)
    return { retry: false };
  return { retry: true, extraWaitMs };
}

/**
 * Exponential backoff with jitter, as p-retry computes it (`randomize`, factor 2): retry n + 1
 * waits base·2ⁿ times a random factor in [1, 2), never more than the budget's longest delay.
 */
export function backoffDelayMs(
  retriesConsumed: number,
  budget: { baseDelayMs: number; maxDelayMs: number },
  random = Math.random(),
): number {
  const grown = Math.round((random + 1) * budget.baseDelayMs * 2 ** retriesConsumed);
  return Math.min(grown, budget.maxDelayMs);
}
