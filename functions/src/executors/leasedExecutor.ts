import { GenerationError } from "../core/errorCodes";
import { generateAndRecord, recordDecidedOnClaim } from "./claimedRun";
import type { Executor, Placement, TaskRun } from "../engine/executor";
import { errorOutcome } from "../results/outcomes";
import { claimLeasedResult } from "../results/resultClaims";

/*
 * A queued job, run by the process that holds its lease (a bridge beside LM Studio, or the
 * cloud sweep when no bridge took it in time). The queued result already exists: every path,
 * a decision without a model call and AI switched off meanwhile included, ends it.
 */

async function claim<J, C>(run: TaskRun<J, C>) {
  return claimLeasedResult(run.db, run.prepared.target, run.deadlineAt);
}

export const leasedExecutor: Executor = {
  decided: async (run, outcome, runtime) => {
    const held = await claim(run);
    if (!held.claimed) return { kind: "duplicate", existingStatus: held.status };
    return recordDecidedOnClaim(run, outcome, runtime, held.token);
  },

  disabled: async (run, reason) => {
    const held = await claim(run);
    if (!held.claimed) return { kind: "duplicate", existingStatus: held.status };
    const off = new GenerationError(
      "no_provider",
      `AI was switched off for this workspace (${reason}) before the bridge ran the job.`,
    );
    return recordDecidedOnClaim(
      run,
      errorOutcome(off, run.env, run.language),
      undefined,
      held.token,
    );
  },

  generate: async (run, runtime, settings, context) => {
    const held = await claim(run);
    if (!held.claimed) return { kind: "duplicate", existingStatus: held.status };
    // The claim is the queue's: a failed run is taken over when its lease runs out.
    return generateAndRecord(run, runtime, settings, context, held.token, "never");
  },
};

/** How a leased job reaches the providers: from the bridge, LM Studio; from the sweep, not. */
export function leasedPlacement(lmStudioUnreachable?: string): Placement {
  const placement: Placement = {
    runtime: { lmStudioUnreachable },
    mayRunHere: () => true,
    executorFor: () => leasedExecutor,
  };
  return placement;
}
