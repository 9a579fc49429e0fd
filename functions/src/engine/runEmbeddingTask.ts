import { GenerationError } from "../core/errorCodes";
import { log } from "../observability/log";
import type { EmbeddingTask } from "./embeddingTask";
import { EngineDeps, loadRuntime, readWorkspaceLanguage, runDeadline } from "./engineDeps";
import { enqueueJob } from "../queue/jobQueue";

export type EmbeddingRunResult<Result> = Result | { kind: "queued"; jobId: string };

/**
 * Runs one job of an embedding task to its end: the providers as the placement reaches them (a
 * setup failure recorded in the team's language), queued for the bridge where the placement
 * cannot run it, else run here within the run's deadline.
 */
export async function runEmbeddingTask<Input, Job, Result extends { kind: string }>(
  task: EmbeddingTask<Input, Job, Result>,
  input: Input,
  deps: EngineDeps,
): Promise<EmbeddingRunResult<Result>> {
  const { db, placement } = deps;
  const prepared = task.prepare(input);
  const runtime = loadRuntime(deps.env ?? process.env, placement);
  if (runtime instanceof GenerationError) {
    const language = await readWorkspaceLanguage(db, prepared.target.workspaceId);
    log.warn(`${task.name} failed`, { path: prepared.target.path, code: runtime.code });
    return task.recordFailure(db, prepared.job, runtime, language);
  }
  if (prepared.needsModel && !placement.mayRunHere(runtime.config)) {
    // An unchanged re-save or a redelivery costs the bridge nothing: no job at all.
    const current = await task.isCurrent(db, prepared.job, runtime.config);
    if (current) return current;
    const jobId = await enqueueJob(db, {
      task: task.name,
      job: input,
      target: prepared.target,
      shows: task.queuedShows,
      timeoutMs: deps.timeoutMs,
    });
    log.info(`${task.name} queued for the bridge`, { path: prepared.target.path, jobId });
    return { kind: "queued", jobId };
  }
  return task.run(prepared.job, {
    db,
    runtime,
    deadlineAt: runDeadline(deps),
    signal: deps.signal,
  });
}
