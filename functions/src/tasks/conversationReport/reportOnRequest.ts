import { paths } from "../../core/paths";
import { handingBackOnFailure } from "../../results/resultClaims";
import { EngineDeps, runGenerationTask } from "../../engine/runGenerationTask";
import { requestFollowUp } from "../../requests/requestFollowUp";
import {
  AiRequestResult,
  claimRequest,
  releaseRequest,
  RequestOnHand,
} from "../../requests/requestRun";
import { conversationReportTask } from "./conversationReportTask";

/** A report of the conversation now, at a member's request; the request mirrors how it ends. */
export async function reportOnRequest(
  onHand: RequestOnHand,
  deps: EngineDeps,
): Promise<AiRequestResult> {
  const claim = await claimRequest(deps.db, onHand);
  if (!claim.claimed) return { kind: "duplicate", existingStatus: claim.status };
  const reportId = `request-${onHand.requestId}`;
  const followUp = requestFollowUp({
    kind: "report",
    requestPath: onHand.target.path,
    resultPath: paths.report(onHand.conversation, reportId),
    requestId: onHand.requestId,
    language: onHand.language,
  });
  const result = await handingBackOnFailure(deps.db, onHand.target, claim.token, () =>
    runGenerationTask(
      conversationReportTask,
      {
        conversation: onHand.conversation,
        reportId,
        trigger: "request",
        requestId: onHand.requestId,
      },
      { ...deps, followUp },
    ),
  );
  // AI off: the claim goes back, for the caller to record why on the request.
  if (result.kind === "disabled") await releaseRequest(deps.db, onHand);
  return result;
}
