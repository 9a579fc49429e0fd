import { GenerationError } from "../../core/errorCodes";
import { readMessage } from "../../conversation/message";
import { paths } from "../../core/paths";
import { EngineDeps, runGenerationTask } from "../../engine/runGenerationTask";
import { AiRequest, invalidRequest } from "../../requests/aiRequest";
import { requestFollowUp } from "../../requests/requestFollowUp";
import type { AiRequestResult, RequestOnHand } from "../../requests/requestRun";
import { findNewerMessage } from "./latestSuggestion";
import { replySuggestionTask } from "./replySuggestionTask";

/**
 * Generates the suggestion of a customer message again, as a new version, steered by the agent's
 * optional instruction; the request document mirrors how it ends (the run's follow-up).
 */
export async function regenerateOnRequest(
  onHand: RequestOnHand,
  request: Extract<AiRequest, { kind: "regenerate" }>,
  deps: EngineDeps,
): Promise<AiRequestResult> {
  const { db } = deps;
  const address = { ...onHand.conversation, messageId: request.messageId };
  const snapshot = await db.doc(paths.message(address)).get();
  const message = readMessage(request.messageId, snapshot.data());
  const refuse = (why: string) => onHand.refuse(invalidRequest(why));
  if (!snapshot.exists) {
    return refuse(
      `aiRequests.messageId names no message of this conversation: "${request.messageId}".`,
    );
  }
  if (message.direction !== "inbound") {
    return refuse(
      `aiRequests.messageId must name a customer (inbound) message; "${request.messageId}" is not.`,
    );
  }
  const newer = await findNewerMessage(db, address, message);
  if (newer) {
    return onHand.refuse(
      new GenerationError(
        "request_conflict",
        `Message "${request.messageId}" is no longer the conversation's newest: ${newer.supersededBy} came after it (${newer.reason}). Regenerate the newest one instead.`,
      ),
    );
  }
  const followUp = requestFollowUp({
    kind: "regenerate",
    requestPath: onHand.target.path,
    resultPath: paths.suggestion(address),
    requestId: onHand.requestId,
    language: onHand.language,
  });
  return runGenerationTask(
    replySuggestionTask,
    {
      address,
      message: snapshot.data(),
      regenerate: {
        requestId: onHand.requestId,
        instruction: request.instruction,
        options: request.options,
      },
    },
    { ...deps, followUp },
  );
}
