import { getFirestore } from "firebase-admin/firestore";
import { onDocumentCreated } from "firebase-functions/firestore";
import { FUNCTION_SECRETS } from "../config/functionSecrets";
import { AI_REQUEST_DOCUMENT_PATTERN } from "../core/paths";
import { FUNCTION_TIMEOUT_SECONDS, functionTimeoutMs } from "../core/functionTimeouts";

/**
 * An agent asked for something from the inbox (regenerate a suggestion, rewrite a draft): answer
 * on the request document. Same limits and retry policy as the suggestions: the engine records
 * every failure itself, so an invocation throws only when Firestore failed.
 */
export const onAiRequestCreated = onDocumentCreated(
  {
    document: AI_REQUEST_DOCUMENT_PATTERN,
    timeoutSeconds: FUNCTION_TIMEOUT_SECONDS.onAiRequestCreated,
    memory: "512MiB",
    cpu: 1,
    concurrency: 8,
    maxInstances: 4,
    retry: true,
    secrets: FUNCTION_SECRETS.onAiRequestCreated,
  },
  async (event) => {
    const { handleAiRequest } = await import("../tasks/handleAiRequest.js");
    const { cloudPlacement } = await import("../executors/cloudPlacement.js");
    return handleAiRequest(
      {
        conversation: {
          workspaceId: event.params.workspaceId,
          conversationId: event.params.conversationId,
        },
        requestId: event.params.requestId,
        data: event.data?.data(),
      },
      // Whatever the request asks for (a report too) runs inside this function's timeout.
      {
        db: getFirestore(),
        timeoutMs: functionTimeoutMs("onAiRequestCreated"),
        placement: cloudPlacement(),
      },
    );
  },
);
