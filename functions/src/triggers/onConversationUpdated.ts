import { getFirestore } from "firebase-admin/firestore";
import { onDocumentUpdated } from "firebase-functions/firestore";
import { functionSecrets } from "../config/params";
import { CONVERSATION_DOCUMENT_PATTERN } from "../core/paths";

/**
 * A conversation was updated: when it was closed (status closed or resolved), write its report.
 * A long conversation is summarised in chunks: 9 minutes, one report at a time per instance, so
 * reports never crowd the GPU that suggestions need.
 */
export const onConversationUpdated = onDocumentUpdated(
  {
    document: CONVERSATION_DOCUMENT_PATTERN,
    timeoutSeconds: 540,
    memory: "512MiB",
    cpu: 1,
    concurrency: 1,
    maxInstances: 2,
    retry: true,
    secrets: functionSecrets,
  },
  async (event) => {
    const { handleConversationUpdated } =
      await import("../tasks/conversationReport/handleConversationUpdated.js");
    return handleConversationUpdated(
      {
        conversation: {
          workspaceId: event.params.workspaceId,
          conversationId: event.params.conversationId,
        },
        before: event.data?.before.data(),
        after: event.data?.after.data(),
        afterUpdateTimeMs: event.data?.after.updateTime?.toMillis() ?? Date.parse(event.time),
      },
      { db: getFirestore() },
    );
  },
);
