import { FieldValue } from "firebase-admin/firestore";
import type { Executor } from "../engine/executor";
import { enqueueJob } from "../queue/jobQueue";
import { handingBackOnFailure } from "../results/resultClaims";
import { claimForRun } from "./claimedRun";
import { log } from "../observability/log";
import { directExecutor } from "./directExecutor";

/**
 * For the bridge beside LM Studio: claim the result, queue the job in `llmJobs` (the result
 * shows `queued`), and end the invocation; no function time is billed while the GPU works.
 * The run's follow-up (a request mirroring its suggestion) is stored with the job: the bridge
 * carries it out after the run.
 */
export const queueExecutor: Executor = {
  decided: directExecutor.decided,
  disabled: directExecutor.disabled,
  generate: async (run) => {
    const { target } = run.prepared;
    const claim = await claimForRun(run, "queued");
    if (!claim.claimed) return { kind: "duplicate", existingStatus: claim.status };
    // A queued result with no job would wait for ever: a failed enqueue hands it back.
    const jobId = await handingBackOnFailure(run.db, target, claim.token, () =>
      enqueueJob(run.db, {
        task: run.task.name,
        job: run.input,
        target,
        shows: { status: "queued", updatedAt: FieldValue.serverTimestamp() },
        followUp: run.followUp,
        timeoutMs: run.timeoutMs,
      }),
    );
    log.info(`${run.task.name} queued for the bridge`, { ...target.logFields, jobId });
    return { kind: "queued", jobId };
  },
};
