import type { PrivacySettings } from "../config/workspaceAiSettings";
import type { PrivacyUse } from "../contract/documents";
import { GenerationError } from "../core/errorCodes";
import type { ChatMessage, ProviderId } from "../core/vocabulary";
import type { PromptMasker } from "../privacy/promptMasker";
import type { StreamHandlers } from "./askProvider";
import type { StructuredOutput } from "./structuredOutput";
import { regexLiteral } from "../core/textForms";

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

/** What one call sends a provider, and how its answer comes back. */
export interface PreparedCall {
  messages: ChatMessage[];
  structured?: StructuredOutput;
  stream?: StreamHandlers;
  /** The answer's text and JSON value with the real values back, and what was masked. */
  restore<T extends { text: string; structured?: { value: unknown } }>(
    answer: T,
  ): T & { privacy?: PrivacyUse };
}

type Call = Pick<PreparedCall, "messages" | "structured" | "stream">;

/**
 * The call as `provider` may see it: masked where the workspace's settings say so, else as
 * written. A masking that fails sends nothing (`invalid_config`), and never says why: the reason
 * could quote what it was masking.
 */
export async function prepareCall(
  provider: ProviderId,
  privacy: PrivacySettings,
  names: readonly string[],
  call: Call,
): Promise<PreparedCall | GenerationError> {
  if (!masksFor(provider, privacy)) return { ...call, restore: (answer) => answer };
  try {
    return await maskCall(privacy, names, call);
  } catch {
    return new GenerationError(
      "invalid_config",
      `The request's personal data could not be masked, so nothing was sent to ${provider} (settings/ai.privacy).`,
    );
  }
}

/**
 * A team's code pattern (`AR#########`, `OC-####`): `#` a digit, `*` a letter, the rest itself.
 */
export function codePattern(pattern: string): RegExp {
  const body = [...pattern]
    .map((c) => (c === "#" ? "\\d" : c === "*" ? "\\p{L}" : regexLiteral(c)))
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
      const more = restorer.push(visibleSoFar.slice(received.length));
      received = visibleSoFar;
      // Only text the agent can read: a tail held back shows nothing new, and no empty draft.
      if (more === "") return;
      shown += more;
      if (shown.trim() !== "") stream.onText(shown);
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
async function maskCall(
  privacy: PrivacySettings,
  names: readonly string[],
  call: Call,
): Promise<PreparedCall> {
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
