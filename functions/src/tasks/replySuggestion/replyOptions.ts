import { withTeamNote } from "./buildSuggestionPrompt";
import type { ResultWrite } from "../../results/resultDocument";
import { z } from "zod";
import type { ChatMessage } from "../../core/vocabulary";
import { extractReplyText } from "../../providers/extractReplyText";
import type { ProviderAnswer } from "../../providers/providerRouter";
import type { StructuredOutput } from "../../providers/structuredOutput";

/*
 * Several reply options for the agent to pick from. One zod definition is both the JSON Schema
 * sent as `response_format` and the check of what comes back.
 */

const MAX_OPTION_CHARS = 2_000;

export function replyOptionsSchema(count: number) {
  return z
    .object({
      options: z
        .array(z.object({ text: z.string().min(1).max(MAX_OPTION_CHARS) }).strict())
        .min(count)
        .max(count),
    })
    .strict();
}

/** The plain single-reply prompt, asked for `count` distinct options as JSON. */
export function replyOptionsOutput(
  plain: ChatMessage[],
  count: number,
): {
  messages: ChatMessage[];
  structured: StructuredOutput;
} {
  const schema = replyOptionsSchema(count);
  // Last, as a team note: the system prompt stays the one the conversation's cache holds.
  const asked = withTeamNote(
    plain,
    `Write ${count} different reply options (different wording or approach, same facts). Answer only with JSON: {"options":[{"text":"…"}]} with exactly ${count} options.`,
  );
  return {
    messages: asked,
    structured: {
      name: "reply_options",
      schema: z.toJSONSchema(schema) as Record<string, unknown>,
      parse: (json) => {
        const parsed = schema.safeParse(json);
        return parsed.success ? parsed.data : undefined;
      },
      fallbackMessages: plain,
    },
  };
}

/**
 * The suggestion's fields for options: `options`, `text` the first of them. Where schemas failed
 * the one plain reply is the only option, and `optionsFallback` says so.
 */
export function optionsFields(answer: ProviderAnswer): ResultWrite {
  const value = answer.structured?.value as
    z.infer<ReturnType<typeof replyOptionsSchema>> | undefined;
  if (!value) return { options: [{ text: answer.text }], optionsFallback: true };
  const options = value.options
    .map((o) => ({ text: extractReplyText(o.text) }))
    .filter((o) => o.text !== "");
  if (options.length === 0) return { options: [{ text: answer.text }], optionsFallback: true };
  return { options, text: options[0].text, optionsFallback: false };
}
