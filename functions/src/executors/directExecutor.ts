import { claimForRun, generateAndRecord, recordDecidedResult } from "./claimedRun";
import type { Executor } from "../engine/executor";
import { log } from "../observability/log";

/** Here, in this invocation: claim the result, generate it, record it. */
export const directExecutor: Executor = {
  decided: (run, outcome, runtime) => recordDecidedResult(run, outcome, runtime),

  disabled: async (run, reason) => {
    log.debug(`${run.task.name}s off for workspace`, { ...run.prepared.target.logFields, reason });
    return { kind: "disabled", reason };
  },

  generate: async (run, runtime, settings, context) => {
    const { target } = run.prepared;
    const claim = await claimForRun(run, "generating");
    if (!claim.claimed) {
      log.info(`${run.task.name} already claimed`, {
        ...target.logFields,
        existingStatus: claim.status,
      });
      return { kind: "duplicate", existingStatus: claim.status };
    }
    return generateAndRecord(run, runtime, settings, context, claim.token);
  },
};
