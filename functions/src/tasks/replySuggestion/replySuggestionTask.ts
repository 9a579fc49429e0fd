import type { Firestore } from "firebase-admin/firestore";
import { Timestamp } from "firebase-admin/firestore";
import { type ConversationContext, namesIn } from "../../conversation/conversationContext";
import { loadConversationContext } from "../../conversation/loadConversationContext";
import { decideForTriggerMessage, readMessage } from "../../conversation/message";
import { MessageAddress, paths } from "../../core/paths";
import type { GenerationTask } from "../../engine/generationTask";
import { workspaceModelRequest } from "../../providers/providerRouter";
import { buildSuggestionPrompt, withTeamNote } from "./buildSuggestionPrompt";
import { promptTrace } from "./promptTrace";
import { findNewerMessage, retirePendingSuggestions } from "./latestSuggestion";
import { optionsFields, replyOptionsOutput } from "./replyOptions";
import type { ChatMessage } from "../../core/vocabulary";
import type { ConversationMessage } from "../../conversation/message";
import { instructionText } from "../../requests/aiRequest";
import { groundInKnowledge, knowledgeResult, SuggestionKnowledge } from "./suggestionKnowledge";

/*
 * The reply suggestion: a customer's message was created; suggest the agent's next reply into
 * `…/suggestions/{messageId}`, with the workspace's own model settings, streamed, giving way to
 * the customer's next message and to the agent's own reply.
 */

export interface MessageCreatedInput {
  address: MessageAddress;
  /** The created message document's fields. */
  message: Record<string, unknown> | undefined;
  /** An agent asked for this suggestion again (`aiRequests` regenerate): once per request. */
  regenerate?: { requestId: string; instruction?: string; options?: number };
}

type SuggestionContext = ConversationContext & {
  instruction?: string;
  /** An agent asked for this many reply options instead of the workspace's `suggestionOptions`. */
  optionCount?: number;
  /** An agent asked for this suggestion again: the customer did not ask anything new. */
  regenerated?: boolean;
  knowledge?: SuggestionKnowledge;
};

/** The event's message, read once per event: everything after `prepare` uses it. */
type SuggestionJob = MessageCreatedInput & { trigger: ConversationMessage };

export const replySuggestionTask: GenerationTask<
  MessageCreatedInput,
  SuggestionContext,
  SuggestionJob
> = {
  name: "suggestion",
  streams: true,

  prepare: (input) => {
    const trigger = readMessage(input.address.messageId, input.message);
    const decided = decideForTriggerMessage(trigger);
    const { address } = input;
    return {
      job: { ...input, trigger },
      decision: decided.kind === "suggest" ? { kind: "run" } : decided,
      target: {
        workspaceId: address.workspaceId,
        path: paths.suggestion(address),
        identity: {
          messageId: address.messageId,
          conversationId: address.conversationId,
          workspaceId: address.workspaceId,
          version: 1,
          // Orders the conversation's suggestions for latest-wins, whatever order events came.
          ...(trigger.createdAtMs !== null
            ? { messageCreatedAt: Timestamp.fromMillis(trigger.createdAtMs) }
            : {}),
        },
        logFields: { ...address },
        affinity: `${address.workspaceId}/${address.conversationId}`,
        ...(input.regenerate
          ? { claim: { mode: "regenerate" as const, requestId: input.regenerate.requestId } }
          : {}),
      },
    };
  },

  modelRequest: workspaceModelRequest,

  loadContext: async (db: Firestore, job, config) => ({
    ...(await loadConversationContext(db, job.address, job.trigger, config.contextMessages)),
    instruction: job.regenerate?.instruction,
    optionCount: job.regenerate?.options,
    regenerated: job.regenerate !== undefined,
  }),

  buildPrompt: (context, config, request) => {
    const prompt = buildSuggestionPrompt(context, {
      charBudget: config.contextCharBudget,
      references: context.knowledge?.references,
      knowledge: request.settings.flags.rag,
      carriedNotes: context.carriedNotes,
      windowMessages: config.contextMessages,
    });
    const plain = context.instruction
      ? withAgentInstruction(prompt.messages, context.instruction)
      : prompt.messages;
    const trace = {
      turns: prompt.messages.length - 1,
      chars: prompt.chars,
      droppedTurns: prompt.droppedTurns,
      triggerTruncated: prompt.triggerTruncated,
    };
    const count = context.optionCount ?? request.settings.suggestionOptions;
    const built = count > 1 ? replyOptionsOutput(plain, count) : { messages: plain };
    const grounded = knowledgeResult(context.knowledge);
    const recorded = promptTrace(built.messages, prompt, context.previousPrompt);
    return {
      ...built,
      trace: { ...trace, reusedChars: recorded.reusedChars },
      ...grounded,
      fields: { ...grounded.fields, prompt: recorded },
      counters: {
        ...grounded.counters,
        prompt: { chars: recorded.chars, reusedChars: recorded.reusedChars },
      },
    };
  },

  resultFields: (answer, prompt) => (prompt.structured ? optionsFields(answer) : {}),

  hooks: {
    latestWins: {
      jobTime: (job) => job.trigger.createdAtMs ?? undefined,
      findNewer: (db, job) => findNewerMessage(db, job.address, job.trigger),
      retireOlder: async (db, job) => {
        await retirePendingSuggestions(db, job.address, job.trigger.createdAtMs, {
          supersededBy: job.address.messageId,
          reason: "newer_message",
        });
      },
    },
    ground: groundInKnowledge,
    personalNames: (context) => namesIn(context.facts),
  },
};

/**
 * An agent's steer for a regenerated suggestion ("más corto", "ofrecé el cambio"). It is the
 * agent's text, so it joins the last user turn, marked as the agent's, never the system role.
 */
function withAgentInstruction(messages: ChatMessage[], instruction: string): ChatMessage[] {
  return withTeamNote(
    messages,
    `The agent's instruction for this reply: ${instructionText(instruction)}`,
  );
}
