/*
 * `npm run bench:engine` (opt-in, never part of `npm test` or CI): real prompt processing and KV
 * cache reuse in llama.cpp, old prompt layout against new in one run. Installs node-llama-cpp
 * with its prebuilt CPU binary into build-dev/llama-engine/ on first use, writes a random-weight
 * model there, replays each layout's requests from the prompts file on one sequence (one LM
 * Studio slot), and prints each layout's tokens processed and time to first token. Numbers are
 * read, not asserted.
 *
 *   --prompts FILE  the layouts' requests (default build-dev/bench/kv-prompts.json, which
 *                   `npm run bench` writes)
 *   --sample        a synthetic 40-turn conversation instead of a prompts file
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { formatComparisons, formatTable, summarize } from "./engineReport";
import {
  ENGINE_VERSION,
  EngineUnavailable,
  ensureEngineInstalled,
  type LlamaContext,
  loadEngine,
} from "./installEngine";
import { type PromptsFile, PromptsFileProblem, readPromptsFile } from "./promptsFile";
import { BENCH_MODEL_SHAPE, ensureRandomModel } from "./randomModel";
import { renderChatMl, replayLayouts } from "./replayPrompts";
import { samplePrompts } from "./sampleConversation";

// Compiled to build-dev/bench/llamaEngine/: the functions folder is three levels up.
const FUNCTIONS = resolve(__dirname, "../../..");
const ENGINE_PREFIX = join(FUNCTIONS, "build-dev", "llama-engine");
const DEFAULT_PROMPTS = join(FUNCTIONS, "build-dev", "bench", "kv-prompts.json");
const RESULTS = join(FUNCTIONS, "build-dev", "bench", "kv-engine.json");

/** A path as printed: relative to functions/ when inside it. */
function show(path: string): string {
  const inside = relative(FUNCTIONS, path);
  return inside.startsWith("..") ? path : inside || ".";
}
const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;

function readInput(): { source: string; prompts: PromptsFile } {
  const { values } = parseArgs({
    options: { prompts: { type: "string" }, sample: { type: "boolean", default: false } },
  });
  if (values.sample) return { source: "--sample", prompts: samplePrompts() };
  // Relative to where `npm run` was typed, not to functions/.
  const file = values.prompts
    ? resolve(process.env.INIT_CWD ?? process.cwd(), values.prompts)
    : DEFAULT_PROMPTS;
  return { source: file, prompts: readPromptsFile(file, show(file)) };
}

async function main(): Promise<void> {
  const { source, prompts } = readInput();

  const install = ensureEngineInstalled(ENGINE_PREFIX, show(ENGINE_PREFIX));
  const installNote = install.installedInSeconds
    ? `installed now in ${install.installedInSeconds.toFixed(1)} s`
    : "already installed";
  console.log(
    `install: ${install.packages.join(" + ")} in ${show(install.prefix)}/ (${install.packageCount} packages, ${megabytes(install.bytes)}, ${installNote})`,
  );

  const started = performance.now();
  const modelFile = ensureRandomModel(ENGINE_PREFIX);
  const { layers, embedding, feedForward, weightType } = BENCH_MODEL_SHAPE;
  console.log(
    `model: random weights, llama architecture, ${layers} layers, ${embedding} wide, feed-forward ${feedForward}, byte-level vocabulary, ${weightType.toUpperCase()}, ${megabytes(modelFile.bytes)} (${modelFile.written ? `written in ${((performance.now() - started) / 1000).toFixed(1)} s` : "cached"}): ${show(modelFile.path)}`,
  );

  const llama = await loadEngine(ENGINE_PREFIX);
  const model = await llama.loadModel({ modelPath: modelFile.path, gpuLayers: 0 });
  // One context of one sequence per layout: each layout is one conversation on its own slot.
  const contexts: LlamaContext[] = [];
  for (const layout of prompts.layouts) {
    const longest = Math.max(
      ...layout.prompts.map((p) => model.tokenize(renderChatMl(p), true).length),
    );
    if (longest + 16 > BENCH_MODEL_SHAPE.contextLength) {
      throw new PromptsFileProblem(
        `"${layout.name}": its longest prompt is ${longest} tokens; the bench's model holds ${BENCH_MODEL_SHAPE.contextLength}.`,
      );
    }
    contexts.push(
      await model.createContext({
        contextSize: Math.ceil((longest + 16) / 256) * 256,
        sequences: 1,
        threads: llama.cpuMathCores,
      }),
    );
  }
  const [first] = contexts;
  console.log(
    `engine: llama.cpp ${llama.llamaCppRelease.release} (${llama.buildType} CPU binary), one sequence per layout (${contexts.map((c) => c.contextSize).join(", ")} tokens), batch ${first.batchSize}, ${first.currentThreads} threads, flash attention ${first.flashAttention}`,
  );
  const slots = prompts.layouts.map((layout, i) => ({
    sequence: contexts[i].getSequence(),
    prompts: layout.prompts,
  }));
  // Warm the threads and the weights' pages, so that the first requests are not charged for them.
  await replayLayouts(model, [
    { sequence: slots[0].sequence, prompts: [[{ role: "user", content: "hola ".repeat(200) }]] },
  ]);

  console.log(`prompts: ${show(source)}, ${prompts.layouts.length} layouts, taking turns`);
  const measures = await replayLayouts(model, slots, (done, total) => {
    if (process.stdout.isTTY) process.stdout.write(`\r  request ${done}/${total}`);
  });
  if (process.stdout.isTTY) process.stdout.write("\r\x1b[K");
  const rows = prompts.layouts.map((layout, i) => ({
    name: layout.name,
    summary: summarize(measures[i]),
    requests: measures[i],
  }));

  console.log("");
  console.log(formatTable(rows));
  for (const line of formatComparisons(rows)) console.log(line);
  console.log(
    "tokens: prompt tokens per request (one per byte, plus ChatML markers); processed = evaluated after keeping the cached common prefix; TTFT = erase + evaluate + first token.",
  );

  mkdirSync(dirname(RESULTS), { recursive: true });
  const results = {
    measuredAt: new Date().toISOString(),
    prompts: source === "--sample" ? "--sample" : show(source),
    engine: {
      nodeLlamaCpp: ENGINE_VERSION,
      llamaCpp: llama.llamaCppRelease.release,
      binary: llama.buildType,
      contextSizes: contexts.map((c) => c.contextSize),
      batchSize: first.batchSize,
      threads: first.currentThreads,
    },
    model: { file: show(modelFile.path), bytes: modelFile.bytes, shape: BENCH_MODEL_SHAPE },
    layouts: rows,
  };
  writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`results: ${show(RESULTS)}`);

  for (const context of contexts) await context.dispose();
  await model.dispose();
  await llama.dispose();
}

main().catch((error: unknown) => {
  if (error instanceof EngineUnavailable || error instanceof PromptsFileProblem) {
    console.error(error.message);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
});
