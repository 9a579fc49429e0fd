import type { Firestore } from "firebase-admin/firestore";
import type { Env } from "../config/envValues";
import { decideWorkspaceAiSettings, SettingsDecision } from "../config/workspaceAiSettings";
import { GenerationError } from "../core/errorCodes";
import type { DisabledReason } from "../core/vocabulary";
import { paths } from "../core/paths";
import { log } from "../observability/log";
import { loadProviderRuntime, ProviderRuntime } from "../providers/providerRuntime";
import type { GenerationOutcome } from "./generationOutcome";
import type { GenerationTask, ResultTarget } from "./generationTask";
import { reportOutcome } from "./reportOutcome";
import { claimResult, createDecidedResult, recordOutcome, releaseClaim } from "./resultStore";

/** Kept free at the end of the function's time to write the outcome. */
const OUTCOME_WRITE_RESERVE_MS = 15_000;

export interface EngineDeps {
  db: Firestore;
  env?: Env;
  /** When this invocation started; the deadline counts from here. */
  startedAt?: number;
  /** Defaults to the task's function timeout. */
  timeoutMs?: number;
  /** The result is no longer wanted: the model call in flight is closed. */
  signal?: AbortSignal;
}

export type TaskRunResult =
  | { kind: "ignored"; reason: string }
  | { kind: "disabled"; reason: DisabledReason }
  | { kind: "duplicate"; existingStatus: string }
  | { kind: "recorded"; outcome: GenerationOutcome };

function errorOutcome(
  error: GenerationError,
  extra: Partial<GenerationOutcome & { status: "error" }> = {},
): GenerationOutcome {
  return {
    status: "error",
    code: error.code,
    message: error.message,
    hint: error.hint,
    attempts: 0,
    latencyMs: 0,
    ...extra,
  };
}

/**
 * Runs one job of a task to a terminal result: decide, check the workspace's settings, claim,
 * load context, build the prompt, ask the provider router, record. Failures of our own input or
 * of the provider end in a recorded outcome; only Firestore failures throw, so the platform
 * redelivers the event.
 */
export async function runGenerationTask<Job, Context>(
  task: GenerationTask<Job, Context>,
  job: Job,
  deps: EngineDeps,
): Promise<TaskRunResult> {
  const { db } = deps;
  const startedAt = deps.startedAt ?? Date.now();
  const timeoutMs = deps.timeoutMs ?? task.timeoutSeconds * 1000;
  const decision = task.decide(job);
  if (decision.kind === "ignore") return { kind: "ignored", reason: decision.reason };
  const target = task.target(job);

  const settingsSnapshot = await db.doc(paths.aiSettings(target.workspaceId)).get();
  let settingsDecision: SettingsDecision;
  try {
    settingsDecision = decideWorkspaceAiSettings(settingsSnapshot.data());
  } catch (err) {
    return recordDecided(db, task, target, errorOutcome(err as GenerationError), undefined);
  }
  if (settingsDecision.kind === "disabled") {
    log.debug(`${task.name}s off for workspace`, {
      ...target.logFields,
      reason: settingsDecision.reason,
    });
    return { kind: "disabled", reason: settingsDecision.reason };
  }
  let runtime: ProviderRuntime;
  try {
    runtime = loadProviderRuntime(deps.env);
  } catch (err) {
    return recordDecided(db, task, target, errorOutcome(err as GenerationError), undefined);
  }
  if (decision.kind === "skip") {
    const skipped = {
      status: "skipped",
      reason: decision.reason,
      detail: decision.detail,
    } as const;
    return recordDecided(db, task, target, skipped, runtime);
  }

  const claim = await claimResult(db, target, timeoutMs);
  if (!claim.claimed) {
    log.info(`${task.name} already claimed`, {
      ...target.logFields,
      existingStatus: claim.status,
    });
    return { kind: "duplicate", existingStatus: claim.status };
  }

  try {
    const context = await task.loadContext(db, job, runtime.config);
    const prompt = task.buildPrompt(context, runtime.config);
    log.debug("prompt built", { ...target.logFields, ...prompt.trace });
    const result = await runtime.router.complete(
      task.modelRequest(settingsDecision.settings),
      prompt.messages,
      { deadlineAt: startedAt + timeoutMs - OUTCOME_WRITE_RESERVE_MS, signal: deps.signal },
    );
    const outcome: GenerationOutcome = result.ok
      ? { status: "ready", answer: result.answer }
      : errorOutcome(result.error, {
          attempts: result.attempts,
          latencyMs: result.latencyMs,
          provider: result.provider,
          model: result.model,
          fallbackFrom: result.fallbackFrom,
        });
    await recordOutcome(db, target, outcome);
    await reportOutcome(db, task.name, target, outcome, runtime);
    return { kind: "recorded", outcome };
  } catch (err) {
    // Firestore failed us mid-way. Hand the claim back so the redelivery starts clean; if even
    // that fails, the claim goes stale and the redelivery takes it over after the timeout.
    await releaseClaim(db, target).catch((releaseErr) =>
      log.error(`could not release ${task.name} claim`, {
        ...target.logFields,
        error: String(releaseErr),
      }),
    );
    throw err;
  }
}

async function recordDecided<Job, Context>(
  db: Firestore,
  task: GenerationTask<Job, Context>,
  target: ResultTarget,
  outcome: GenerationOutcome,
  runtime: ProviderRuntime | undefined,
): Promise<TaskRunResult> {
  const created = await createDecidedResult(db, target, outcome);
  if (!created) return { kind: "duplicate", existingStatus: "exists" };
  await reportOutcome(db, task.name, target, outcome, runtime);
  return { kind: "recorded", outcome };
}
