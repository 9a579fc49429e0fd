import type { Firestore } from "firebase-admin/firestore";
import type { ConversationContext } from "../../conversation/conversationContext";
import { loadConversationContext } from "../../conversation/loadConversationContext";
import { decideForTriggerMessage, readMessage } from "../../conversation/message";
import { MessageAddress, paths } from "../../core/paths";
import { EngineDeps, runGenerationTask, TaskRunResult } from "../../engine/runGenerationTask";
import type { GenerationTask } from "../../engine/generationTask";
import { workspaceModelRequest } from "../../providers/providerRouter";
import { buildSuggestionPrompt } from "./buildSuggestionPrompt";
import { REPLY_SUGGESTION_TIMEOUT_SECONDS } from "./replySuggestionLimits";

/*
 * The reply suggestion: a customer's message was created; suggest the agent's next reply into
 * `…/suggestions/{messageId}`, with the workspace's own model settings.
 */

export interface MessageCreatedInput {
  address: MessageAddress;
  /** The created message document's fields. */
  message: Record<string, unknown> | undefined;
}

export const replySuggestionTask: GenerationTask<MessageCreatedInput, ConversationContext> = {
  name: "suggestion",
  timeoutSeconds: REPLY_SUGGESTION_TIMEOUT_SECONDS,

  decide: (job) => {
    const decision = decideForTriggerMessage(readMessage(job.address.messageId, job.message));
    return decision.kind === "suggest" ? { kind: "run" } : decision;
  },

  target: ({ address }) => ({
    workspaceId: address.workspaceId,
    path: paths.suggestion(address),
    identity: {
      messageId: address.messageId,
      conversationId: address.conversationId,
      workspaceId: address.workspaceId,
    },
    logFields: { ...address },
  }),

  modelRequest: workspaceModelRequest,

  loadContext: (db: Firestore, job, config) =>
    loadConversationContext(
      db,
      job.address,
      readMessage(job.address.messageId, job.message),
      config.contextMessages,
    ),

  buildPrompt: (context, config) => {
    const prompt = buildSuggestionPrompt(context, { charBudget: config.contextCharBudget });
    return {
      messages: prompt.messages,
      trace: {
        turns: prompt.messages.length - 1,
        chars: prompt.chars,
        droppedTurns: prompt.droppedTurns,
        triggerTruncated: prompt.triggerTruncated,
      },
    };
  },
};

/** The trigger's entry: from a created message to a terminal suggestion. */
export function suggestReplyForMessage(
  input: MessageCreatedInput,
  deps: EngineDeps,
): Promise<TaskRunResult> {
  return runGenerationTask(replySuggestionTask, input, deps);
}
