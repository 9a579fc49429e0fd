import { LATENCY_BUCKETS_MS } from "../metrics/generationMetrics";
import { KNOWLEDGE_STATUSES, PROVIDERS, type ProviderId } from "../core/vocabulary";

/*
 * The console's figures from the daily metrics documents (docs/metrics.md). Pure: plain
 * documents in, plain numbers out; one row a day for every day asked, zeros where nothing was
 * counted, so that charts share their x axis.
 */

type Tree = Record<string, unknown>;
const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : 0);
const map = (v: unknown): Tree =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Tree) : {};
const numbers = (v: unknown): Record<string, number> =>
  Object.fromEntries(Object.entries(map(v)).map(([k, n]) => [k, num(n)]));

const BUCKET_KEYS = [
  ...LATENCY_BUCKETS_MS.map((b) => `le_${b}`),
  `gt_${LATENCY_BUCKETS_MS[LATENCY_BUCKETS_MS.length - 1]}`,
];

/**
 * A percentile from a latency histogram: the upper bound (ms) of the first bucket whose running
 * total reaches it, as docs/metrics.md reads them. `null` with no counts; the open last bucket
 * reports the last bound (the value is "more than" that).
 */
export function histogramPercentile(histogram: unknown, p: number): number | null {
  const counts = numbers(histogram);
  const total = BUCKET_KEYS.reduce((sum, key) => sum + (counts[key] ?? 0), 0);
  if (total === 0) return null;
  let running = 0;
  for (const [i, key] of BUCKET_KEYS.entries()) {
    running += counts[key] ?? 0;
    if (running >= (p / 100) * total)
      return LATENCY_BUCKETS_MS[Math.min(i, LATENCY_BUCKETS_MS.length - 1)];
  }
  return LATENCY_BUCKETS_MS[LATENCY_BUCKETS_MS.length - 1];
}

export interface DayRow {
  date: string;
  requests: number;
  ready: number;
  errors: number;
  skipped: number;
  superseded: number;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  firstTextP50Ms: number | null;
  firstTextP95Ms: number | null;
  fallbacks: number;
  fallbacksByCode: Record<string, number>;
  errorsByCode: Record<string, number>;
  promptTokens: number;
  completionTokens: number;
  costAvoidedUsd: number;
  /** Characters of the day's prompts that repeated their previous prompt's start, of all. */
  promptReuse: number | null;
  /** Cached prompt tokens of the servers that report them (not LM Studio), of their prompts'. */
  serverCached: number | null;
}

export interface AgentUse {
  sent_as_is: number;
  edited: number;
  not_used: number;
  /** Sent as is or edited, of those compared; null before any. */
  acceptance: number | null;
}

export interface ProviderRow {
  provider: ProviderId;
  requests: number;
  ready: number;
  errors: number;
  /** Errors over requests; null without requests. */
  errorRate: number | null;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  meanLatencyMs: number | null;
  promptTokens: number;
  completionTokens: number;
  costAvoidedUsd: number;
  agentUse: AgentUse;
}

export interface ModelRow extends Omit<ProviderRow, "provider"> {
  model: string;
}

export interface ConsoleSeries {
  daily: DayRow[];
  providers: ProviderRow[];
  models: ModelRow[];
  agentUse: AgentUse;
  knowledge: {
    byStatus: Record<string, { suggestions: number; agentUse: AgentUse }>;
    /** no_match over suggestions that searched the knowledge base; null when none did. */
    noMatchRate: number | null;
  };
  reports: {
    made: number;
    errors: number;
    bySentiment: Record<string, number>;
    byResolution: Record<string, number>;
  };
  /** Personal data masked before a provider saw it (privacy settings), all tasks: counts only. */
  privacy: {
    maskedAnswers: number;
    /** Distinct values masked, by kind. */
    byKind: Record<string, number>;
    /** Placeholders in answers that stood for nothing, shown to agents as a blank. */
    unresolved: number;
  };
}

/** The `days` UTC days ending with `to` (YYYY-MM-DD), oldest first. */
export function dayRange(to: string, days: number): string[] {
  const end = Date.parse(`${to}T00:00:00Z`);
  return Array.from({ length: days }, (_, i) =>
    new Date(end - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10),
  );
}

function addInto(into: Tree, from: Tree): Tree {
  for (const [key, value] of Object.entries(from)) {
    if (typeof value === "number") into[key] = num(into[key]) + value;
    else if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      into[key] = addInto(map(into[key]), value as Tree);
    }
  }
  return into;
}

function agentUse(raw: unknown): AgentUse {
  const use = numbers(raw);
  const sent = use.sent_as_is ?? 0;
  const edited = use.edited ?? 0;
  const notUsed = use.not_used ?? 0;
  const compared = sent + edited + notUsed;
  return {
    sent_as_is: sent,
    edited,
    not_used: notUsed,
    acceptance: compared > 0 ? (sent + edited) / compared : null,
  };
}

function targetRow(t: Tree): Omit<ProviderRow, "provider"> {
  const requests = num(t.requests);
  const errors = num(t.errors);
  const histogram = map(t.histogram);
  const asked = Object.values(numbers(histogram)).reduce((a, b) => a + b, 0);
  return {
    requests,
    ready: num(t.ready),
    errors,
    errorRate: requests > 0 ? errors / requests : null,
    latencyP50Ms: histogramPercentile(histogram, 50),
    latencyP95Ms: histogramPercentile(histogram, 95),
    meanLatencyMs: asked > 0 ? num(t.latencySumMs) / asked : null,
    promptTokens: num(t.promptTokens),
    completionTokens: num(t.completionTokens),
    costAvoidedUsd: num(t.costAvoidedUsd),
    agentUse: agentUse(t.agentUse),
  };
}

const share = (part: number, whole: number) => (whole > 0 ? part / whole : null);

function dayRow(date: string, d: Tree): DayRow {
  const latency = map(d.latency);
  const firstText = map(d.firstText);
  const tokens = map(d.tokens);
  const prompt = map(d.prompt);
  return {
    promptReuse: share(num(prompt.reusedChars), num(prompt.chars)),
    serverCached: share(num(tokens.cachedPrompt), num(tokens.promptWithCacheReport)),
    date,
    requests: num(d.requests),
    ready: num(d.ready),
    errors: num(d.errors),
    skipped: num(d.skipped),
    superseded: num(d.superseded),
    latencyP50Ms: histogramPercentile(latency.histogram, 50),
    latencyP95Ms: histogramPercentile(latency.histogram, 95),
    firstTextP50Ms: histogramPercentile(firstText.histogram, 50),
    firstTextP95Ms: histogramPercentile(firstText.histogram, 95),
    fallbacks: num(d.fallbacks),
    fallbacksByCode: numbers(d.fallbacksByCode),
    errorsByCode: numbers(d.errorsByCode),
    promptTokens: num(tokens.prompt),
    completionTokens: num(tokens.completion),
    costAvoidedUsd: num(d.costAvoidedUsd),
  };
}

/** The console's series from the metrics documents of `range` (documents keyed by `date`). */
export function consoleSeries(range: string[], documents: Tree[]): ConsoleSeries {
  const byDate = new Map(documents.map((d) => [String(d.date), d]));
  const total: Tree = {};
  for (const date of range) addInto(total, map(byDate.get(date)));

  const byKnowledge = map(total.byKnowledge);
  const knowledgeCounts = numbers(total.knowledge);
  const searched = ["used", "no_match", "unavailable", "not_indexed"].reduce(
    (sum, s) => sum + (knowledgeCounts[s] ?? 0),
    0,
  );
  const reports = map(map(total.byTask).reports);
  // Suggestions count at the top level, the other tasks under byTask: masking is every task's.
  const privacy: Tree = {};
  for (const counted of [total, ...Object.values(map(total.byTask)).map(map)]) {
    addInto(privacy, map(counted.privacy));
  }
  return {
    daily: range.map((date) => dayRow(date, map(byDate.get(date)))),
    providers: PROVIDERS.map((provider) => ({
      provider,
      ...targetRow(map(map(total.byProvider)[provider])),
    })),
    models: Object.entries(map(total.byModel)).map(([model, t]) => ({
      model,
      ...targetRow(map(t)),
    })),
    agentUse: agentUse(total.agentUse),
    knowledge: {
      byStatus: Object.fromEntries(
        KNOWLEDGE_STATUSES.map((status) => [
          status,
          {
            suggestions: knowledgeCounts[status] ?? 0,
            agentUse: agentUse(map(byKnowledge[status]).agentUse),
          },
        ]),
      ),
      noMatchRate: searched > 0 ? (knowledgeCounts.no_match ?? 0) / searched : null,
    },
    reports: {
      made: num(reports.ready),
      errors: num(reports.errors),
      bySentiment: numbers(reports.sentiment),
      byResolution: numbers(reports.resolution),
    },
    privacy: {
      maskedAnswers: num(privacy.maskedAnswers),
      byKind: numbers(privacy.masked),
      unresolved: num(privacy.unresolved),
    },
  };
}
