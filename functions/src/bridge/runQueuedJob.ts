import type { Firestore } from "firebase-admin/firestore";
import type { Env } from "../config/envValues";
import { functionTimeoutMs } from "../core/functionTimeouts";
import { finishJob, LlmJob, readTakenJob } from "../queue/jobQueue";
import { runEmbeddingTask } from "../engine/runEmbeddingTask";
import { runGenerationTask, TaskRunResult } from "../engine/runGenerationTask";
import { leasedPlacement } from "../executors/leasedExecutor";
import { followUpOf, RegisteredTask, TASKS_BY_NAME } from "../tasks/taskRegistry";

/** How a queued job ended: a generation's run, or an embedding task's result (an index). */
export type QueuedJobResult = TaskRunResult | { kind: string };

/**
 * Runs a job this process holds the lease of, with the same engine as the triggers, to its end:
 * the task and its follow-up come from the task registry by the names the job stores.
 */
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
  // Read before the task reads anything: a queueing after this shows as a newer revision.
  const taken = await readTakenJob(db, jobId);
  const task: RegisteredTask | undefined = TASKS_BY_NAME[job.task];
  const engineDeps = {
    db,
    env: deps.env,
    signal: deps.signal,
    startedAt: deps.startedAt,
    // Jobs queued before the timeout was stored ran in a suggestion's function: 300 s.
    timeoutMs: deps.timeoutMs ?? job.timeoutMs ?? functionTimeoutMs("onMessageCreated"),
    placement: leasedPlacement(deps.lmStudioUnreachable),
    followUp: followUpOf(job.followUp),
  };
  if (!task) {
    const ignored = { kind: "ignored", reason: `unknown task "${job.task}"` } as const;
    await finishJob(db, taken, ignored.kind, false);
    return ignored;
  }
  if (task.kind === "embedding") {
    const result = await runEmbeddingTask(task, job.job as never, engineDeps);
    await finishJob(db, taken, result.kind, task.leavesQueued(result));
    return result;
  }
  const result = await runGenerationTask(task, job.job as never, engineDeps);
  const outcome = result.kind === "recorded" ? result.outcome.status : result.kind;
  await finishJob(db, taken, outcome, false);
  return result;
}
