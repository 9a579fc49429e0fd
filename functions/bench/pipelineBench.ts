/*
 * `npm run bench`: what the backend itself costs, with the model's time taken out. Runs the real
 * trigger against a Firestore emulator (the official one where installed) and a loopback LM Studio-compatible server, and
 * prints numbers; no thresholds (a benchmark is read, not asserted).
 */
process.env.GCLOUD_PROJECT ??= "demo-lmstudio-suggestions";
process.env.LOG_LEVEL = "silent";
process.env.OPENAI_BASE_URL = "http://127.0.0.1:9";
// Sections 1–3 measure the backend, not the wait for a customer's next message.
process.env.BURST_WINDOW_MS = "0";

import { performance } from "node:perf_hooks";
import type { ConversationMessage } from "../src/conversation/message";
import { createChatClient, requestChatCompletion } from "../src/providers/chatCompletion";
import { buildSuggestionPrompt } from "../src/tasks/replySuggestion/buildSuggestionPrompt";
import { measureColdStart } from "./coldStart";
import { startBenchFirestore } from "./firestoreProcess";
import { runLiveSuggestionsBench } from "./liveSuggestionsBench";
import { runReportsBench } from "./reportsBench";
import { runBridgeBench } from "./bridgeBench";
import { runKnowledgeBench } from "./knowledgeBench";
import { runConsoleBench } from "./consoleBench";
import { runCloudPathOverheadBench, runMaskingBench } from "./maskingBench";
import { runPromptCacheBench } from "./promptCacheBench";
import { FakeLmStudio } from "../test/support/fakeLmStudio";

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  return `mean ${mean.toFixed(1)} ms, p50 ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms`;
}

async function main(): Promise<void> {
  const emulator = await startBenchFirestore();
  console.log(`Firestore: ${emulator.description}`);
  const lm = await FakeLmStudio.start();
  process.env.LLM_STUDIO_URL = lm.url;
  // Imported after the environment is set: the harness wraps the real trigger.
  const h = await import("../test/support/harness.js");

  // 1. Pipeline overhead: everything but the model (which answers at once here).
  const history = Array.from({ length: 30 }, (_, i) => ({
    direction: (i % 2 ? "outbound" : "inbound") as "inbound" | "outbound",
    text: `turno ${i}: ${"palabras ".repeat(10)}`,
  }));
  const conversation = await h.seedConversation({ history });
  const overhead: number[] = [];
  const runs = 150;
  for (let i = 0; i < runs; i++) {
    const address = await h.createMessage(conversation, {
      direction: "inbound",
      text: `pregunta ${i}`,
    });
    const deliver = await h.messageCreatedEvent(address);
    const started = performance.now();
    await deliver();
    overhead.push(performance.now() - started);
  }
  console.log(
    `pipeline overhead per suggestion (settings ∥ 2 context reads, claim, prompt, call, outcome + metrics), ${runs} runs: ${stats(overhead)}`,
  );

  // 2. Trigger to ready against the raw model call, with a model that takes 200 ms: what the
  // backend adds around one suggestion (reads, claim, record) when the model is not instant.
  lm.latencyMs = 200;
  const rawMs: number[] = [];
  const client = createChatClient(`${lm.url}/v1`, undefined);
  for (let i = 0; i < 20; i++) {
    const started = performance.now();
    await requestChatCompletion(
      client,
      "bench",
      {
        model: "gpt-oss-20b",
        messages: [{ role: "user", content: "hola" }],
        temperature: 0.3,
        maxTokens: 150,
      },
      { timeoutMs: 5_000 },
    );
    rawMs.push(performance.now() - started);
  }
  // A conversation of its own: the embedded emulator answers the context query by scanning the
  // whole collection in JavaScript (real Firestore reads it from an index), so the first
  // section's 180 messages would charge its scan to the backend.
  const fresh = await h.seedConversation({ history });
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  for (const streaming of ["true", "false"]) {
    // Streamed, an answer that arrives all at once costs one streaming write before the
    // terminal one; a real model's answer streams for seconds.
    process.env.STREAM_SUGGESTIONS = streaming;
    const triggerMs: number[] = [];
    for (let i = 0; i < 20; i++) {
      const address = await h.createMessage(fresh, { direction: "inbound", text: `p ${i}` });
      const deliver = await h.messageCreatedEvent(address);
      const started = performance.now();
      await deliver();
      triggerMs.push(performance.now() - started);
    }
    console.log(
      `trigger to ready ÷ raw model call, model 200 ms, STREAM_SUGGESTIONS=${streaming}, 20 runs: ${(mean(triggerMs) / mean(rawMs)).toFixed(3)} (trigger ${mean(triggerMs).toFixed(1)} ms, raw call ${mean(rawMs).toFixed(1)} ms)`,
    );
  }
  delete process.env.STREAM_SUGGESTIONS;
  lm.latencyMs = 0;

  // 3. Throughput against a model that takes 200 ms, under the per-instance limit.
  for (const concurrency of [1, 2, 4]) {
    process.env.LLM_CONCURRENCY = String(concurrency);
    lm.latencyMs = 200;
    lm.maxInFlight = 0;
    // 24 customers at once, each in a conversation of their own.
    const { addresses } = await h.customersWriteAtOnce(24, (i) => `q${i}`);
    const started = performance.now();
    await Promise.all(addresses.map((a) => h.deliverMessageCreated(a)));
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `24 concurrent suggestions, model 200 ms, LLM_CONCURRENCY=${concurrency}: ${seconds.toFixed(2)} s, ${(24 / seconds).toFixed(1)} suggestions/s, max in flight at the server ${lm.maxInFlight} (ideal ${((24 / concurrency) * 0.2).toFixed(1)} s)`,
    );
  }
  lm.latencyMs = 0;

  // 4. Live suggestions: bursts, first visible text, streaming writes.
  await runLiveSuggestionsBench(h, lm);

  // 5. Conversation reports at three lengths.
  await runReportsBench(h, lm);

  // 6. Bridge mode against direct mode.
  await runBridgeBench(h, lm);

  // 7. Knowledge: retrieval's cost per suggestion, indexing 1,000 articles, the largest one.
  await runKnowledgeBench(h, lm);

  // 8. Prompt building, pure: a 200-message window of long turns, budget enforced.
  const window: ConversationMessage[] = Array.from({ length: 200 }, (_, i) => ({
    id: `m${i}`,
    direction: i % 2 ? "outbound" : "inbound",
    type: "text",
    text: "x".repeat(300),
    createdAtMs: i,
  }));
  const context = {
    facts: { channel: "whatsapp", customerName: "Lucía" },
    history: window,
    trigger: window[199],
  };
  const builds = 2000;
  const started = performance.now();
  for (let i = 0; i < builds; i++) buildSuggestionPrompt(context, { charBudget: 12_000 });
  console.log(
    `prompt for a 200-message window (12000-char budget): ${(((performance.now() - started) / builds) * 1000).toFixed(0)} µs per build`,
  );

  // 9. Cold start: loading the functions' entry module in a fresh process.
  const cold = measureColdStart();
  console.log(
    `cold start, the suggestion trigger's instance (FUNCTION_TARGET=onMessageCreated) ÷ bare firebase-functions/firestore + firebase-admin app and Firestore: ${(cold.suggestionMs / cold.bareMs).toFixed(2)} (${cold.suggestionMs.toFixed(0)} ms vs ${cold.bareMs.toFixed(0)} ms, median of 9 fresh processes); every function declared (deploy's discovery): ${(cold.everyFunctionMs / cold.bareMs).toFixed(2)}; its top modules: ${cold.top.map((m) => `${m.module} ${m.ms.toFixed(0)} ms`).join(", ")}`,
  );

  // 10. The operator console: reads and latency per call, the page's bundle.
  await runConsoleBench(h);

  // 11. Prompts as LM Studio's KV cache sees them.
  runPromptCacheBench();

  // 12. Privacy on the cloud path: masking a 12,000-character prompt, the corpus's precision and
  // recall, and what masking adds to a suggestion's overhead.
  await runMaskingBench();
  await runCloudPathOverheadBench(h, lm.url);

  const heap = process.memoryUsage();
  console.log(
    `memory after the runs: heap used ${(heap.heapUsed / 2 ** 20).toFixed(1)} MiB, rss ${(heap.rss / 2 ** 20).toFixed(1)} MiB`,
  );

  await lm.close();
  emulator.stop();
  process.exit(0);
}

void main();
