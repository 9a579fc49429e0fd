import { storedError } from "./actionError";
import type {
  AgentUseOutcome,
  ErrorCode,
  KnowledgeStatus,
  ProviderId,
  Suggestion,
  SuggestionSource,
} from "./types";

/*
 * What an inbox shows for a suggestion document: one of five states, decided here, once, so
 * that no frontend spells the statuses again. Pure: a document in, a state out.
 */

export type SuggestionState =
  /** Nothing to show: AI off or not written yet (`none`), a blank or non-text message, or a newer one owns the conversation. */
  | { state: "hidden"; why: "none" | "skipped" | "superseded" }
  /** The model is on it (`queued`: bridge mode, waiting for the PC's bridge). */
  | { state: "waiting"; messageId: string; queued: boolean }
  /** The words so far: show them live, but not as sendable. */
  | { state: "streaming"; messageId: string; text: string; version: number }
  | {
      state: "ready";
      messageId: string;
      text: string;
      /** Every reply option (the first is `text`); one entry without options. */
      options: string[];
      provider: ProviderId;
      model: string;
      /** The help-center articles it drew on; empty when it was not grounded. */
      sources: SuggestionSource[];
      knowledge?: KnowledgeStatus;
      /** The reply may be cut: the model hit `maxTokens`. */
      truncated: boolean;
      version: number;
      /** What the agent did with it, once they replied: `sent_as_is`, `edited` or `not_used`. */
      used?: AgentUseOutcome;
    }
  /** Failed: `hint` is for admins (what to fix), in the team's language. */
  | { state: "error"; messageId: string; code: ErrorCode; message: string; hint: string };

export function suggestionState(doc: Suggestion | undefined): SuggestionState {
  if (!doc) return { state: "hidden", why: "none" };
  const messageId = doc.messageId;
  switch (doc.status) {
    case "queued":
    case "generating":
      return { state: "waiting", messageId, queued: doc.status === "queued" };
    case "streaming":
      return { state: "streaming", messageId, text: doc.text ?? "", version: doc.version };
    case "ready": {
      const text = doc.text ?? "";
      const options = doc.options?.map((o) => o.text) ?? [text];
      return {
        state: "ready",
        messageId,
        text,
        options: options.length > 0 ? options : [text],
        provider: doc.provider ?? "llm_studio",
        model: doc.model ?? "",
        sources: doc.sources ?? [],
        ...(doc.knowledge ? { knowledge: doc.knowledge.status } : {}),
        truncated: doc.truncated === true,
        version: doc.version,
        ...(doc.agentUse ? { used: doc.agentUse.outcome } : {}),
      };
    }
    case "error":
      return { state: "error", messageId, ...storedError(doc.error) };
    case "skipped":
      return { state: "hidden", why: "skipped" };
    case "superseded":
      return { state: "hidden", why: "superseded" };
  }
}

/** Two states the same for the screen: listeners call back only when this is false. */
export function sameState(a: SuggestionState | undefined, b: SuggestionState): boolean {
  return a !== undefined && JSON.stringify(a) === JSON.stringify(b);
}
