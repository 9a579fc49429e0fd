/*
 * What the engine bench prints: one row per layout, then each later layout against the first of
 * its case (a layout named "knowledge on: stepped window (now)" belongs to "knowledge on").
 */
import type { RequestMeasure } from "./replayPrompts";

export interface LayoutSummary {
  prompts: number;
  meanTokens: number;
  meanProcessed: number;
  meanReusedShare: number;
  meanTimeToFirstTokenMs: number;
  p95TimeToFirstTokenMs: number;
  totalTimeToFirstTokenMs: number;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Nearest-rank percentile. */
function percentile(xs: number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

export function summarize(measures: RequestMeasure[]): LayoutSummary {
  const ttft = measures.map((m) => m.timeToFirstTokenMs);
  return {
    prompts: measures.length,
    meanTokens: mean(measures.map((m) => m.tokens)),
    meanProcessed: mean(measures.map((m) => m.processed)),
    meanReusedShare: mean(measures.map((m) => m.reused / m.tokens)),
    meanTimeToFirstTokenMs: mean(ttft),
    p95TimeToFirstTokenMs: percentile(ttft, 0.95),
    totalTimeToFirstTokenMs: ttft.reduce((a, b) => a + b, 0),
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export function formatTable(rows: Array<{ name: string; summary: LayoutSummary }>): string {
  const header = [
    "layout",
    "prompts",
    "mean tokens",
    "mean processed",
    "mean reused",
    "TTFT mean",
    "TTFT p95",
    "total",
  ];
  const cells = rows.map(({ name, summary: s }) => [
    name,
    String(s.prompts),
    s.meanTokens.toFixed(0),
    s.meanProcessed.toFixed(0),
    s.meanReusedShare.toFixed(2),
    seconds(s.meanTimeToFirstTokenMs),
    seconds(s.p95TimeToFirstTokenMs),
    seconds(s.totalTimeToFirstTokenMs),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i].length)));
  const line = (row: string[]) =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ");
  return [line(header), ...cells.map(line)].join("\n");
}

/** The case a layout measures: its name up to ": ", or one case for names without one. */
const caseOf = (name: string) => (name.includes(": ") ? name.slice(0, name.indexOf(": ")) : "");

/** "new ÷ old" for each layout after the first of its case. */
export function formatComparisons(rows: Array<{ name: string; summary: LayoutSummary }>): string[] {
  const ratio = (a: number, b: number) => (b === 0 ? "n/a" : (a / b).toFixed(2));
  return rows.flatMap(({ name, summary: s }, i) => {
    const base = rows.find((r) => caseOf(r.name) === caseOf(name));
    if (!base || rows.indexOf(base) === i) return [];
    return [
      `${name} ÷ ${base.name}: tokens processed ${ratio(s.meanProcessed, base.summary.meanProcessed)}, ` +
        `time to first token ${ratio(s.meanTimeToFirstTokenMs, base.summary.meanTimeToFirstTokenMs)} (mean), ` +
        `${ratio(s.p95TimeToFirstTokenMs, base.summary.p95TimeToFirstTokenMs)} (p95)`,
    ];
  });
}
