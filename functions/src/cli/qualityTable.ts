import { LATENCY_BUCKETS_MS } from "../metrics/generationMetrics";
import { AGENT_USE_OUTCOMES, AgentUseOutcome } from "../tasks/replySuggestion/agentUse";
import { qualityMessages, type QualityMessages } from "./qualityMessages";

/*
 * The acceptance table a team reads before moving from OpenAI to LM Studio (or back): per
 * provider and per model, over some days of `metrics/{YYYY-MM-DD}` documents, how many
 * suggestions agents sent as they were, edited, or did not use.
 */

type Counters = Record<string, unknown>;

export interface QualityRow {
  name: string;
  suggestions: number;
  /** Ready suggestions an agent's message was compared with. */
  measured: number;
  percent: Record<AgentUseOutcome, number | null>;
  /** The histogram bucket holding the median, e.g. "≤ 2000 ms". */
  medianLatency: string;
  costAvoidedUsd: number;
}

export interface QualityTable {
  days: string[];
  providers: QualityRow[];
  models: QualityRow[];
  /**
   * By how the suggestion used the knowledge base (`used`, `no_match`, …, `off`): whether grounded
   * suggestions are sent as they are more often than ungrounded ones.
   */
  knowledge: QualityRow[];
}

const num = (value: unknown) => (typeof value === "number" ? value : 0);
const map = (value: unknown) =>
  typeof value === "object" && value !== null ? (value as Counters) : {};

/** Adds up one `byProvider` or `byModel` map over the days. */
function sumTargets(
  days: Counters[],
  field: "byProvider" | "byModel" | "byKnowledge",
): Map<string, Counters> {
  const totals = new Map<string, Counters>();
  for (const day of days) {
    for (const [name, raw] of Object.entries(map(day[field]))) {
      const into = totals.get(name) ?? { histogram: {}, agentUse: {} };
      const counters = map(raw);
      for (const key of ["ready", "costAvoidedUsd"])
        into[key] = num(into[key]) + num(counters[key]);
      for (const nested of ["histogram", "agentUse"]) {
        const sum = map(into[nested]);
        for (const [k, v] of Object.entries(map(counters[nested]))) sum[k] = num(sum[k]) + num(v);
      }
      totals.set(name, into);
    }
  }
  return totals;
}

/** The bucket where half of the latencies have been counted. */
export function medianBucket(histogram: Counters): string {
  const bounds = [...LATENCY_BUCKETS_MS.map((b) => `le_${b}`), `gt_${LATENCY_BUCKETS_MS.at(-1)}`];
  const total = bounds.reduce((sum, b) => sum + num(histogram[b]), 0);
  if (total === 0) return "–";
  let seen = 0;
  for (const bucket of bounds) {
    seen += num(histogram[bucket]);
    if (seen >= total / 2) {
      const [kind, ms] = bucket.split("_");
      return `${kind === "le" ? "≤" : ">"} ${ms} ms`;
    }
  }
  return "–";
}

function row(name: string, totals: Counters): QualityRow {
  const use = map(totals.agentUse);
  const measured = AGENT_USE_OUTCOMES.reduce((sum, o) => sum + num(use[o]), 0);
  const percent = Object.fromEntries(
    AGENT_USE_OUTCOMES.map((o) => [
      o,
      measured ? Math.round((num(use[o]) / measured) * 1000) / 10 : null,
    ]),
  ) as Record<AgentUseOutcome, number | null>;
  return {
    name,
    suggestions: num(totals.ready),
    measured,
    percent,
    medianLatency: medianBucket(map(totals.histogram)),
    costAvoidedUsd: Math.round(num(totals.costAvoidedUsd) * 10_000) / 10_000,
  };
}

export function qualityTable(days: Counters[]): QualityTable {
  const rows = (field: "byProvider" | "byModel") =>
    [...sumTargets(days, field)].map(([name, totals]) => row(name, totals));
  // Ready suggestions by knowledge status are counted apart, in `knowledge.{status}`.
  const knowledge = [...sumTargets(days, "byKnowledge")].map(([status, totals]) => ({
    ...row(status, totals),
    suggestions: days.reduce((sum, d) => sum + num(map(d.knowledge)[status]), 0),
  }));
  return {
    days: days.map((d) => String(d.date)).sort(),
    providers: rows("byProvider"),
    models: rows("byModel"),
    knowledge,
  };
}

export function formatQualityTable(
  table: QualityTable,
  workspaceId: string,
  say: QualityMessages = qualityMessages("en"),
): string {
  const pct = (v: number | null) => (v === null ? "–" : `${v.toFixed(1)} %`);
  const header = ["", ...say.columns];
  const lines = (title: string, rows: QualityRow[]) => {
    const cells = rows.map((r) => [
      r.name,
      String(r.suggestions),
      pct(r.percent.sent_as_is),
      pct(r.percent.edited),
      pct(r.percent.not_used),
      r.medianLatency,
      `$${r.costAvoidedUsd.toFixed(4)}`,
    ]);
    const all = [[title, ...header.slice(1)], ...cells];
    const widths = header.map((_, i) => Math.max(...all.map((c) => c[i].length)));
    return all.map((c) =>
      c.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join("  "),
    );
  };
  const first = table.days[0];
  const last = table.days.at(-1);
  const span = first && last ? say.span(first, last) : say.noData;
  return [
    say.heading(workspaceId, span, table.days.length),
    say.explanation,
    "",
    ...lines(say.tables.provider, table.providers),
    "",
    ...lines(say.tables.model, table.models),
    ...(table.knowledge.length > 0 ? ["", ...lines(say.tables.knowledge, table.knowledge)] : []),
  ].join("\n");
}
