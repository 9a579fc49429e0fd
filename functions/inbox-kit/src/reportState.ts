import { storedError } from "./actionError";
import type { ErrorCode, Report, ReportJudgement } from "./types";

/*
 * What an inbox shows for a conversation's report: none yet, being written, written, or failed.
 * Pure: a document in, a state out.
 */

export type ReportState =
  | { state: "none" }
  | { state: "generating"; reportId: string }
  | {
      state: "ready";
      reportId: string;
      /** At most 600 characters, in the conversation's language. */
      summary: string;
      /** The judgement's fields; absent when the model's JSON did not pass the schema. */
      judgement?: Omit<ReportJudgement, "summary">;
      messages?: number;
    }
  | { state: "error"; reportId: string; code: ErrorCode; message: string; hint: string };

export function reportState(doc: (Report & { id: string }) | undefined): ReportState {
  if (!doc) return { state: "none" };
  const reportId = doc.id;
  if (doc.status === "ready") {
    const { customerIntent, sentiment, resolution, nextSteps, topics, language } = doc;
    const judgement =
      doc.structured && customerIntent && sentiment && resolution && language
        ? {
            customerIntent,
            sentiment,
            resolution,
            nextSteps: nextSteps ?? [],
            topics: topics ?? [],
            language,
          }
        : undefined;
    return {
      state: "ready",
      reportId,
      summary: doc.summary ?? doc.text ?? "",
      ...(judgement ? { judgement } : {}),
      ...(doc.coverage ? { messages: doc.coverage.messages } : {}),
    };
  }
  if (doc.status === "error") {
    return { state: "error", reportId, ...storedError(doc.error) };
  }
  return { state: "generating", reportId };
}
