import { FUNCTION_TIMEOUT_SECONDS, functionTimeoutMs } from "../core/functionTimeouts";
import { getFirestore } from "firebase-admin/firestore";
import { onDocumentUpdated } from "firebase-functions/firestore";
import { FUNCTION_SECRETS } from "../config/functionSecrets";
import { CONVERSATION_DOCUMENT_PATTERN } from "../core/paths";

/**
 * A conversation was updated: when it was closed (status closed or resolved), write its report.
 * Every update of a conversation arrives here and nearly all are no-ops that end at once, so
 * events are taken freely; the model calls of reports are bounded like any others (at most
 * LLM_CONCURRENCY per instance, 2 instances). A long conversation is summarised in chunks:
 * 9 minutes.
 */
export const onConversationUpdated = onDocumentUpdated(
  {
    document: CONVERSATION_DOCUMENT_PATTERN,
    timeoutSeconds: FUNCTION_TIMEOUT_SECONDS.onConversationUpdated,
    memory: "512MiB",
    cpu: 1,
    concurrency: 8,
    maxInstances: 2,
    retry: true,
    secrets: FUNCTION_SECRETS.onConversationUpdated,
  },
  async (event) => {
    const { handleConversationUpdated } =
      await import("../tasks/conversationReport/handleConversationUpdated.js");
    const { cloudPlacement } = await import("../executors/cloudPlacement.js");
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
      {
        db: getFirestore(),
        timeoutMs: functionTimeoutMs("onConversationUpdated"),
        placement: cloudPlacement(),
      },
    );
  },
);
