import type { EmbeddingTask } from "../engine/embeddingTask";
import type { FollowUp } from "../engine/engineDeps";
import type { GenerationTask } from "../engine/generationTask";
import { endRequest } from "../requests/requestFollowUp";
import { conversationReportTask } from "./conversationReport/conversationReportTask";
import { knowledgeIndexTask } from "./knowledgeIndex/knowledgeIndexTask";
import { replySuggestionTask } from "./replySuggestion/replySuggestionTask";
import { rewriteDraftTask } from "./rewriteDraft/rewriteDraftTask";

/*
 * Every task a queued job may name, and every follow-up it may carry, by the names the engine
 * writes into the job: the bridge and the sweep run a job from here and nothing else.
 */

export type RegisteredTask =
  GenerationTask<never, unknown, unknown> | EmbeddingTask<never, unknown, { kind: string }>;

export const TASKS_BY_NAME: Record<string, RegisteredTask> = Object.fromEntries(
  [replySuggestionTask, rewriteDraftTask, conversationReportTask, knowledgeIndexTask].map(
    (task) => [task.name, task as unknown as RegisteredTask],
  ),
);

/** A follow-up stored with a job, with what carries it out (`followUp.kind`). */
export function followUpOf(data: Record<string, unknown> | undefined): FollowUp | undefined {
  const carryOut = data && FOLLOW_UPS_BY_KIND[String(data.kind)];
  return carryOut ? { data: data as FollowUp["data"], carryOut } : undefined;
}

const FOLLOW_UPS_BY_KIND: Record<string, FollowUp["carryOut"]> = {
  regenerate: endRequest,
  report: endRequest,
};
