import { FieldValue, Firestore } from "firebase-admin/firestore";
import type { Env } from "../config/envValues";
import { parseRuntimeConfig } from "../config/runtimeConfig";
import { asGenerationError, GenerationError, hintFor } from "../core/errorCodes";
import { paths } from "../core/paths";
import { loadProviderRuntime } from "../providers/providerRuntime";
import { ArticleAddress, indexArticle, indexIsCurrent, IndexResult } from "./indexArticle";
import { enqueueIndexJob } from "./indexJobs";

export type KnowledgeWrittenResult =
  IndexResult | { kind: "queued"; jobId: string } | { kind: "failed"; error: GenerationError };

/**
 * How long a transient failure (LM Studio down, a timeout) is handed back to the platform to
 * redeliver with its backoff; after that the recorded error stands until `npm run kb:reindex`,
 * so a long outage is not a day of retries.
 */
export const RETRY_TRANSIENT_FOR_MS = 15 * 60_000;

/** Thrown so that the platform redelivers the event (`retry: true`). */
export class RetryLater extends Error {}

/**
 * An article was created, changed or deleted: index it here, or, in bridge mode, queue the
 * indexing for the bridge beside LM Studio (an article deleted is cleaned up here either way:
 * that needs no model). Every failure ends recorded in `knowledgeIndex`; Firestore's throw, and
 * so do LM Studio's transient ones near the write, for the platform to redeliver.
 */
export async function handleKnowledgeWritten(
  address: ArticleAddress,
  deps: {
    db: Firestore;
    env?: Env;
    startedAt?: number;
    timeoutMs: number;
    exists: boolean;
    /** When the write happened (the event's time): transient failures are retried near it. */
    eventTime?: number;
  },
): Promise<KnowledgeWrittenResult> {
  const env = deps.env ?? process.env;
  const startedAt = deps.startedAt ?? Date.now();
  let runtime;
  try {
    runtime = loadProviderRuntime(env, { cloudSide: true });
  } catch (err) {
    const error = asGenerationError(err);
    await deps.db.doc(paths.knowledgeIndex(address.workspaceId, address.articleId)).set(
      {
        status: "error",
        error: { code: error.code, message: error.message, hint: hintFor(error.code, "en") },
        indexedAt: FieldValue.serverTimestamp(),
      },
      { mergeFields: ["status", "error", "indexedAt"] },
    );
    return { kind: "failed", error };
  }
  if (deps.exists && parseRuntimeConfig(env).lmStudio.mode === "bridge") {
    // An unchanged re-save or a redelivery costs the bridge nothing: no job at all.
    if (await indexIsCurrent(deps.db, address, runtime.config.knowledge))
      return { kind: "unchanged" };
    return { kind: "queued", jobId: await enqueueIndexJob(deps.db, address, deps.timeoutMs) };
  }
  const result = await indexArticle(address, {
    db: deps.db,
    runtime,
    // What is left at the end is for the commit.
    deadlineAt: startedAt + deps.timeoutMs - 15_000,
  });
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
