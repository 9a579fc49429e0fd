import { type Language } from "../core/language";
import { addCounters } from "../metrics/generationMetrics";
import type { Firestore } from "firebase-admin/firestore";
import type { Env } from "../config/envValues";

import { log } from "../observability/log";
import type { ModelRequest, RouterResult } from "../providers/providerRouter";
import type { ProviderRuntime } from "../providers/providerRuntime";
import type { GenerationOutcome } from "../results/generationOutcome";
import type {
  AskModel,
  GenerationTask,
  ResultTarget,
  TaskHooks,
  TaskPrompt,
} from "../engine/generationTask";
import { routerOutcome } from "../results/outcomes";
import { StreamWriter } from "../results/streamWriter";
import {
  sleepUntil,
  Supersession,
  SupersessionWatch,
  watchSupersession,
} from "../results/supersession";

/*
 * A claimed job, from its claim to its outcome: give way to a newer job, condense, prompt, ask
 * the model (streaming into the result document), and say how it ended. The lifecycle around it
 * (settings, claim, record) is runGenerationTask's.
 */

/** What a claimed run needs besides the task and the job. */
export interface ClaimedRun {
  db: Firestore;
  target: ResultTarget;
  /** The claim's token: what tells this run's outcome write from another's. */
  claimToken: string;
  runtime: ProviderRuntime;
  request: ModelRequest;
  env: Env;
  language: Language;
}

/** Latest-wins for one run: the watch on its result and the older results it retires. */
interface Watched {
  watch?: SupersessionWatch;
  retiring?: Promise<void>;
  /** Aborts the model calls when a newer job supersedes this one, or the caller gives up. */
  signal?: AbortSignal;
}

/**
 * From the claim to the outcome, not yet recorded: retire older results, wait out a burst,
 * ground, condense, prompt, and ask the model (streaming into the document), giving way to a
 * newer job at every step.
 */
export async function generateOutcome<Job, Context>(
  task: GenerationTask<Job, Context>,
  job: Job,
  loaded: Context,
  run: ClaimedRun,
  timing: RunTiming,
): Promise<GenerationOutcome> {
  const watched = watchLatestWins(task, job, run, timing.signal);
  let writer: StreamWriter | undefined;
  try {
    const newerAfterBurst = await waitOutBurst(task, job, run, watched);
    if (newerAfterBurst) return { status: "superseded", ...newerAfterBurst };
    const grounded = await groundContext(task, loaded, run, watched.signal);
    const newerAfterGrounding = watched.watch?.superseded();
    if (newerAfterGrounding) return { status: "superseded", ...newerAfterGrounding };
    const personalNames = task.hooks?.personalNames?.(grounded) ?? [];
    const condenseStep = task.hooks?.condense;
    const condensed = condenseStep
      ? await condense(condenseStep, grounded, run, {
          deadlineAt: timing.deadlineAt,
          signal: watched.signal,
          personalNames,
        })
      : grounded;
    if (condensed instanceof CondenseFailure) {
      return routerOutcome(condensed.failed, run.env, run.language, undefined);
    }
    const prompt = task.buildPrompt(condensed as Context, run.runtime.config, run.request);
    log.debug("prompt built", { ...run.target.logFields, ...prompt.trace });
    writer = streamWriterFor(task, run, prompt);
    const result = await askModel(run, prompt, writer, {
      deadlineAt: timing.deadlineAt,
      signal: watched.signal,
      personalNames,
    });
    await writer?.close();
    const newerAfterAnswer = watched.watch?.superseded();
    if (newerAfterAnswer) return { status: "superseded", ...newerAfterAnswer };
    const firstTextAt = writer?.firstTextAt ?? (result.ok ? Date.now() : undefined);
    const firstTextMs = firstTextAt !== undefined ? firstTextAt - timing.claimedAt : undefined;
    return withTaskFields(task, prompt, routerOutcome(result, run.env, run.language, firstTextMs));
  } finally {
    watched.watch?.stop();
    await Promise.all([writer?.close(), watched.retiring]);
  }
}

export interface RunTiming {
  claimedAt: number;
  deadlineAt: number;
  signal?: AbortSignal;
}

function watchLatestWins<Job, Context>(
  task: GenerationTask<Job, Context>,
  job: Job,
  run: ClaimedRun,
  callerSignal: AbortSignal | undefined,
): Watched {
  const latestWins = task.hooks?.latestWins;
  const watch = latestWins ? watchSupersession(run.db.doc(run.target.path)) : undefined;
  const signals = [watch?.signal, callerSignal].filter((s): s is AbortSignal => !!s);
  // Retiring older results does not gate this one's answer: it runs beside it. A failure only
  // costs their early abort; each of them still checks for a newer job before its own call.
  const retiring = latestWins
    ?.retireOlder(run.db, job)
    .catch((err) =>
      log.warn("older results not retired", { ...run.target.logFields, error: String(err) }),
    );
  return {
    watch,
    retiring,
    signal: signals.length > 0 ? AbortSignal.any(signals) : undefined,
  };
}

/**
 * A customer who writes in bursts gets one answer to all of it: wait until no newer message came
 * for the window (never longer than the window from now), then look again for one whose event
 * has not arrived yet. Without a window, the check in the first round trip is as fresh as it
 * gets; a newer job from here on supersedes this one through the watch.
 */
async function waitOutBurst<Job, Context>(
  task: GenerationTask<Job, Context>,
  job: Job,
  run: ClaimedRun,
  { watch }: Watched,
): Promise<Supersession | undefined> {
  const latestWins = task.hooks?.latestWins;
  if (!latestWins || !watch) return undefined;
  const jobTime = latestWins.jobTime(job);
  const window = run.runtime.config.burstWindowMs;
  if (jobTime === undefined || window <= 0) return undefined;
  const now = Date.now();
  await sleepUntil(Math.min(Math.max(jobTime + window, now), now + window), watch.signal);
  return watch.superseded() ?? (await latestWins.findNewer(run.db, job));
}

/** The task's grounding step (the team's knowledge), when it declares one. */
function groundContext<Job, Context>(
  task: GenerationTask<Job, Context>,
  loaded: Context,
  run: ClaimedRun,
  signal: AbortSignal | undefined,
): Promise<Context> {
  const ground = task.hooks?.ground;
  if (!ground) return Promise.resolve(loaded);
  return ground(loaded, {
    db: run.db,
    runtime: run.runtime,
    request: run.request,
    workspaceId: run.target.workspaceId,
    signal,
  });
}

/** JSON is useless to read half-written: structured answers are written once, whole. */
function streamWriterFor<Job, Context>(
  task: GenerationTask<Job, Context>,
  run: ClaimedRun,
  prompt: TaskPrompt,
): StreamWriter | undefined {
  if (!task.streams || !run.runtime.config.streaming || prompt.structured) return undefined;
  return new StreamWriter(
    run.db.doc(run.target.path),
    run.runtime.config.streamFlushMs,
    run.target.logFields,
  );
}

function askModel(
  run: ClaimedRun,
  prompt: TaskPrompt,
  writer: StreamWriter | undefined,
  options: { deadlineAt: number; signal?: AbortSignal; personalNames: readonly string[] },
): Promise<RouterResult> {
  return run.runtime.router.complete(run.request, prompt.messages, {
    ...options,
    stream: writer
      ? { onText: (text) => writer.text(text), onAttempt: () => writer.newAttempt() }
      : undefined,
    structured: prompt.structured,
  });
}

/** A ready outcome gets the task's own fields and counters; any other is as the router said. */
function withTaskFields<Job, Context>(
  task: GenerationTask<Job, Context>,
  prompt: TaskPrompt,
  outcome: GenerationOutcome,
): GenerationOutcome {
  if (outcome.status !== "ready") return outcome;
  const fields = { ...prompt.fields, ...task.resultFields?.(outcome.answer, prompt) };
  const answered = task.hooks?.resultCounters?.(outcome.answer);
  const counters =
    prompt.counters && answered
      ? addCounters(prompt.counters, answered)
      : (prompt.counters ?? answered);
  return {
    ...outcome,
    ...(Object.keys(fields).length > 0 ? { fields } : {}),
    ...(counters ? { counters } : {}),
  };
}

/** A condensing model call failed: the run ends with that failure, as the final call's would. */
class CondenseFailure {
  constructor(readonly failed: RouterResult) {}
}

/**
 * The task's condense step, its model calls within the run's deadline and abort signal, plain
 * text, never streamed.
 */
async function condense<Context>(
  condenseStep: NonNullable<TaskHooks<Context, unknown>["condense"]>,
  loaded: Context,
  run: ClaimedRun,
  options: { deadlineAt: number; signal?: AbortSignal; personalNames: readonly string[] },
): Promise<Context | CondenseFailure> {
  let failed: RouterResult | undefined;
  const ask: AskModel = async (messages) => {
    const result = await run.runtime.router.complete(run.request, messages, options);
    if (!result.ok) {
      failed = result;
      throw result.error;
    }
    return result.answer.text;
  };
  try {
    return await condenseStep(loaded, ask, run.runtime.config);
  } catch (err) {
    if (failed) return new CondenseFailure(failed);
    throw err;
  }
}
