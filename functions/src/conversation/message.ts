import type { MessageDocument, StoredFields } from "../contract/documents";
import { isBlank } from "../core/safeText";
import type { SkipReason } from "../core/vocabulary";

/** A message as the pipeline understands it, whatever the stored document looked like. */
export interface ConversationMessage {
  id: string;
  direction: "inbound" | "outbound" | "unknown";
  type: string;
  text: string;
  createdAtMs: number | null;
}

interface TimestampLike {
  toMillis(): number;
}

function isTimestampLike(value: unknown): value is TimestampLike {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as TimestampLike).toMillis === "function"
  );
}

/** Tolerant read of a stored message: missing or mistyped fields become neutral values. */
export function readMessage(
  id: string,
  stored: Record<string, unknown> | undefined,
): ConversationMessage {
  // Read by the contract's field names: a misspelled one fails to compile.
  const data: StoredFields<MessageDocument> | undefined = stored;
  const direction = data?.direction;
  const type =
    typeof data?.type === "string" && data.type.trim() !== "" ? data.type.trim() : "text";
  return {
    id,
    direction: direction === "inbound" || direction === "outbound" ? direction : "unknown",
    type,
    text: typeof data?.text === "string" ? data.text : "",
    createdAtMs: isTimestampLike(data?.createdAt) ? data.createdAt.toMillis() : null,
  };
}

export type TriggerDecision =
  | { kind: "ignored"; reason: "not_inbound" }
  | { kind: "skipped"; reason: SkipReason; detail: string }
  | { kind: "suggest" };

/** Only inbound text with something in it is worth a model call. */
export function decideForTriggerMessage(message: ConversationMessage): TriggerDecision {
  if (message.direction !== "inbound") return { kind: "ignored", reason: "not_inbound" };
  if (message.type !== "text") {
    return {
      kind: "skipped",
      reason: "unsupported_type",
      detail: `Message type "${message.type}" has no text to answer; only "text" messages get suggestions.`,
    };
  }
  if (isBlank(message.text)) {
    return { kind: "skipped", reason: "empty_text", detail: "The message has no text." };
  }
  return { kind: "suggest" };
}

/** Messages that can appear in the prompt as conversation turns. */
export function isPromptableTurn(message: ConversationMessage): boolean {
  return message.direction !== "unknown" && message.type === "text" && !isBlank(message.text);
}
