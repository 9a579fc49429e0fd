import type { Firestore } from "firebase-admin/firestore";
import type { Env } from "../config/envValues";
import {
  decideWorkspaceAiSettings,
  SettingsDecision,
  settingsLocale,
} from "../config/workspaceAiSettings";
import { GenerationError, hintLanguage } from "../core/errorCodes";
import { paths } from "../core/paths";
import type { DisabledReason } from "../core/vocabulary";
import { log } from "../observability/log";
import { loadProviderRuntime, ProviderRuntime } from "../providers/providerRuntime";
import type { GenerationOutcome } from "./generationOutcome";
import type { GenerationTask, ResultTarget } from "./generationTask";
import { ClaimedRun, generate } from "./generate";
import { errorOutcome, metricsFor } from "./outcomes";
import { reportOutcome } from "./reportOutcome";
import { claimResult, createDecidedResult, recordOutcome, releaseClaim } from "./resultStore";
import { isPermanentWriteError } from "./firestoreCommit";
import { enqueueJob } from "./jobQueue";

/** Kept free at the end of the function's time to write the outcome. */
const OUTCOME_WRITE_RESERVE_MS = 15_000;

export interface EngineDeps {
  db: Firestore;
  env?: Env;
  /** When this invocation started; the deadline counts from here. */
  startedAt?: number;
  /**
   * The timeout of the function running this (core/functionTimeouts.ts), or of the one that
   * queued the job: every attempt, wait and the outcome write are planned inside it.
   */
  timeoutMs: number;
  /** The result is no longer wanted: the model call in flight is closed. */
  signal?: AbortSignal;
  /** Running inside a bridge that holds the job's lease: run it here, never queue it. */
  bridgeRun?: boolean;
  /** Bridge mode: what the bridge does after the run, stored with the queued job. */
  followUp?: Record<string, unknown>;
  /**
   * This process cannot reach LM Studio (the cloud side of bridge mode): why, as the failure
   * the router falls back to OpenAI from.
   */
  lmStudioUnreachable?: string;
}

export type TaskRunResult =
  | { kind: "ignored"; reason: string }
  | { kind: "disabled"; reason: DisabledReason }
  | { kind: "duplicate"; existingStatus: string }
  | { kind: "recorded"; outcome: GenerationOutcome }
  | { kind: "queued"; jobId: string };

/**
 * Runs one job of a task to a terminal result: decide, check the workspace's settings, claim,
 * give way to a newer job, load context, build the prompt, ask the provider router (streaming
 * into the result), record. Failures of our own input or of the provider end in a recorded
 * outcome; only Firestore failures throw, so the platform redelivers the event.
 */
export async function runGenerationTask<Job, Context>(
  task: GenerationTask<Job, Context>,
  job: Job,
  deps: EngineDeps,
): Promise<TaskRunResult> {
  const { db } = deps;
  const env = deps.env ?? process.env;
  const startedAt = deps.startedAt ?? Date.now();
  const { timeoutMs } = deps;
  const decision = task.decide(job);
  if (decision.kind === "ignore") return { kind: "ignored", reason: decision.reason };
  const declared = task.target(job);
  const target: ResultTarget = deps.bridgeRun
    ? { ...declared, claim: { mode: "bridge" } }
    : declared;

  let runtime: ProviderRuntime | GenerationError;
  try {
    // The cloud side of bridge mode: LM Studio only as a job for the bridge; a workspace whose
    // primary is OpenAI is served here, and LM Studio as its fallback fails at once.
    runtime = loadProviderRuntime(env, {
      cloudSide: !deps.bridgeRun,
      lmStudioUnreachable: deps.lmStudioUnreachable,
    });
  } catch (err) {
    runtime = err as GenerationError;
  }
  // The settings, the context and whether a newer job exists are independent reads: one round
  // trip for all. A workspace with AI off wastes the others, cheaper than a second round trip.
  const runs = decision.kind === "run" && !(runtime instanceof GenerationError);
  const settingsRead = db.doc(paths.aiSettings(target.workspaceId)).get();
  const contextRead = runs
    ? task.loadContext(db, job, (runtime as ProviderRuntime).config)
    : undefined;
  const newerRead = runs ? task.latestWins?.findNewer(db, job) : undefined;
  // Awaited below; not unhandled rejections meanwhile.
  contextRead?.catch(() => undefined);
  newerRead?.catch(() => undefined);

  const rawSettings = (await settingsRead).data();
  // The team reads the hints in its own language, even when the rest of the settings is wrong.
  const language = hintLanguage(settingsLocale(rawSettings));
  let settingsDecision: SettingsDecision;
  try {
    settingsDecision = decideWorkspaceAiSettings(rawSettings, task.settingsTask);
  } catch (err) {
    const outcome = errorOutcome(err as GenerationError, env, language);
    return recordDecided(db, task, target, outcome, undefined);
  }
  if (settingsDecision.kind === "disabled" && deps.bridgeRun) {
    // Switched off while the job waited: the queued result still needs an end.
    const off = new GenerationError(
      "no_provider",
      `AI was switched off for this workspace (${settingsDecision.reason}) before the bridge ran the job.`,
    );
    return recordDecided(db, task, target, errorOutcome(off, env, language), undefined);
  }
  if (settingsDecision.kind === "disabled") {
    log.debug(`${task.name}s off for workspace`, {
      ...target.logFields,
      reason: settingsDecision.reason,
    });
    return { kind: "disabled", reason: settingsDecision.reason };
  }
  if (runtime instanceof GenerationError) {
    return recordDecided(db, task, target, errorOutcome(runtime, env, language), undefined);
  }
  if (decision.kind === "skip") {
    const skipped = {
      status: "skipped",
      reason: decision.reason,
      detail: decision.detail,
    } as const;
    return recordDecided(db, task, target, skipped, runtime);
  }
  // An event delivered after a newer job's: it gives way at once, without a claim.
  const newer = await newerRead;
  if (newer) return recordDecided(db, task, target, { status: "superseded", ...newer }, runtime);

  const deadlineAt = startedAt + timeoutMs - OUTCOME_WRITE_RESERVE_MS;
  const claim = await claimResult(db, target, timeoutMs, deadlineAt);
  const queueForBridge =
    runtime.config.lmStudio.mode === "bridge" &&
    !deps.bridgeRun &&
    settingsDecision.settings.provider === "llm_studio";
  if (claim.claimed && queueForBridge) {
    // LM Studio is not reachable from here: the worker beside it runs the job.
    const jobId = await enqueueJob(db, target, task.name, job, deps.followUp, timeoutMs);
    log.info(`${task.name} queued for the bridge`, { ...target.logFields, jobId });
    return { kind: "queued", jobId };
  }
  if (!claim.claimed) {
    log.info(`${task.name} already claimed`, {
      ...target.logFields,
      existingStatus: claim.status,
    });
    return { kind: "duplicate", existingStatus: claim.status };
  }
  const run: ClaimedRun = {
    db,
    target,
    claimToken: claim.token,
    runtime,
    request: task.modelRequest(settingsDecision.settings),
    env,
    language,
  };
  try {
    // Started above for every job that runs with a valid runtime, which this one is.
    const context = await (contextRead as Promise<Context>);
    const outcome = await generate(task, job, context, run, {
      claimedAt: Date.now(),
      deadlineAt,
      signal: deps.signal,
    });
    const recorded = await recordClaimedOutcome(run, outcome);
    await reportOutcome(db, task.name, target, recorded, runtime);
    return { kind: "recorded", outcome: recorded };
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
    recordOutcome(
      db,
      target,
      o,
      metricsFor(o, runtime.config, request, target.metricsKey),
      run.claimToken,
    );
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

async function recordDecided<Job, Context>(
  db: Firestore,
  task: GenerationTask<Job, Context>,
  target: ResultTarget,
  outcome: GenerationOutcome,
  runtime: ProviderRuntime | undefined,
): Promise<TaskRunResult> {
  const metrics = metricsFor(outcome, runtime?.config, undefined, target.metricsKey);
  if (target.claim?.mode === "bridge") {
    // The result exists (queued): a bridge run decides on it under its lease.
    const claim = await claimResult(db, target, 0);
    if (!claim.claimed) return { kind: "duplicate", existingStatus: claim.status };
    await recordOutcome(db, target, outcome, metrics, claim.token);
  } else if (!(await createDecidedResult(db, target, outcome, metrics))) {
    return { kind: "duplicate", existingStatus: "exists" };
  }
  await reportOutcome(db, task.name, target, outcome, runtime);
  return { kind: "recorded", outcome };
}
