import { getFirestore } from "firebase-admin/firestore";
import { onDocumentWritten } from "firebase-functions/firestore";
import { functionSecrets } from "../config/params";
import { FUNCTION_TIMEOUT_SECONDS, functionTimeoutMs } from "../core/functionTimeouts";
import { KNOWLEDGE_ARTICLE_DOCUMENT_PATTERN } from "../core/paths";

/**
 * A help-center article was created, edited or deleted: index its chunks for retrieval.
 *
 * retry: failures of the model or of the article are recorded in `knowledgeIndex`, so only a
 * Firestore failure throws, and a redelivery then costs no embedding for the chunks already
 * done. Few instances: embeddings share the one desktop GPU with the suggestions.
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
    secrets: functionSecrets,
  },
  async (event) => {
    const { handleKnowledgeWritten } = await import("../knowledge/handleKnowledgeWritten.js");
    return handleKnowledgeWritten(
      { workspaceId: event.params.workspaceId, articleId: event.params.articleId },
      {
        db: getFirestore(),
        timeoutMs: functionTimeoutMs("onKnowledgeWritten"),
        exists: event.data?.after.exists ?? true,
      },
    );
  },
);
