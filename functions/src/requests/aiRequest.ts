import { GenerationError } from "../core/errorCodes";
import { ConversationAddress, paths } from "../core/paths";
import { quoteValue } from "../core/safeText";
import type { ResultTarget } from "../engine/generationTask";
import { MAX_REPLY_OPTIONS, type InstructionPreset } from "../core/vocabulary";
import type { AiRequestCreate } from "../contract/documents";

/*
 * An agent's request from the inbox, `…/aiRequests/{requestId}`, validated. Everything in it is
 * the client's text: it names the field that is wrong, and `draft` and `instruction` never reach
 * the model's system role.
 */

export const MAX_DRAFT_CHARS = 4_000;
export const MAX_INSTRUCTION_CHARS = 300;

/** The preset instructions an inbox offers as buttons; any other text is a free instruction. */
export const PRESET_INSTRUCTIONS: Record<InstructionPreset, string> = {
  shorter: "Make it shorter, keeping what matters.",
  longer: "Make it a little longer and more complete, without adding facts.",
  formal: "Make it more formal and polite.",
  friendly: "Make it warmer and friendlier.",
  fix_grammar: "Fix spelling, grammar and punctuation only; keep the wording otherwise.",
  usted: "Address the customer as 'usted' (formal Spanish).",
  tu: "Address the customer as 'tú' (informal Spanish, standard conjugation).",
  vos: "Address the customer with 'vos' (voseo, as in Argentina and Uruguay).",
  customer_language: "Write it in the language of the customer's latest message.",
};

/** A request as the client wrote it (the contract's AiRequestCreate), but for its time. */
export type AiRequest = AiRequestCreate extends infer R
  ? R extends AiRequestCreate
    ? Omit<R, "createdAt">
    : never
  : never;
type AiRequestField = Exclude<
  AiRequestCreate extends infer R ? (R extends AiRequestCreate ? keyof R : never) : never,
  "kind" | "createdAt"
>;

export const invalidRequest = (message: string) => new GenerationError("invalid_request", message);

function text(
  raw: Record<string, unknown>,
  field: AiRequestField,
  max: number,
  required: boolean,
): string | undefined {
  const value = raw[field];
  if (value === undefined || value === null) {
    if (required) throw invalidRequest(`aiRequests.${field} is required for this kind.`);
    return undefined;
  }
  if (typeof value !== "string" || value.trim() === "" || value.length > max) {
    throw invalidRequest(
      `aiRequests.${field} must be text of 1–${max} characters; got ${quoteValue(value)}.`,
    );
  }
  return value;
}

/** The instruction as the model reads it: a preset's own text, or the agent's words. */
export function instructionText(instruction: string): string {
  const preset = (PRESET_INSTRUCTIONS as Record<string, string>)[instruction.trim()];
  return preset ?? instruction.trim();
}

/** `options` of a regenerate: how many reply options to offer instead of one (2–3). */
function replyOptionCount(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (
    typeof value === "number" &&
    Number.isInteger(value) &&
    value >= 2 &&
    value <= MAX_REPLY_OPTIONS
  )
    return value;
  throw invalidRequest(
    `aiRequests.options must be a whole number from 2 to ${MAX_REPLY_OPTIONS}, or absent; got ${quoteValue(value)}.`,
  );
}

/** Validates a request document; throws `invalid_request` naming the field. */
export function parseAiRequest(raw: Record<string, unknown> | undefined): AiRequest {
  if (!raw) throw invalidRequest("The request document is empty.");
  const requestedBy = text(raw, "requestedBy", 128, true) as string;
  const instruction = text(raw, "instruction", MAX_INSTRUCTION_CHARS, false);
  switch (raw.kind) {
    case "regenerate": {
      const options = replyOptionCount(raw.options);
      return {
        kind: "regenerate",
        messageId: text(raw, "messageId", 200, true) as string,
        ...(instruction !== undefined ? { instruction } : {}),
        ...(options !== undefined ? { options } : {}),
        requestedBy,
      };
    }
    case "rewrite":
      return {
        kind: "rewrite",
        draft: text(raw, "draft", MAX_DRAFT_CHARS, true) as string,
        instruction: text(raw, "instruction", MAX_INSTRUCTION_CHARS, true) as string,
        requestedBy,
      };
    case "report":
      return { kind: "report", requestedBy };
    default:
      throw invalidRequest(
        `aiRequests.kind must be "regenerate", "rewrite" or "report"; got ${quoteValue(raw.kind ?? null)}.`,
      );
  }
}

/**
 * The request document as a result: the client created it, so it is claimed once (no status
 * yet) and answered on itself; `metricsKey` says what it counts as.
 */
export function aiRequestTarget(
  conversation: ConversationAddress,
  requestId: string,
  metricsKey: string,
): ResultTarget {
  return {
    workspaceId: conversation.workspaceId,
    path: paths.aiRequest(conversation, requestId),
    identity: {},
    logFields: { ...conversation, requestId },
    affinity: `${conversation.workspaceId}/${conversation.conversationId}`,
    claim: { mode: "request" },
    metricsKey,
  };
}
