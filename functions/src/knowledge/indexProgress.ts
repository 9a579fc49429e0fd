/*
 * How far the backend got indexing the articles an import wrote, from their
 * `knowledgeIndex/{articleId}` documents. An article is done when its status is `ready` or
 * `error` with `indexedAt` after the article's own write: an older `ready` is the previous
 * version's.
 */

/** A Firestore timestamp, structurally (what `Timestamp` and the write results hold). */
export interface Instant {
  seconds: number;
  nanoseconds: number;
}

export interface IndexFailure {
  id: string;
  code: string;
  message: string;
  hint?: string;
}

export interface IndexProgress {
  ready: string[];
  failed: IndexFailure[];
  /** Status `indexing`: the backend is at it. */
  indexing: string[];
  /** Nothing newer than the write yet. */
  waiting: string[];
}

const isInstant = (value: unknown): value is Instant =>
  typeof value === "object" &&
  value !== null &&
  typeof (value as Instant).seconds === "number" &&
  typeof (value as Instant).nanoseconds === "number";

export const isAfter = (a: Instant, b: Instant) =>
  a.seconds > b.seconds || (a.seconds === b.seconds && a.nanoseconds > b.nanoseconds);

const str = (value: unknown, fallback = "") => (typeof value === "string" ? value : fallback);

export function indexProgress(
  written: { id: string; at: Instant }[],
  states: Map<string, Record<string, unknown> | undefined>,
): IndexProgress {
  const progress: IndexProgress = { ready: [], failed: [], indexing: [], waiting: [] };
  for (const { id, at } of written) {
    const state = states.get(id);
    const fresh = isInstant(state?.indexedAt) && isAfter(state.indexedAt, at);
    if (fresh && state?.status === "ready") progress.ready.push(id);
    else if (fresh && state?.status === "error") {
      const error = (
        typeof state.error === "object" && state.error !== null ? state.error : {}
      ) as {
        code?: unknown;
        message?: unknown;
        hint?: unknown;
      };
      progress.failed.push({
        id,
        code: str(error.code, "unknown"),
        message: str(error.message),
        ...(typeof error.hint === "string" ? { hint: error.hint } : {}),
      });
    } else if (state?.status === "indexing") progress.indexing.push(id);
    else progress.waiting.push(id);
  }
  return progress;
}

export const isSettled = (p: IndexProgress) => p.indexing.length === 0 && p.waiting.length === 0;
