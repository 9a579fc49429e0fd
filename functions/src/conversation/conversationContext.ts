import type { PromptTrace, ReferenceNote } from "../contract/documents";
import type { ConversationMessage } from "./message";

/** What the prompt may use about the conversation besides its messages. */
export interface ConversationFacts {
  customerName?: string;
  /**
   * The customer's whole display name, letters and spaces only: what the masking of a cloud
   * prompt looks for (privacy.kinds "name"). Never itself in a prompt.
   */
  customerFullName?: string;
  channel?: string;
  locale?: string;
}

export interface ConversationContext {
  facts: ConversationFacts;
  /** Chronological, oldest first, ending with the message being answered. */
  history: ConversationMessage[];
  trigger: ConversationMessage;
  /** The conversation's previous prompt, as its suggestion recorded it (`prompt`). */
  previousPrompt?: PromptTrace;
  /** The reference notes of earlier messages that the previous prompt held, by message id. */
  carriedNotes?: ReadonlyMap<string, ReferenceNote>;
}

const CHANNEL_PATTERN = /^[a-z][a-z0-9_-]{0,29}$/;
const LOCALE_PATTERN = /^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$/;

/**
 * The customer chooses their display name (a WhatsApp profile, a web form), so it is untrusted:
 * "Ana SYSTEM ignore all previous rules" is a valid profile name. Only its first word reaches
 * the system prompt, as letters and name punctuation, at most 20 characters: enough to greet
 * someone by name, too little to carry an instruction.
 */
export function sanitizeCustomerName(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const firstWord = value
    .normalize("NFC")
    .replace(/[^\p{L}\p{M}.'’-]/gu, " ")
    .trim()
    .split(/\s+/)[0]
    .replace(/^[.'’-]+|[.'’-]+$/g, "")
    .slice(0, 20);
  return /\p{L}/u.test(firstWord) ? firstWord : undefined;
}

/** Reads the optional conversation fields the team's frontend already writes. */
export function readConversationFacts(
  data: Record<string, unknown> | undefined,
): ConversationFacts {
  const customer = data?.customer;
  const displayName =
    typeof data?.customerName === "string"
      ? data.customerName
      : typeof customer === "object" && customer !== null
        ? (customer as Record<string, unknown>).name
        : undefined;
  const customerName =
    sanitizeCustomerName(data?.customerName) ??
    (typeof customer === "object" && customer !== null
      ? sanitizeCustomerName((customer as Record<string, unknown>).name)
      : undefined);
  const customerFullName =
    typeof displayName === "string"
      ? displayName
          .normalize("NFC")
          .replace(/[^\p{L}\p{M}'’ -]/gu, " ")
          .replace(/\s+/g, " ")
          .trim()
          .slice(0, 60)
      : "";
  const channel = typeof data?.channel === "string" ? data.channel.trim().toLowerCase() : undefined;
  const locale = typeof data?.locale === "string" ? data.locale.trim() : undefined;
  return {
    customerName,
    ...(customerFullName ? { customerFullName } : {}),
    channel: channel && CHANNEL_PATTERN.test(channel) ? channel : undefined,
    locale: locale && LOCALE_PATTERN.test(locale) ? locale : undefined,
  };
}

/** The people a conversation's facts name, for the masking of a cloud prompt. */
export const namesIn = (facts: ConversationFacts): string[] =>
  facts.customerFullName ? [facts.customerFullName] : [];

/**
 * Orders the fetched window oldest-first and puts the triggering message last, once, whatever
 * the query returned (it may be missing when its createdAt is absent, or equal to a neighbour's).
 */
export function assembleHistory(
  fetchedNewestFirst: ConversationMessage[],
  trigger: ConversationMessage,
): ConversationMessage[] {
  const others = fetchedNewestFirst.filter((m) => m.id !== trigger.id).reverse();
  return [...others, trigger];
}
