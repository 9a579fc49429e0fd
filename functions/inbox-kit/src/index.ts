/*
 * @lmstudio-suggestions/inbox-kit: the agents' inbox side of the AI reply suggestions
 * (docs/inbox-kit.md). Types of every document, live listeners with typed states, and the
 * agent's actions, on the Firebase web SDK.
 */
export * from "./types";
export { suggestionState, type SuggestionState } from "./suggestionState";
export { reportState, type ReportState } from "./reportState";
export {
  watchConversations,
  watchCurrentSuggestion,
  watchMessages,
  watchReport,
  watchSuggestion,
  type ConversationEntry,
  type MessageEntry,
  type OnError,
} from "./listeners";
export {
  options,
  regenerate,
  requestReport,
  rewrite,
  sendReply,
  type NewVersion,
  type RequestOptions,
  type Rewritten,
} from "./actions";
export {
  AGENT_USE_OUTCOMES,
  GENERATION_STATUSES,
  INSTRUCTION_PRESETS,
  TONES,
} from "../../src/core/vocabulary";
