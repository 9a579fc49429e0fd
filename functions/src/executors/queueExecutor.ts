import type { Executor } from "../engine/executor";
import { enqueueJob } from "../engine/jobQueue";
import { claimResult, releaseClaim } from "../engine/resultClaims";
import { log } from "../observability/log";
import { directExecutor } from "./directExecutor";

/**
 * For the bridge beside LM Studio: claim the result, queue the job in `llmJobs` (the result
 * shows `queued`), and end the invocation; no function time is billed while the GPU works.
 * `followUp`: what the bridge does after the run (a request mirroring its suggestion), stored
 * with the job.
 */
export function queueExecutor(followUp?: Record<string, unknown>): Executor {
  return {
    decided: directExecutor.decided,
    disabled: directExecutor.disabled,
    generate: async (run) => {
      const { target } = run.prepared;
      const claim = await claimResult(run.db, target, run.timeoutMs, run.deadlineAt, "queued");
      if (!claim.claimed) return { kind: "duplicate", existingStatus: claim.status };
      let jobId: string;
      try {
        jobId = await enqueueJob(run.db, target, run.task.name, run.input, followUp, run.timeoutMs);
      } catch (err) {
        // A queued result with no job would wait for ever: hand it back for the redelivery.
        await releaseClaim(run.db, target, claim.token).catch(() => undefined);
        throw err;
      }
      log.info(`${run.task.name} queued for the bridge`, { ...target.logFields, jobId });
      return { kind: "queued", jobId };
    },
  };
}
