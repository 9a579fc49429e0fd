/*
 * Each layout's requests replayed on a llama.cpp sequence of its own, the way llama.cpp's server
 * serves a slot with `cache_prompt`: keep the KV cache of the longest common token prefix with the
 * previous prompt, erase the rest, evaluate what remains, and sample one token. The time to that
 * token is the request's time to first token.
 */
import { performance } from "node:perf_hooks";
import type { LlamaContextSequence, LlamaModel } from "./installEngine";
import type { ChatMessage } from "./promptsFile";

/** The ChatML text a Qwen-style template renders, ending where the assistant's answer begins. */
export function renderChatMl(messages: readonly ChatMessage[]): string {
  const turns = messages.map((m) => `<|im_start|>${m.role}\n${m.content}<|im_end|>\n`);
  return `${turns.join("")}<|im_start|>assistant\n`;
}

/**
 * How many of the cached tokens to keep for the next prompt: their common prefix, less one when
 * the prompt is all cached, since at least one token must be evaluated to get the next token's
 * logits (llama.cpp's server does the same).
 */
export function reusablePrefix(cached: readonly number[], next: readonly number[]): number {
  const limit = Math.min(cached.length, next.length);
  let common = 0;
  while (common < limit && cached[common] === next[common]) common++;
  return common === next.length ? Math.max(0, common - 1) : common;
}

export interface RequestMeasure {
  tokens: number;
  reused: number;
  processed: number;
  timeToFirstTokenMs: number;
}

/** One request on `sequence`: keep the common prefix, evaluate the rest, sample one token. */
export async function serveRequest(
  model: LlamaModel,
  sequence: LlamaContextSequence,
  messages: readonly ChatMessage[],
): Promise<RequestMeasure> {
  const tokens = model.tokenize(renderChatMl(messages), true);
  const started = performance.now();
  const reused = reusablePrefix(sequence.contextTokens, tokens);
  if (sequence.nextTokenIndex > reused) {
    await sequence.eraseContextTokenRanges([{ start: reused, end: sequence.nextTokenIndex }]);
  }
  // Greedy, one token: the generated token is never fed back, so the cache holds the prompt.
  const generation = sequence.evaluate(tokens.slice(reused), { temperature: 0 });
  await generation.next();
  const timeToFirstTokenMs = performance.now() - started;
  await generation.return();
  return { tokens: tokens.length, reused, processed: tokens.length - reused, timeToFirstTokenMs };
}

/**
 * Each layout's requests in order on its own sequence (its own slot), starting cold. The layouts
 * take turns, request by request, so that a busy machine slows them alike.
 */
export async function replayLayouts(
  model: LlamaModel,
  slots: ReadonlyArray<{
    sequence: LlamaContextSequence;
    prompts: ReadonlyArray<readonly ChatMessage[]>;
  }>,
  onRequest?: (done: number, total: number) => void,
): Promise<RequestMeasure[][]> {
  for (const slot of slots) await slot.sequence.clearHistory();
  const measures: RequestMeasure[][] = slots.map(() => []);
  const total = slots.reduce((n, slot) => n + slot.prompts.length, 0);
  const rounds = Math.max(...slots.map((slot) => slot.prompts.length));
  let done = 0;
  for (let i = 0; i < rounds; i++) {
    for (const [s, slot] of slots.entries()) {
      if (i >= slot.prompts.length) continue;
      measures[s].push(await serveRequest(model, slot.sequence, slot.prompts[i]));
      onRequest?.(++done, total);
    }
  }
  return measures;
}
