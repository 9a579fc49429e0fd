import { FieldValue, Firestore } from "firebase-admin/firestore";
import type { Env } from "../config/envValues";
import { parseRuntimeConfig } from "../config/runtimeConfig";
import { GenerationError, hintFor } from "../core/errorCodes";
import { paths } from "../core/paths";
import { loadProviderRuntime } from "../providers/providerRuntime";
import { ArticleAddress, indexArticle, IndexResult } from "./indexArticle";
import { enqueueIndexJob } from "./indexJobs";

export type KnowledgeWrittenResult =
  IndexResult | { kind: "queued"; jobId: string } | { kind: "failed"; error: GenerationError };

/**
 * An article was created, changed or deleted: index it here, or, in bridge mode, queue the
 * indexing for the bridge beside LM Studio (an article deleted is cleaned up here either way:
 * that needs no model). Every failure ends recorded in `knowledgeIndex`; only Firestore's throw.
 */
export async function handleKnowledgeWritten(
  address: ArticleAddress,
  deps: { db: Firestore; env?: Env; startedAt?: number; timeoutMs: number; exists: boolean },
): Promise<KnowledgeWrittenResult> {
  const env = deps.env ?? process.env;
  const startedAt = deps.startedAt ?? Date.now();
  let runtime;
  try {
    runtime = loadProviderRuntime(env, { cloudSide: true });
  } catch (err) {
    const error = err as GenerationError;
    await deps.db.doc(paths.knowledgeIndex(address.workspaceId, address.articleId)).set(
      {
        status: "error",
        error: { code: error.code, message: error.message, hint: hintFor(error.code, "en") },
        indexedAt: FieldValue.serverTimestamp(),
      },
      { merge: true },
    );
    return { kind: "failed", error };
  }
  if (deps.exists && parseRuntimeConfig(env).lmStudio.mode === "bridge") {
    return { kind: "queued", jobId: await enqueueIndexJob(deps.db, address, deps.timeoutMs) };
  }
  return indexArticle(address, {
    db: deps.db,
    runtime,
    // What is left at the end is for the commit.
    deadlineAt: startedAt + deps.timeoutMs - 15_000,
  });
}
