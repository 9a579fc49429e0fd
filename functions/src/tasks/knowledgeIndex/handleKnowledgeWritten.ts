import type { Firestore } from "firebase-admin/firestore";
import type { Env } from "../../config/envValues";
import type { Placement } from "../../engine/executor";
import { EmbeddingRunResult, runEmbeddingTask } from "../../engine/runEmbeddingTask";
import type { ArticleAddress, IndexResult } from "./indexArticle";
import { knowledgeIndexTask } from "./knowledgeIndexTask";

export type KnowledgeWrittenResult = EmbeddingRunResult<IndexResult>;

/**
 * How long a transient failure (LM Studio down, a timeout) is handed back to the platform to
 * redeliver with its backoff; after that the recorded error stands until `npm run kb:reindex`,
 * so a long outage is not a day of retries.
 */
export const RETRY_TRANSIENT_FOR_MS = 15 * 60_000;

/** Thrown so that the platform redelivers the event (`retry: true`). */
export class RetryLater extends Error {}

/**
 * An article was created, changed or deleted: the engine indexes it where the placement says.
 * Every failure ends recorded in `knowledgeIndex`; Firestore's throw, and so do LM Studio's
 * transient ones near the write, for the platform to redeliver.
 */
export async function handleKnowledgeWritten(
  address: ArticleAddress,
  deps: {
    db: Firestore;
    env?: Env;
    startedAt?: number;
    timeoutMs: number;
    placement: Placement;
    exists: boolean;
    /** When the write happened (the event's time): transient failures are retried near it. */
    eventTime?: number;
  },
): Promise<KnowledgeWrittenResult> {
  const result = await runEmbeddingTask(
    knowledgeIndexTask,
    { ...address, exists: deps.exists },
    deps,
  );
  // Without a known event time, never: a loop of redeliveries is worse than a recorded error.
  const young =
    deps.eventTime !== undefined && Date.now() - deps.eventTime < RETRY_TRANSIENT_FOR_MS;
  if (result.kind === "failed" && result.error.retryable && young) {
    throw new RetryLater(
      `${address.articleId} not indexed (${result.error.code}): recorded, and retried by the platform.`,
    );
  }
  return result;
}
