import { paths } from "../../core/paths";
import type { EmbeddingTask } from "../../engine/embeddingTask";
import { failedIndexState } from "./chunkStore";
import { ArticleAddress, indexArticle, indexIsCurrent, IndexResult } from "./indexArticle";

/*
 * An article's indexing, as the engine runs it: here, or in bridge mode queued for the bridge
 * beside LM Studio like a generation (an article deleted is cleaned up here either way: that
 * needs no model). An edit while the job runs queues it again; the run then leaves the job
 * queued instead of done, so the newer version is indexed too, never lost.
 */

/** The article, and whether it still exists (a job stores the address alone: it exists). */
export type IndexInput = ArticleAddress & { exists?: boolean };

export const knowledgeIndexTask: EmbeddingTask<IndexInput, ArticleAddress, IndexResult> = {
  kind: "embedding",
  name: "knowledge_index",

  prepare: (input) => {
    const address = { workspaceId: input.workspaceId, articleId: input.articleId };
    return {
      job: address,
      target: {
        workspaceId: address.workspaceId,
        path: paths.knowledgeIndex(address.workspaceId, address.articleId),
      },
      needsModel: input.exists !== false,
    };
  },

  isCurrent: async (db, address, config) =>
    (await indexIsCurrent(db, address, config.knowledge)) ? { kind: "unchanged" } : undefined,

  queuedShows: { status: "indexing" },

  run: (address, run) => indexArticle(address, run),

  recordFailure: async (db, address, error, language) => {
    await db
      .doc(paths.knowledgeIndex(address.workspaceId, address.articleId))
      .set(...failedIndexState(error, language));
    return { kind: "failed", error };
  },

  leavesQueued: (result) => result.kind === "superseded",
};
