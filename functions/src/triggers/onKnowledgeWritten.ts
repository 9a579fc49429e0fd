import { getFirestore } from "firebase-admin/firestore";
import { onDocumentWritten } from "firebase-functions/firestore";
import { FUNCTION_SECRETS } from "../config/functionSecrets";
import { FUNCTION_TIMEOUT_SECONDS, functionTimeoutMs } from "../core/functionTimeouts";
import { KNOWLEDGE_ARTICLE_DOCUMENT_PATTERN } from "../core/paths";

/**
 * A help-center article was created, edited or deleted: index its chunks for retrieval.
 *
 * retry: every failure is recorded in `knowledgeIndex`; a Firestore failure, and for its first
 * 15 minutes a transient one of LM Studio's (down, too slow), also throws, so the platform
 * redelivers with its backoff. A redelivery costs no embedding for the chunks already done. Few instances: embeddings share the one desktop GPU with the suggestions.
 */
export const onKnowledgeWritten = onDocumentWritten(
  {
    document: KNOWLEDGE_ARTICLE_DOCUMENT_PATTERN,
    timeoutSeconds: FUNCTION_TIMEOUT_SECONDS.onKnowledgeWritten,
    memory: "512MiB",
    cpu: 1,
    concurrency: 4,
    maxInstances: 2,
    retry: true,
    secrets: FUNCTION_SECRETS.onKnowledgeWritten,
  },
  async (event) => {
    const { handleKnowledgeWritten } =
      await import("../tasks/knowledgeIndex/handleKnowledgeWritten.js");
    const { cloudPlacement } = await import("../executors/cloudPlacement.js");
    return handleKnowledgeWritten(
      { workspaceId: event.params.workspaceId, articleId: event.params.articleId },
      {
        db: getFirestore(),
        timeoutMs: functionTimeoutMs("onKnowledgeWritten"),
        placement: cloudPlacement(),
        exists: event.data?.after.exists ?? true,
        eventTime: Date.parse(event.time),
      },
    );
  },
);
