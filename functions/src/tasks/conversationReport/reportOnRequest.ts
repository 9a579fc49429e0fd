import { paths } from "../../core/paths";
import { EngineDeps, runGenerationTask } from "../../engine/runGenerationTask";
import { requestFollowUp } from "../../requests/requestFollowUp";
import type { AiRequestResult, RequestOnHand } from "../../requests/requestRun";
import { conversationReportTask } from "./conversationReportTask";

/** A report of the conversation now, at a member's request; the request mirrors how it ends. */
export async function reportOnRequest(
  onHand: RequestOnHand,
  deps: EngineDeps,
): Promise<AiRequestResult> {
  const reportId = `request-${onHand.requestId}`;
  const followUp = requestFollowUp({
    kind: "report",
    requestPath: onHand.target.path,
    resultPath: paths.report(onHand.conversation, reportId),
    requestId: onHand.requestId,
    language: onHand.language,
  });
  return runGenerationTask(
    conversationReportTask,
    {
      conversation: onHand.conversation,
      reportId,
      trigger: "request",
      requestId: onHand.requestId,
    },
    { ...deps, followUp },
  );
}
