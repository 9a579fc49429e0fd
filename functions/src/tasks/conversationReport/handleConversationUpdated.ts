import type { ConversationAddress } from "../../core/paths";
import { EngineDeps, runGenerationTask, TaskRunResult } from "../../engine/runGenerationTask";
import { conversationReportTask } from "./conversationReportTask";
import { CLOSED_STATUSES } from "../../core/vocabulary";

export interface ConversationUpdatedInput {
  conversation: ConversationAddress;
  before: Record<string, unknown> | undefined;
  after: Record<string, unknown> | undefined;
  /** When the update that closed it was written: names the close, so each close has one report. */
  afterUpdateTimeMs: number;
}

const isClosed = (data: Record<string, unknown> | undefined) =>
  typeof data?.status === "string" && (CLOSED_STATUSES as readonly string[]).includes(data.status);

/**
 * A conversation was updated: when this update closed it (status became closed or resolved), its
 * report. A redelivered event, or a later update of a conversation still closed, makes none.
 */
export async function handleConversationUpdated(
  input: ConversationUpdatedInput,
  deps: EngineDeps,
): Promise<TaskRunResult> {
  if (!isClosed(input.after) || isClosed(input.before)) {
    return { kind: "ignored", reason: "not_a_close" };
  }
  return runGenerationTask(
    conversationReportTask,
    {
      conversation: input.conversation,
      reportId: `close-${input.afterUpdateTimeMs}`,
      trigger: "close",
    },
    deps,
  );
}
