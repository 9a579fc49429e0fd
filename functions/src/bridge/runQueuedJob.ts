import { randomUUID } from "node:crypto";
import { FieldValue, Firestore } from "firebase-admin/firestore";
import type { Env } from "../config/envValues";
import { functionTimeoutMs } from "../core/functionTimeouts";
import { paths } from "../core/paths";
import { commitChecked, commitIdempotent, isAlreadyExists } from "../engine/firestoreCommit";
import type { LlmJob } from "../engine/jobQueue";
import { runGenerationTask, TaskRunResult } from "../engine/runGenerationTask";
import { RequestFollowUp, runFollowUp } from "../tasks/aiRequests/handleAiRequest";
import { leasedPlacement } from "./leasedExecutor";
import { TASKS_BY_NAME } from "./taskRegistry";
import type { IndexResult } from "../knowledge/indexArticle";
import { INDEX_TASK, runIndexJob } from "../knowledge/indexJobs";

/**
 * Takes run N of a job: whoever creates `leases/run-N` first runs it, every other bridge (and the
 * cloud sweeper) backs off. A create, not a transaction, so exactly one wins even where
 * transactions are not isolated.
 */
export async function takeJob(
  db: Firestore,
  jobId: string,
  job: LlmJob,
  holder: string,
  leaseMs: number,
): Promise<number | undefined> {
  const run = (job.runs ?? 0) + 1;
  const lease = db.doc(paths.llmJobLease(jobId, run));
  // A token of this attempt's: the SDK may re-send the create after its first send landed, and
  // two sweeps share a holder name, so only the token tells this attempt's lease from another's.
  const token = randomUUID();
  try {
    await commitChecked(
      () => lease.create({ holder, token, at: FieldValue.serverTimestamp() }),
      async () => (await lease.get()).get("token") === token,
    );
  } catch (err) {
    if (isAlreadyExists(err)) return undefined;
    throw err;
  }
  await commitIdempotent(() =>
    db.doc(paths.llmJob(jobId)).update({
      status: "running",
      bridgeId: holder,
      runs: run,
      leaseUntil: new Date(Date.now() + leaseMs),
    }),
  );
  return run;
}

/** How a queued job ended: a generation task's run, or an article's indexing. */
export type QueuedJobResult = TaskRunResult | { kind: "indexed"; result: IndexResult };

/** Runs a job this process holds the lease of, with the same engine as the triggers, to its end. */
export async function runQueuedJob(
  db: Firestore,
  jobId: string,
  job: LlmJob,
  deps: {
    env: Env;
    signal?: AbortSignal;
    lmStudioUnreachable?: string;
    /** The sweep runs jobs inside its own function: its start and timeout, not the job's. */
    startedAt?: number;
    timeoutMs?: number;
  },
): Promise<QueuedJobResult> {
  if (job.task === INDEX_TASK) {
    const indexed = await runIndexJob(db, jobId, job, {
      ...deps,
      timeoutMs: deps.timeoutMs ?? job.timeoutMs ?? functionTimeoutMs("onKnowledgeWritten"),
    });
    return { kind: "indexed", result: indexed };
  }
  const task = TASKS_BY_NAME[job.task];
  const result: TaskRunResult = task
    ? await runGenerationTask(task, job.job as never, {
        db,
        env: deps.env,
        signal: deps.signal,
        startedAt: deps.startedAt,
        // Jobs queued before the timeout was stored ran in a suggestion's function: 300 s.
        timeoutMs: deps.timeoutMs ?? job.timeoutMs ?? functionTimeoutMs("onMessageCreated"),
        placement: leasedPlacement(deps.lmStudioUnreachable),
      })
    : { kind: "ignored", reason: `unknown task "${job.task}"` };
  if (job.followUp) await runFollowUp(db, job.followUp as unknown as RequestFollowUp, result);
  await commitIdempotent(() =>
    db.doc(paths.llmJob(jobId)).update({
      status: "done",
      outcome: result.kind === "recorded" ? result.outcome.status : result.kind,
      finishedAt: FieldValue.serverTimestamp(),
    }),
  );
  return result;
}
