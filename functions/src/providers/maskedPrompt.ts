import type { PrivacySettings } from "../config/workspaceAiSettings";
import type { PrivacyUse } from "../contract/documents";
import type { ChatMessage, ProviderId } from "../core/vocabulary";
import type { PromptMasker } from "../privacy/promptMasker";
import type { StreamHandlers } from "./askProvider";
import type { StructuredOutput } from "./structuredOutput";

/*
 * A prompt as one provider may see it. For a cloud provider (OpenAI) the workspace's personal
 * data is masked by default (`privacy.mask_cloud`): every message of the call, the plain-text
 * fallback of a JSON call included, goes with typed placeholders (`[TELÉFONO_1]`), one masker per
 * call so a value keeps its placeholder across messages. The answer gets the values back before
 * anything is shown or written: while it streams, a tail that could still become a placeholder
 * waits for the next chunk. LM Studio runs on the team's own network and gets the text as it is,
 * unless the workspace asks otherwise (`privacy.mask_local`).
 */

/** Whether a call to `provider` is masked under these settings. */
export const masksFor = (provider: ProviderId, privacy: PrivacySettings): boolean =>
  provider === "openai" ? privacy.maskCloud : privacy.maskLocal;

/** What a masked call sends, and how its answer comes back. */
export interface MaskedCall {
  messages: ChatMessage[];
  structured?: StructuredOutput;
  stream?: StreamHandlers;
  /** The answer's text and JSON value with the real values back, and what was masked. */
  restore<T extends { text: string; structured?: { value: unknown } }>(
    answer: T,
  ): T & { privacy: PrivacyUse };
}

/** A team's code pattern (`AR#########`): `#` a digit, `*` a letter, the rest itself. */
export function codePattern(pattern: string): RegExp {
  const body = [...pattern]
    .map((c) =>
      c === "#" ? "\\d" : c === "*" ? "\\p{L}" : c.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&"),
    )
    .join("");
  return new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`, "gu");
}

/** Strings anywhere in a JSON value, restored (the reply options of a JSON answer). */
function restoreStrings(value: unknown, restore: (text: string) => string): unknown {
  if (typeof value === "string") return restore(value);
  if (Array.isArray(value)) return value.map((v) => restoreStrings(v, restore));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, restoreStrings(v, restore)]),
    );
  }
  return value;
}

/**
 * The streamed text with the values back. The handler gets the visible text so far; it only
 * grows, but for a reasoning block hidden at its end: then the restoring starts over.
 */
function restoringHandlers(masker: PromptMasker, stream: StreamHandlers): StreamHandlers {
  let restorer = masker.restoringStream();
  let received = "";
  let shown = "";
  return {
    onText(visibleSoFar) {
      if (!visibleSoFar.startsWith(received)) {
        restorer = masker.restoringStream();
        received = "";
        shown = "";
      }
      shown += restorer.push(visibleSoFar.slice(received.length));
      received = visibleSoFar;
      stream.onText(shown);
    },
    onAttempt() {
      restorer = masker.restoringStream();
      received = "";
      shown = "";
      stream.onAttempt();
    },
  };
}

/**
 * Masks one call. The masking code loads on the first masked call only: a function that never
 * masks never pays for it at cold start.
 */
export async function maskCall(
  privacy: PrivacySettings,
  names: readonly string[],
  call: { messages: ChatMessage[]; structured?: StructuredOutput; stream?: StreamHandlers },
): Promise<MaskedCall> {
  const { PromptMasker } = await import("../privacy/promptMasker.js");
  const masker = new PromptMasker({
    kinds: privacy.kinds,
    countries: privacy.countries,
    names: privacy.kinds.includes("name") ? names : [],
    keep: privacy.keep.map(codePattern),
  });
  const mask = (messages: ChatMessage[]) =>
    messages.map((m) => ({ ...m, content: masker.mask(m.content) }));
  const restore = (text: string) => masker.restore(text).text;
  return {
    messages: mask(call.messages),
    ...(call.structured
      ? {
          structured: {
            ...call.structured,
            fallbackMessages: mask(call.structured.fallbackMessages),
          },
        }
      : {}),
    ...(call.stream ? { stream: restoringHandlers(masker, call.stream) } : {}),
    restore(answer) {
      // The text holds the JSON of a structured answer too: its placeholders count once.
      const { text, unresolved } = masker.restore(answer.text);
      const structured = answer.structured
        ? { value: restoreStrings(answer.structured.value, restore) }
        : undefined;
      return {
        ...answer,
        text,
        ...(structured ? { structured } : {}),
        privacy: { masked: masker.counts(), unresolved },
      };
    },
  };
}
