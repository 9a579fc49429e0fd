import type { WorkspaceAiSettings } from "../config/workspaceAiSettings";
import { GenerationError } from "../core/errorCodes";
import type { ProviderRuntime } from "../providers/providerRuntime";
import type { TaskRun, TaskRunResult } from "../engine/executor";
import { isPermanentWriteError } from "../core/firestoreCommit";
import type { GenerationOutcome } from "../results/generationOutcome";
import { ClaimedRun, generateOutcome } from "./generate";
import { errorOutcome } from "../results/outcomes";
import { publishOutcome } from "../results/publishOutcome";
import { writeDecidedResult, writeOutcome } from "../results/outcomeWrite";
import { ClaimResult, claimResult, handingBackOnFailure } from "../results/resultClaims";

/*
 * The steps every executor is made of, whatever the place: generate a claimed result and record
 * it, or record an outcome decided without a model call.
 */

/**
 * Claims a run's result in this invocation, stale after the function's timeout; the commit also
 * shows the run's follow-up document waiting (a request `generating`).
 */
export function claimForRun<J, C>(
  run: TaskRun<J, C>,
  status: "generating" | "queued",
): Promise<ClaimResult> {
  const { db, prepared, timeoutMs, deadlineAt, followUpShows } = run;
  return claimResult(db, prepared.target, timeoutMs, deadlineAt, status, followUpShows);
}

/** Generates a result this invocation has claimed (`claimToken`) and records how it ended. */
export async function generateAndRecord<J, C>(
  run: TaskRun<J, C>,
  runtime: ProviderRuntime,
  settings: WorkspaceAiSettings,
  context: Promise<C>,
  claimToken: string,
  // A claim this run did not create itself (a queued result under a bridge's lease) is kept.
  release: "on_failure" | "never" = "on_failure",
): Promise<TaskRunResult> {
  const { db, task, prepared } = run;
  const { target } = prepared;
  const claimed: ClaimedRun = {
    db,
    target,
    claimToken,
    runtime,
    request: {
      ...task.modelRequest(settings),
      ...(target.affinity ? { affinity: target.affinity } : {}),
    },
    env: run.env,
    language: run.language,
  };
  const generateThenRecord = async (): Promise<TaskRunResult> => {
    const outcome = await generateOutcome(task, prepared.job, await context, claimed, {
      claimedAt: Date.now(),
      deadlineAt: run.deadlineAt,
      signal: run.signal,
    });
    const recorded = await recordClaimedOutcome(claimed, outcome);
    await publishOutcome(db, task.name, target, recorded, runtime);
    return { kind: "recorded", outcome: recorded };
  };
  return release === "on_failure"
    ? handingBackOnFailure(db, target, claimToken, generateThenRecord)
    : generateThenRecord();
}

/**
 * Records the outcome of a claimed job. Should Firestore refuse it for good (too large, not
 * valid), a redelivery would call the model again for the same refusal: a small error is
 * recorded instead, and the model is never asked twice.
 */
async function recordClaimedOutcome(
  run: ClaimedRun,
  outcome: GenerationOutcome,
): Promise<GenerationOutcome> {
  const { db, target, runtime, request } = run;
  const record = (o: GenerationOutcome) =>
    writeOutcome(db, target, o, { config: runtime.config, request }, run.claimToken);
  try {
    await record(outcome);
    return outcome;
  } catch (err) {
    if (!isPermanentWriteError(err)) throw err;
    const answered = outcome.status === "ready" ? outcome.answer : undefined;
    const failed = outcome.status === "error" ? outcome : undefined;
    const refused = errorOutcome(
      new GenerationError(
        "storage_rejected",
        `Firestore refused to store the result: ${(err as Error).message}`,
      ),
      run.env,
      run.language,
      {
        attempts: answered?.attempts ?? failed?.attempts ?? 0,
        latencyMs: answered?.latencyMs ?? failed?.latencyMs ?? 0,
        provider: answered?.provider,
        model: answered?.model,
      },
    );
    await record(refused);
    return refused;
  }
}

/** An outcome decided without a model call, written as a new result (or on a client's request). */
export async function recordDecidedResult<J, C>(
  run: TaskRun<J, C>,
  outcome: GenerationOutcome,
  runtime: ProviderRuntime | undefined,
): Promise<TaskRunResult> {
  const { db, task, prepared } = run;
  if (!(await writeDecidedResult(db, prepared.target, outcome, { config: runtime?.config }))) {
    return { kind: "duplicate", existingStatus: "exists" };
  }
  await publishOutcome(db, task.name, prepared.target, outcome, runtime);
  return { kind: "recorded", outcome };
}

/** An outcome decided without a model call, on a result this invocation holds (`claimToken`). */
export async function recordDecidedOnClaim<J, C>(
  run: TaskRun<J, C>,
  outcome: GenerationOutcome,
  runtime: ProviderRuntime | undefined,
  claimToken: string,
): Promise<TaskRunResult> {
  const { db, task, prepared } = run;
  await writeOutcome(db, prepared.target, outcome, { config: runtime?.config }, claimToken);
  await publishOutcome(db, task.name, prepared.target, outcome, runtime);
  return { kind: "recorded", outcome };
}
