import { createHash } from "node:crypto";
import type { PromptTrace } from "../../contract/documents";
import type { ChatMessage } from "../../core/vocabulary";
import { splitAtTeamNotes } from "./teamNote";

/*
 * How much of a prompt repeats the start of the conversation's previous one: what LM Studio's
 * KV cache can skip re-reading. LM Studio reports no cached tokens, so the backend measures it
 * itself, by whole messages: each prompt records a hash of itself up to each message, and the
 * next one counts the characters of the leading messages whose hashes match.
 */

const HASH_CHARS = 12;

/**
 * The cumulative hashes and lengths of a prompt: after each message's own words, and after each
 * team note that follows them, so that the customer's turn of the previous prompt (which then
 * ended with its references) still counts once those are gone.
 */
export function promptPrefixes(messages: ChatMessage[]): PromptTrace["prefixes"] {
  const hash = createHash("sha256");
  const prefixes: PromptTrace["prefixes"] = [];
  let chars = 0;
  for (const m of messages) {
    hash.update(`${m.role}\u0000`);
    for (const segment of splitAtTeamNotes(m.content)) {
      hash.update(segment);
      chars += segment.length;
      prefixes.push({ hash: hash.copy().digest("hex").slice(0, HASH_CHARS), chars });
    }
    hash.update("\u0000");
  }
  return prefixes;
}

/**
 * The trace a suggestion records: its window's start, its size, what it reused, and the reference
 * notes the next prompt of the window repeats.
 */
export function promptTrace(
  messages: ChatMessage[],
  layout: Pick<PromptTrace, "fromMessageId" | "note" | "notedMessageIds">,
  previous: PromptTrace | undefined,
): PromptTrace {
  const prefixes = promptPrefixes(messages);
  let reusedChars = 0;
  for (let i = 0; i < prefixes.length && i < (previous?.prefixes.length ?? 0); i++) {
    if (prefixes[i].hash !== previous?.prefixes[i].hash) break;
    reusedChars = prefixes[i].chars;
  }
  return {
    fromMessageId: layout.fromMessageId,
    chars: prefixes.at(-1)?.chars ?? 0,
    reusedChars,
    prefixes,
    ...(layout.note ? { note: layout.note } : {}),
    ...(layout.notedMessageIds?.length ? { notedMessageIds: layout.notedMessageIds } : {}),
  };
}
