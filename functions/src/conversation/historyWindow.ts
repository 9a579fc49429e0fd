import type { PromptTrace } from "../contract/documents";
import type { ConversationMessage } from "./message";

/*
 * Which messages a suggestion's prompt holds. LM Studio (llama.cpp) reuses the KV cache of the
 * longest common prefix with the previous request, so the window moves in steps instead of
 * sliding one message at a time: it keeps its first message (the anchor the conversation's
 * previous prompt started from) while it holds fewer than 2 × CONTEXT_MESSAGES messages, then
 * moves to keep the newest CONTEXT_MESSAGES, where it stays for CONTEXT_MESSAGES more. It never
 * holds fewer than the newest CONTEXT_MESSAGES (the character budget aside).
 */

/** How many of the newest messages to read: enough to keep an anchor of up to 2 × limit − 1. */
export const windowReadSize = (limit: number) => 2 * limit;

/**
 * The window of `history` (oldest first, ending with the message being answered, at most
 * `windowReadSize(limit)` of the newest): from the anchor when it is there and the window is not
 * full, else the newest `limit`.
 */
export function stepWindow(
  history: ConversationMessage[],
  anchorId: string | undefined,
  limit: number,
): ConversationMessage[] {
  const anchor = anchorId === undefined ? -1 : history.findIndex((m) => m.id === anchorId);
  if (anchor >= 0 && history.length - anchor < windowReadSize(limit)) return history.slice(anchor);
  return history.slice(-limit);
}

/**
 * The earlier customer messages whose knowledge reference notes the next prompt repeats after
 * their words (tasks/replySuggestion/referenceNotes.ts): those the previous prompt
 * held, when it began where this window begins. Never the message being answered (a
 * regenerate): its note is made again, last.
 */
export function carriedNoteIds(
  previous: PromptTrace | undefined,
  windowStartId: string | undefined,
  triggerId: string,
): string[] {
  if (!previous?.notedMessageIds || previous.fromMessageId !== windowStartId) return [];
  return previous.notedMessageIds.filter((id) => id !== triggerId);
}
