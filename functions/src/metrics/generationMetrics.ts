import type { GenerationOutcome } from "../results/generationOutcome";

/*
 * What one terminal suggestion adds to its workspace's daily metrics document. Pure: the caller
 * turns every number into an atomic increment. The document's shape is docs/metrics.md's contract.
 */

/** Upper bounds (ms) of the latency histogram's buckets; the last bucket is everything above. */
export const LATENCY_BUCKETS_MS = [250, 500, 1000, 2000, 5000, 10_000, 30_000, 60_000] as const;

export interface CloudPrices {
  inputPerMTok: number;
  outputPerMTok: number;
}

/** Nested counters: every leaf is an amount to add. */
export interface CounterTree {
  [key: string]: number | CounterTree;
}

export function latencyBucket(ms: number): string {
  const bound = LATENCY_BUCKETS_MS.find((b) => ms <= b);
  return bound === undefined
    ? `gt_${LATENCY_BUCKETS_MS[LATENCY_BUCKETS_MS.length - 1]}`
    : `le_${bound}`;
}

/** Firestore map keys from model ids: `qwen/qwen3-8b` → `qwen_qwen3-8b`, `gpt-4.1` → `gpt-4_1`. */
export function modelKey(model: string): string {
  return model.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 100) || "unknown";
}

/**
 * The key a model counts under. Model ids come from the server, which may report any number of
 * them; one daily document must stay small, so only the models the workspace configured get
 * their own key and everything else counts as `other`.
 */
export function metricsModelKey(model: string, configured: ReadonlySet<string>): string {
  return configured.has(model) ? modelKey(model) : "other";
}

/** What one terminal outcome adds, as a tree of amounts to increment. */
export function generationMetricsDelta(
  outcome: GenerationOutcome,
  prices: CloudPrices,
  configuredModels: ReadonlySet<string> = new Set(),
): CounterTree {
  if (outcome.status === "skipped") {
    return { requests: 1, skipped: 1, skippedByReason: { [outcome.reason]: 1 } };
  }
  if (outcome.status === "superseded") {
    return { requests: 1, superseded: 1, supersededByReason: { [outcome.reason]: 1 } };
  }

  const ready = outcome.status === "ready";
  const provider = ready ? outcome.answer.provider : outcome.provider;
  const model = ready ? outcome.answer.model : outcome.model;
  const attempts = ready ? outcome.answer.attempts : outcome.attempts;
  const latencyMs = ready ? outcome.answer.latencyMs : outcome.latencyMs;
  const fallbackFrom = ready ? outcome.answer.fallbackFrom : outcome.fallbackFrom;
  // Tokens as servers reported them; estimates are shown to agents, not added up.
  const usage = ready && !outcome.answer.usage?.estimated ? outcome.answer.usage : null;
  // invalid_config and the like never reached a provider: no latency to account for.
  const asked = attempts > 0;

  const perTarget: CounterTree = { requests: 1, [ready ? "ready" : "errors"]: 1 };
  if (usage) {
    perTarget.promptTokens = usage.promptTokens;
    perTarget.completionTokens = usage.completionTokens;
  }
  if (asked) {
    perTarget.latencySumMs = latencyMs;
    perTarget.histogram = { [latencyBucket(latencyMs)]: 1 };
  }

  const counters: CounterTree = { requests: 1, [ready ? "ready" : "errors"]: 1 };
  if (!ready) counters.errorsByCode = { [outcome.code]: 1 };
  if (fallbackFrom) {
    counters.fallbacks = 1;
    counters.fallbacksByCode = { [fallbackFrom.code]: 1 };
  }
  // From the claim to the first text an agent could read: what the agent waits for.
  if (ready && outcome.firstTextMs !== undefined) {
    counters.firstText = {
      count: 1,
      sumMs: outcome.firstTextMs,
      histogram: { [latencyBucket(outcome.firstTextMs)]: 1 },
    };
  }
  if (usage) {
    counters.tokens = {
      prompt: usage.promptTokens,
      completion: usage.completionTokens,
      // The servers that say how much of the prompt came from their cache, apart.
      ...(usage.cachedPromptTokens !== undefined
        ? { cachedPrompt: usage.cachedPromptTokens, promptWithCacheReport: usage.promptTokens }
        : {}),
    };
  }
  // Answers whose prompt went masked, and how many values of each kind: counts, never values.
  const privacy = ready ? outcome.answer.privacy : undefined;
  if (privacy) {
    counters.privacy = {
      maskedAnswers: 1,
      masked: { ...privacy.masked },
      ...(privacy.unresolved > 0 ? { unresolved: privacy.unresolved } : {}),
    } as CounterTree;
  }
  if (asked)
    counters.latency = { count: 1, sumMs: latencyMs, histogram: { [latencyBucket(latencyMs)]: 1 } };
  if (ready && provider === "llm_studio" && usage) {
    const avoided =
      (usage.promptTokens * prices.inputPerMTok + usage.completionTokens * prices.outputPerMTok) /
      1_000_000;
    counters.costAvoidedUsd = avoided;
    perTarget.costAvoidedUsd = avoided;
  }
  if (provider) counters.byProvider = { [provider]: { ...perTarget } };
  if (model) counters.byModel = { [metricsModelKey(model, configuredModels)]: { ...perTarget } };
  return ready && outcome.counters ? addCounters(counters, outcome.counters) : counters;
}

/** Two trees of amounts as one: leaves under the same path add up. */
export function addCounters(a: CounterTree, b: CounterTree): CounterTree {
  const sum: CounterTree = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const mine = sum[key];
    if (typeof value === "number") sum[key] = (typeof mine === "number" ? mine : 0) + value;
    else sum[key] = addCounters(typeof mine === "object" ? mine : {}, value);
  }
  return sum;
}
