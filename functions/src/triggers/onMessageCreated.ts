import { getFirestore } from "firebase-admin/firestore";
import { onDocumentCreated } from "firebase-functions/firestore";
import { FUNCTION_SECRETS } from "../config/functionSecrets";
import { MESSAGE_DOCUMENT_PATTERN } from "../core/paths";
import { FUNCTION_TIMEOUT_SECONDS, functionTimeoutMs } from "../core/functionTimeouts";

/**
 * A customer's message was created: write the suggestion for it.
 *
 * retry: the engine records every provider and input failure itself, so an invocation throws
 * only when Firestore failed, and then a redelivery is what we want; claims make it idempotent.
 * concurrency × maxInstances × LLM_CONCURRENCY bounds what reaches a single desktop GPU.
 * The engine (and the `openai` SDK) load on the first event, not when the instance starts:
 * every function of the codebase loads this module.
 */
export const onMessageCreated = onDocumentCreated(
  {
    document: MESSAGE_DOCUMENT_PATTERN,
    timeoutSeconds: FUNCTION_TIMEOUT_SECONDS.onMessageCreated,
    memory: "512MiB",
    cpu: 1,
    concurrency: 8,
    maxInstances: 4,
    retry: true,
    secrets: FUNCTION_SECRETS.onMessageCreated,
  },
  // The result is ignored by Cloud Functions; `npm run dev` prints it.
  async (event) => {
    const { handleMessageCreated } =
      await import("../tasks/replySuggestion/handleMessageCreated.js");
    const { cloudPlacement } = await import("../executors/cloudPlacement.js");
    return handleMessageCreated(
      {
        address: {
          workspaceId: event.params.workspaceId,
          conversationId: event.params.conversationId,
          messageId: event.params.messageId,
        },
        message: event.data?.data(),
      },
      {
        db: getFirestore(),
        timeoutMs: functionTimeoutMs("onMessageCreated"),
        placement: cloudPlacement(),
      },
    );
  },
);
