import { performance } from "node:perf_hooks";

/*
 * Masking personal data before a prompt goes to OpenAI (src/privacy/): what it costs and how well
 * it finds. The prompt is a 12,000-character conversation of support messages from six countries
 * (the labelled corpus's, one in four with personal data), masked message by message with
 * one masker, as the cloud path would; 200 runs after 20 to warm up. Then the corpus's precision
 * and recall per kind. Standalone: `tsc -p tsconfig.dev.json && node build-dev/bench/maskingBench.js`.
 */

const PROMPT_CHARS = 12_000;
const RUNS = 200;
const WARM_UP_RUNS = 20;

const percentile = (sorted: number[], share: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))];

export async function runMaskingBench(): Promise<void> {
  // Loaded here, timed: the first masking on a cold instance pays for these imports
  // (libphonenumber-js's metadata above all).
  const loadStart = performance.now();
  const { PromptMasker } = await import("../src/privacy/promptMasker.js");
  const { PERSONAL_DATA_KINDS } = await import("../src/privacy/personalDataKinds.js");
  const loadMs = performance.now() - loadStart;
  const corpus = await import("../test/support/personalDataCorpus.js");

  // Most messages of a support conversation hold no personal data: three without, one with.
  const { names, lines } = corpus.readCorpus();
  const clean = lines.filter((line) => line.expected.length === 0);
  const personal = lines.filter((line) => line.expected.length > 0);
  const messages: string[] = [];
  let chars = 0;
  for (let i = 0; chars < PROMPT_CHARS; i++) {
    const text =
      i % 4 === 3 ? personal[(i >> 2) % personal.length].text : clean[i % clean.length].text;
    messages.push(text);
    chars += text.length + 1;
  }
  const withPersonalData = messages.filter((_, i) => i % 4 === 3);
  const options = {
    kinds: PERSONAL_DATA_KINDS,
    countries: corpus.CORPUS_COUNTRIES,
    names,
    keep: corpus.CORPUS_KEEP,
  };

  const firstStart = performance.now();
  new PromptMasker(options).mask(messages[0]);
  const firstMaskMs = performance.now() - firstStart;

  const durations: number[] = [];
  for (let run = 0; run < WARM_UP_RUNS + RUNS; run++) {
    const start = performance.now();
    const masker = new PromptMasker(options);
    for (const message of messages) masker.mask(message);
    if (run >= WARM_UP_RUNS) durations.push(performance.now() - start);
  }
  durations.sort((a, b) => a - b);
  console.log(
    `masking: a ${chars.toLocaleString("en")}-character prompt of ${messages.length} messages (${withPersonalData.length} with personal data), all ${PERSONAL_DATA_KINDS.length} kinds, ${options.countries.join(",")}: p50 ${percentile(durations, 0.5).toFixed(2)} ms, p95 ${percentile(durations, 0.95).toFixed(2)} ms over ${RUNS} runs; modules load ${loadMs.toFixed(0)} ms, first message ${firstMaskMs.toFixed(1)} ms`,
  );
  for (const [name, file] of Object.entries(corpus.CORPUS_FILES)) {
    console.log(`masking, ${name} corpus:`);
    console.log(corpus.formatCorpusReport(corpus.corpusReport(corpus.readCorpus(file))));
  }
}

if (require.main === module) {
  runMaskingBench().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}

type Harness = typeof import("../test/support/harness.js");

/**
 * What masking adds to a suggestion on the cloud path: the trigger's whole run against a model
 * that answers at once (the test server, as OpenAI), with `privacy.mask_cloud` on and off, the
 * two taking turns; a 30-message conversation, one message in four with personal data.
 */
export async function runCloudPathOverheadBench(h: Harness, cloudUrl: string): Promise<void> {
  const corpus = await import("../test/support/personalDataCorpus.js");
  const { lines } = corpus.readCorpus();
  const clean = lines.filter((line) => line.expected.length === 0);
  const personal = lines.filter((line) => line.expected.length > 0);
  const history = Array.from({ length: 30 }, (_, i) => ({
    direction: (i % 2 ? "outbound" : "inbound") as "inbound" | "outbound",
    text: i % 4 === 3 ? personal[i % personal.length].text : clean[i % clean.length].text,
  }));
  const saved = {
    OPENAI_API_KEY: process.env.OPENAI_API_KEY,
    OPENAI_BASE_URL: process.env.OPENAI_BASE_URL,
    BURST_WINDOW_MS: process.env.BURST_WINDOW_MS,
  };
  process.env.OPENAI_API_KEY = "sk-bench";
  process.env.OPENAI_BASE_URL = cloudUrl;
  // Each message is its own burst: the overhead, not the wait for a customer's next bubble.
  process.env.BURST_WINDOW_MS = "0";
  const settings = (maskCloud: boolean) => ({
    ...h.GOOD_SETTINGS,
    provider: "openai",
    defaultModel: "gpt-oss-20b",
    privacy: { mask_cloud: maskCloud },
  });
  const conversations = {
    masked: await h.seedConversation({ settings: settings(true), history }),
    plain: await h.seedConversation({ settings: settings(false), history }),
  };
  const samples: Record<keyof typeof conversations, number[]> = { masked: [], plain: [] };
  const runs = 60;
  for (let i = 0; i < runs + 5; i++) {
    for (const name of ["masked", "plain"] as const) {
      const address = await h.createMessage(conversations[name], {
        direction: "inbound",
        text: `Hola, mi cel es 11 5555 ${String(1000 + i)}, ¿llegó el pedido ${4500 + i}?`,
      });
      const deliver = await h.messageCreatedEvent(address);
      const started = performance.now();
      await deliver();
      if (i >= 5) samples[name].push(performance.now() - started);
    }
  }
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  const p = (values: number[], share: number) =>
    percentile(
      [...values].sort((a, b) => a - b),
      share,
    ).toFixed(1);
  console.log(
    `cloud path, pipeline overhead per suggestion, ${runs} runs each, taking turns: masked p50 ${p(samples.masked, 0.5)} ms, p95 ${p(samples.masked, 0.95)} ms; unmasked (privacy.mask_cloud false) p50 ${p(samples.plain, 0.5)} ms, p95 ${p(samples.plain, 0.95)} ms`,
  );
}
