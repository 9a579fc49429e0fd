import { getFirestore } from "firebase-admin/firestore";
import { onDocumentCreated } from "firebase-functions/firestore";
import { functionSecrets } from "../config/params";
import { AI_REQUEST_DOCUMENT_PATTERN } from "../core/paths";
import { REPLY_SUGGESTION_TIMEOUT_SECONDS } from "../tasks/replySuggestion/replySuggestionLimits";

/**
 * An agent asked for something from the inbox (regenerate a suggestion, rewrite a draft): answer
 * on the request document. Same limits and retry policy as the suggestions: the engine records
 * every failure itself, so an invocation throws only when Firestore failed.
 */
export const onAiRequestCreated = onDocumentCreated(
  {
    document: AI_REQUEST_DOCUMENT_PATTERN,
    timeoutSeconds: REPLY_SUGGESTION_TIMEOUT_SECONDS,
    memory: "512MiB",
    cpu: 1,
    concurrency: 8,
    maxInstances: 4,
    retry: true,
    secrets: functionSecrets,
  },
  async (event) => {
    const { handleAiRequest } = await import("../tasks/agentRequests/handleAiRequest.js");
    return handleAiRequest(
      {
        conversation: {
          workspaceId: event.params.workspaceId,
          conversationId: event.params.conversationId,
        },
        requestId: event.params.requestId,
        data: event.data?.data(),
      },
      { db: getFirestore() },
    );
  },
);
