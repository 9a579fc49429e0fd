/*
 * The engine bench's input: for each prompt layout, the chat requests one conversation sends to
 * its LM Studio server, in order. `npm run bench` writes it; the bench only reads it.
 */
import { existsSync, readFileSync } from "node:fs";
import { z } from "zod";

const chatMessage = z.object({
  role: z.enum(["system", "user", "assistant"]),
  content: z.string(),
});

export const promptsFileSchema = z.object({
  layouts: z
    .array(
      z.object({
        name: z.string().min(1),
        prompts: z.array(z.array(chatMessage).min(1)).min(1),
      }),
    )
    .min(1),
});

export type PromptsFile = z.infer<typeof promptsFileSchema>;
export type PromptLayout = PromptsFile["layouts"][number];
export type ChatMessage = z.infer<typeof chatMessage>;

export class PromptsFileProblem extends Error {}

/** `shownAs`: the path as messages print it. */
export function readPromptsFile(path: string, shownAs = path): PromptsFile {
  if (!existsSync(path)) {
    throw new PromptsFileProblem(
      `No prompts file at ${shownAs}. \`npm run bench\` writes it (each layout's chat requests over ` +
        "a 40-turn conversation); or pass --prompts FILE, or --sample for a synthetic conversation.",
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new PromptsFileProblem(`${shownAs} is not JSON: ${(error as Error).message}`);
  }
  const parsed = promptsFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PromptsFileProblem(
      `${shownAs} is not a prompts file: ${issue.path.join(".") || "(root)"}: ${issue.message}. ` +
        'Expected { "layouts": [ { "name": "...", "prompts": [ [ { "role", "content" }, … ], … ] } ] }.',
    );
  }
  return parsed.data;
}
