import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import pLimit from "p-limit";
import { CircuitBreaker } from "../src/providers/circuitBreaker";
import type { ProviderEndpoint } from "../src/providers/providerEndpoint";
import { ProviderPool } from "../src/providers/providerPool";
import { withTeamNote } from "../src/tasks/replySuggestion/buildSuggestionPrompt";
import { promptTrace } from "../src/tasks/replySuggestion/promptTrace";
import {
  mean,
  reuseShares,
  simulateConversation,
  SimulatedRequest,
} from "../test/support/conversationSimulation";

/*
 * `npm run bench`, section 11: prompts as LM Studio's KV cache sees them. A 40-turn WhatsApp
 * conversation (customer, then agent) through the trigger's prompt steps, with knowledge off and
 * on (a 600-character reference each message, and 4 of 750, the default RAG_CHAR_BUDGET's
 * worth): how much of each prompt repeats the previous one's start, what is re-read, a
 * regenerate, the sticky-server share with 2 servers, and the
 * time to first token that re-reading costs at a stated prompt-processing rate (a projection, not
 * a measurement: `npm run bench:engine` measures it on llama.cpp). It writes the prompts to
 * build-dev/bench/kv-prompts.json for that bench.
 */

/** About four characters a token, as the usage estimate counts. */
const tokens = (chars: number) => chars / 4;
/** The stated prompt-processing rate of the projection: a mid-range desktop GPU, 8B model. */
const TOKENS_PER_SECOND = 1_000;

function describe(label: string, requests: SimulatedRequest[]): string {
  const shares = reuseShares(requests);
  const reread = requests.slice(1).map((r) => r.trace.chars - r.trace.reusedChars);
  const projectedMs = mean(reread.map((c) => (tokens(c) / TOKENS_PER_SECOND) * 1000));
  return `${label}: prefix reuse mean ${mean(shares).toFixed(2)} (after turn 12: ${mean(shares.slice(11)).toFixed(2)}), ${Math.round(mean(reread)).toLocaleString("en")} characters re-read per suggestion of ${Math.round(mean(requests.map((r) => r.trace.chars))).toLocaleString("en")}, projected prompt time ${projectedMs.toFixed(0)} ms at ${TOKENS_PER_SECOND.toLocaleString("en")} tokens/s`;
}

function stickyShare(): number {
  const endpoint = (url: string): ProviderEndpoint => ({
    provider: "llm_studio",
    baseUrl: url,
    label: url,
    client: {} as ProviderEndpoint["client"],
    limit: pLimit(4),
    embedLimit: pLimit(4),
    breaker: new CircuitBreaker({ failureThreshold: 5, cooldownMs: 30_000 }),
    schemaUnsupported: false,
  });
  const pool = new ProviderPool("llm_studio", [
    endpoint("http://192.168.1.10:1234/v1"),
    endpoint("http://192.168.1.11:1234/v1"),
  ]);
  let stayed = 0;
  for (let c = 0; c < 100; c++) {
    const servers = new Set(Array.from({ length: 20 }, () => pool.pick(new Set(), `w/c-${c}`)));
    if (servers.size === 1) stayed += 1;
  }
  return stayed / 100;
}

export function runPromptCacheBench(): void {
  const settings = { turns: 40, limit: 20, charBudget: 12_000 };
  const layouts: { name: string; prompts: unknown[] }[] = [];
  const cases = [
    { label: "knowledge off", knowledge: false },
    { label: "knowledge on, 1 reference of 600 characters a message", knowledge: true },
    {
      label: "knowledge on, 4 references of 750 characters a message",
      knowledge: true,
      references: { count: 4, chars: 750 },
    },
  ];
  for (const { label, ...options } of cases) {
    const stepped = simulateConversation({ ...settings, ...options });
    const sliding = simulateConversation({ ...settings, ...options, sliding: true });
    console.log(describe(`prompt cache, ${label}, stepped window`, stepped));
    console.log(
      describe(`prompt cache, ${label}, window sliding by one message (the old window)`, sliding),
    );
    if (!options.knowledge || options.references) {
      layouts.push(
        {
          name: `${label}: window sliding by one message (before)`,
          prompts: sliding.map((r) => r.messages),
        },
        { name: `${label}: stepped window (now)`, prompts: stepped.map((r) => r.messages) },
      );
    }
  }
  const grounded = simulateConversation({ ...settings, knowledge: true });
  const last = grounded[grounded.length - 1];
  const steered = withTeamNote(last.messages, "The agent's instruction for this reply: más corto");
  const regenerate = promptTrace(steered, last.trace, last.trace);
  console.log(
    `prompt cache, a regenerate right after its suggestion (knowledge on): prefix reuse ${(regenerate.reusedChars / regenerate.chars).toFixed(2)}`,
  );
  console.log(
    `sticky servers, 2 healthy LM Studio servers: ${(100 * stickyShare()).toFixed(0)} % of 100 conversations stayed on one server for all 20 of their requests`,
  );
  const runs = 200;
  const started = performance.now();
  for (let i = 0; i < runs; i++) simulateConversation({ ...settings, turns: 1, knowledge: true });
  const perBuild = ((performance.now() - started) / runs) * 1000;
  console.log(`prompt cache: building and tracing one prompt costs ${perBuild.toFixed(0)} µs`);
  const dir = join(__dirname, "..");
  mkdirSync(join(dir, "bench"), { recursive: true });
  writeFileSync(join(dir, "bench", "kv-prompts.json"), JSON.stringify({ layouts }, null, 1));
  console.log(
    "prompt cache: the prompts are in build-dev/bench/kv-prompts.json for npm run bench:engine",
  );
}

if (require.main === module) runPromptCacheBench();
