import type { Firestore } from "firebase-admin/firestore";
import { configuredSecrets, type Env } from "../config/envValues";
import { parseRuntimeConfig, type RuntimeConfig } from "../config/runtimeConfig";
import {
  decideWorkspaceAiSettings,
  SettingsDecision,
  settingsLocale,
} from "../config/workspaceAiSettings";
import { GenerationError, HintLanguage, hintFor, hintLanguage } from "../core/errorCodes";
import { paths } from "../core/paths";
import { safeMessage } from "../core/safeText";
import type { DisabledReason } from "../core/vocabulary";
import { log } from "../observability/log";
import { planProviderChain } from "../providers/fallbackPolicy";
import type { ModelRequest } from "../providers/providerRouter";
import { loadProviderRuntime, ProviderRuntime } from "../providers/providerRuntime";
import { generationMetricsDelta } from "./generationMetrics";
import type { GenerationOutcome } from "./generationOutcome";
import type { GenerationTask, ResultTarget } from "./generationTask";
import { reportOutcome } from "./reportOutcome";
import {
  claimResult,
  createDecidedResult,
  isPermanentWriteError,
  recordOutcome,
  releaseClaim,
} from "./resultStore";

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

/**
 * The error as it is stored, logged and shown to members: a server may echo our API key or a
 * 2 MB body, and a mistyped URL may carry credentials.
 */
function errorOutcome(
  error: GenerationError,
  env: Env,
  language: HintLanguage,
  extra: Partial<GenerationOutcome & { status: "error" }> = {},
): GenerationOutcome {
  return {
    status: "error",
    code: error.code,
    message: safeMessage(error.message, configuredSecrets(env)),
    hint: hintFor(error.code, language),
    attempts: 0,
    latencyMs: 0,
    ...extra,
  };
}

/** What an outcome adds to the daily metrics, with the workspace's configured models as keys. */
function metricsFor(
  outcome: GenerationOutcome,
  config: RuntimeConfig | undefined,
  request: ModelRequest | undefined,
) {
  // Without a valid runtime (an invalid_config outcome), the documented default prices.
  const prices = (config ?? parseRuntimeConfig({})).cloudPrices;
  const models =
    config && request
      ? planProviderChain(request.settings, config, request.model).map((step) => step.model)
      : [];
  return generationMetricsDelta(outcome, prices, new Set(models));
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
  const env = deps.env ?? process.env;
  const startedAt = deps.startedAt ?? Date.now();
  const timeoutMs = deps.timeoutMs ?? task.timeoutSeconds * 1000;
  const decision = task.decide(job);
  if (decision.kind === "ignore") return { kind: "ignored", reason: decision.reason };
  const target = task.target(job);

  let runtime: ProviderRuntime | GenerationError;
  try {
    runtime = loadProviderRuntime(env);
  } catch (err) {
    runtime = err as GenerationError;
  }
  // The settings and the context are independent reads: one round trip for both. A workspace
  // with AI off wastes the context reads, which costs less than a second round trip for all.
  const settingsRead = db.doc(paths.aiSettings(target.workspaceId)).get();
  const contextRead =
    decision.kind === "run" && !(runtime instanceof GenerationError)
      ? task.loadContext(db, job, runtime.config)
      : undefined;
  contextRead?.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile

  const rawSettings = (await settingsRead).data();
  // The team reads the hints in its own language, even when the rest of the settings is wrong.
  const language = hintLanguage(settingsLocale(rawSettings));
  let settingsDecision: SettingsDecision;
  try {
    settingsDecision = decideWorkspaceAiSettings(rawSettings);
  } catch (err) {
    const outcome = errorOutcome(err as GenerationError, env, language);
    return recordDecided(db, task, target, outcome, undefined);
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

  const claim = await claimResult(db, target, timeoutMs);
  if (!claim.claimed) {
    log.info(`${task.name} already claimed`, {
      ...target.logFields,
      existingStatus: claim.status,
    });
    return { kind: "duplicate", existingStatus: claim.status };
  }

  try {
    // Started above for every job that runs with a valid runtime, which this one is.
    const context = await (contextRead as Promise<Context>);
    const prompt = task.buildPrompt(context, runtime.config);
    log.debug("prompt built", { ...target.logFields, ...prompt.trace });
    const request = task.modelRequest(settingsDecision.settings);
    const result = await runtime.router.complete(request, prompt.messages, {
      deadlineAt: startedAt + timeoutMs - OUTCOME_WRITE_RESERVE_MS,
      signal: deps.signal,
    });
    const outcome: GenerationOutcome = result.ok
      ? { status: "ready", answer: result.answer }
      : errorOutcome(result.error, env, language, {
          attempts: result.attempts,
          latencyMs: result.latencyMs,
          provider: result.provider,
          model: result.model,
          fallbackFrom: result.fallbackFrom,
        });
    const recorded = await recordClaimedOutcome(db, target, outcome, {
      runtime,
      request,
      env,
      language,
    });
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
 * Records the outcome of a model call. Should Firestore refuse it for good (too large, not
 * valid), a redelivery would call the model again for the same refusal: a small error is
 * recorded instead, and the model is never asked twice.
 */
async function recordClaimedOutcome(
  db: Firestore,
  target: ResultTarget,
  outcome: GenerationOutcome,
  {
    runtime,
    request,
    env,
    language,
  }: {
    runtime: ProviderRuntime;
    request: ModelRequest;
    env: Env;
    language: HintLanguage;
  },
): Promise<GenerationOutcome> {
  try {
    await recordOutcome(db, target, outcome, metricsFor(outcome, runtime.config, request));
    return outcome;
  } catch (err) {
    if (!isPermanentWriteError(err)) throw err;
    const answered = outcome.status === "ready" ? outcome.answer : undefined;
    const refused = errorOutcome(
      new GenerationError(
        "storage_rejected",
        `Firestore refused to store the result: ${(err as Error).message}`,
      ),
      env,
      language,
      {
        attempts: answered?.attempts ?? (outcome.status === "error" ? outcome.attempts : 0),
        latencyMs: answered?.latencyMs ?? (outcome.status === "error" ? outcome.latencyMs : 0),
        provider: answered?.provider,
        model: answered?.model,
      },
    );
    await recordOutcome(db, target, refused, metricsFor(refused, runtime.config, request));
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
  const created = await createDecidedResult(
    db,
    target,
    outcome,
    metricsFor(outcome, runtime?.config, undefined),
  );
  if (!created) return { kind: "duplicate", existingStatus: "exists" };
  await reportOutcome(db, task.name, target, outcome, runtime);
  return { kind: "recorded", outcome };
}
