import type { ResultWrite } from "../../results/resultDocument";
import type { CounterTree } from "../../metrics/generationMetrics";
import { z } from "zod";
import { boundText } from "../../core/safeText";
import type { ProviderAnswer } from "../../providers/providerRouter";
import { RESOLUTIONS, SENTIMENTS } from "../../core/vocabulary";
import type { ReportJudgement } from "../../contract/documents";

/*
 * A conversation report as a supervisor reads and filters it. One zod definition is the JSON
 * Schema sent as `response_format` and the check of what comes back.
 */

export const SUMMARY_MAX_CHARS = 600;

export const reportSchema = z
  .object({
    summary: z.string().min(1).max(SUMMARY_MAX_CHARS),
    customerIntent: z.string().min(1).max(200),
    sentiment: z.enum(SENTIMENTS),
    resolution: z.enum(RESOLUTIONS),
    nextSteps: z.array(z.string().min(1).max(200)).max(10),
    topics: z.array(z.string().min(1).max(60)).max(10),
    language: z.string().min(2).max(20),
  })
  .strict();

export type ConversationReport = z.infer<typeof reportSchema>;

/** The schema and the contract's ReportJudgement are one shape: each must be the other. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const REPORT_SCHEMA_IS_THE_CONTRACT: Same<ConversationReport, ReportJudgement> = true;

export const reportJsonSchema = z.toJSONSchema(reportSchema) as Record<string, unknown>;

export function parseReport(json: unknown): ConversationReport | undefined {
  const parsed = reportSchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

/**
 * The report's fields from the answer: the structured ones where the schema held, else the
 * plain-text summary with `structured: false`. `text` is the summary, for a quick read.
 */
export function reportFields(answer: ProviderAnswer): ResultWrite {
  const report = answer.structured?.value as ConversationReport | undefined;
  if (report) return { ...report, text: report.summary, structured: true };
  const summary = boundText(answer.text, SUMMARY_MAX_CHARS).text;
  return { summary, text: summary, structured: false };
}

/**
 * What a ready report adds to the day's metrics, under `byTask.reports`: its sentiment and
 * resolution, `unknown` for a plain-text report whose schema did not hold.
 */
export function reportCounters(answer: ProviderAnswer): CounterTree {
  const report = answer.structured?.value as ConversationReport | undefined;
  return {
    sentiment: { [report?.sentiment ?? "unknown"]: 1 },
    resolution: { [report?.resolution ?? "unknown"]: 1 },
  };
}
