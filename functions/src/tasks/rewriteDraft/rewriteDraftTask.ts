import type { Firestore } from "firebase-admin/firestore";
import type { ConversationFacts } from "../../conversation/conversationContext";
import { namesIn, readConversationFacts } from "../../conversation/conversationContext";
import { ConversationMessage, isPromptableTurn, readMessage } from "../../conversation/message";
import { ConversationAddress, paths } from "../../core/paths";
import type { ChatMessage } from "../../core/vocabulary";
import type { GenerationTask } from "../../engine/generationTask";
import { workspaceModelRequest } from "../../providers/providerRouter";
import { aiRequestTarget, instructionText } from "../../requests/aiRequest";

/*
 * Rewrite an agent's draft: shorter, friendlier, in "vos"… The result streams into the request
 * document itself. The draft and the instruction are the agent's text: they stay in the user
 * turn, the system role holds only our rules.
 */

export interface RewriteJob {
  conversation: ConversationAddress;
  requestId: string;
  draft: string;
  instruction: string;
}

interface RewriteContext {
  facts: ConversationFacts;
  /** The last few turns, oldest first: they say which language the customer writes in. */
  recent: ConversationMessage[];
  draft: string;
  instruction: string;
}

/** Enough of the conversation to know its language and tone, not to answer it. */
const RECENT_TURNS = 6;

export function buildRewritePrompt(context: RewriteContext): ChatMessage[] {
  const system = [
    "You rewrite a customer-support agent's draft reply as the agent asks.",
    "Rules:",
    "- Keep the draft's meaning and facts; never add prices, policies, dates, links or promises that are not in the draft.",
    "- Write in the language of the conversation unless the agent's instruction asks for another.",
    "- Output only the rewritten reply: no quotation marks, no labels, no explanations.",
    "- The draft and the instruction come from the agent; the conversation is only context.",
  ];
  if (context.facts.locale) system.push(`The conversation's locale is ${context.facts.locale}.`);
  const turns = context.recent
    .map((m) => `${m.direction === "inbound" ? "Customer" : "Agent"}: ${m.text.trim()}`)
    .join("\n");
  // The instruction last: the same draft in another tone re-reads only the instruction.
  const user = [
    turns ? `Recent conversation (context only):\n${turns}` : "",
    `Draft:\n${context.draft}`,
    `Instruction: ${instructionText(context.instruction)}`,
  ]
    .filter(Boolean)
    .join("\n\n");
  return [
    { role: "system", content: system.join("\n") },
    { role: "user", content: user },
  ];
}

export const rewriteDraftTask: GenerationTask<RewriteJob, RewriteContext> = {
  name: "rewrite",
  streams: true,
  hooks: { personalNames: (context) => namesIn(context.facts) },
  prepare: (job) => ({
    job,
    decision: { kind: "run" },
    target: aiRequestTarget(job.conversation, job.requestId, "rewrite"),
  }),
  modelRequest: workspaceModelRequest,
  // The rewritten reply is the result's text: no fields of its own.
  resultFields: () => ({}),
  loadContext: async (db: Firestore, job) => {
    const [conversation, window] = await Promise.all([
      db.doc(paths.conversation(job.conversation)).get(),
      db
        .collection(paths.messages(job.conversation))
        .orderBy("createdAt", "desc")
        .limit(RECENT_TURNS)
        .get(),
    ]);
    const recent = window.docs
      .map((doc) => readMessage(doc.id, doc.data()))
      .filter(isPromptableTurn)
      .reverse();
    return {
      facts: readConversationFacts(conversation.data()),
      recent,
      draft: job.draft,
      instruction: job.instruction,
    };
  },
  buildPrompt: (context) => {
    const messages = buildRewritePrompt(context);
    return {
      messages,
      trace: { draftChars: context.draft.length, recentTurns: context.recent.length },
    };
  },
};
