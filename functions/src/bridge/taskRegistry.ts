import type { GenerationTask } from "../engine/generationTask";
import { rewriteDraftTask } from "../tasks/aiRequests/rewriteDraftTask";
import { conversationReportTask } from "../tasks/conversationReport/conversationReportTask";
import { replySuggestionTask } from "../tasks/replySuggestion/replySuggestionTask";

/** Every task a queued job may name, by the name the engine writes into the job. */
export const TASKS_BY_NAME: Record<string, GenerationTask<never, unknown>> = Object.fromEntries(
  [replySuggestionTask, rewriteDraftTask, conversationReportTask].map((task) => [
    task.name,
    task as unknown as GenerationTask<never, unknown>,
  ]),
);
