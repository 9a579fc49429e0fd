import { addCounters } from "./generationMetrics";
import type { Firestore } from "firebase-admin/firestore";
import type { Env } from "../config/envValues";
import type { HintLanguage } from "../core/errorCodes";
import { log } from "../observability/log";
import type { ModelRequest, RouterResult } from "../providers/providerRouter";
import type { ProviderRuntime } from "../providers/providerRuntime";
import type { GenerationOutcome } from "./generationOutcome";
import type { AskModel, GenerationTask, ResultTarget } from "./generationTask";
import { routerOutcome } from "./outcomes";
import { StreamWriter } from "./streamWriter";
import { sleepUntil, watchSupersession } from "./supersession";

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
  language: HintLanguage;
}

/**
 * The claimed part: retire older results, wait out a burst, give way to a newer job, then ask
 * the model, streaming into the document, until the answer, a failure, or a newer job.
 */
export async function generate<Job, Context>(
  task: GenerationTask<Job, Context>,
  job: Job,
  loaded: Context,
  run: ClaimedRun,
  timing: { claimedAt: number; deadlineAt: number; signal?: AbortSignal },
): Promise<GenerationOutcome> {
  const { db, target, runtime } = run;
  const ref = db.doc(target.path);
  const latestWins = task.latestWins;
  const watch = latestWins ? watchSupersession(ref) : undefined;
  const signals = [watch?.signal, timing.signal].filter((s): s is AbortSignal => !!s);
  const signal = signals.length > 0 ? AbortSignal.any(signals) : undefined;
  // Retiring older results does not gate this one's answer: it runs beside it. A failure only
  // costs their early abort; each of them still checks for a newer job before its own call.
  const retiring = latestWins
    ?.retireOlder(db, job)
    .catch((err) =>
      log.warn("older results not retired", { ...target.logFields, error: String(err) }),
    );
  let writer: StreamWriter | undefined;
  try {
    if (latestWins && watch) {
      const jobTime = latestWins.jobTime(job);
      const window = runtime.config.burstWindowMs;
      if (jobTime !== undefined && window > 0) {
        // A customer who writes in bursts gets one answer to all of it: wait until no newer
        // message came for the window (never longer than the window from now), then look
        // again for one whose event has not arrived yet.
        const now = Date.now();
        await sleepUntil(Math.min(Math.max(jobTime + window, now), now + window), watch.signal);
        const newer = watch.superseded() ?? (await latestWins.findNewer(db, job));
        if (newer) return { status: "superseded", ...newer };
      }
      // Without a window, the check in the first round trip is as fresh as it gets; a newer
      // job from here on supersedes this one through the watch.
    }

    const grounded = task.ground
      ? await task.ground(loaded, {
          db,
          runtime,
          request: run.request,
          workspaceId: target.workspaceId,
          signal,
        })
      : loaded;
    const supersededMeanwhile = watch?.superseded();
    if (supersededMeanwhile) return { status: "superseded", ...supersededMeanwhile };
    const personalNames = task.personalNames?.(grounded) ?? [];
    const condensed = task.condense
      ? await condense(task, grounded, run, {
          deadlineAt: timing.deadlineAt,
          signal,
          personalNames,
        })
      : grounded;
    if (condensed instanceof CondenseFailure) {
      return routerOutcome(condensed.failed, run.env, run.language, undefined);
    }
    const prompt = task.buildPrompt(condensed as Context, runtime.config, run.request);
    log.debug("prompt built", { ...target.logFields, ...prompt.trace });
    // JSON is useless to read half-written: structured answers are written once, whole.
    if (task.streams && runtime.config.streaming && !prompt.structured) {
      writer = new StreamWriter(ref, runtime.config.streamFlushMs, target.logFields);
    }
    const stream = writer;
    const result = await runtime.router.complete(run.request, prompt.messages, {
      deadlineAt: timing.deadlineAt,
      signal,
      stream: stream
        ? { onText: (text) => stream.text(text), onAttempt: () => stream.newAttempt() }
        : undefined,
      structured: prompt.structured,
      personalNames,
    });
    await writer?.close();
    const superseded = watch?.superseded();
    if (superseded) return { status: "superseded", ...superseded };
    const firstTextAt = writer?.firstTextAt ?? (result.ok ? Date.now() : undefined);
    const firstTextMs = firstTextAt !== undefined ? firstTextAt - timing.claimedAt : undefined;
    const outcome = routerOutcome(result, run.env, run.language, firstTextMs);
    if (outcome.status !== "ready") return outcome;
    const fields = { ...prompt.fields, ...task.resultFields?.(outcome.answer, prompt) };
    const answered = task.resultCounters?.(outcome.answer);
    const counters =
      prompt.counters && answered
        ? addCounters(prompt.counters, answered)
        : (prompt.counters ?? answered);
    return {
      ...outcome,
      ...(Object.keys(fields).length > 0 ? { fields } : {}),
      ...(counters ? { counters } : {}),
    };
  } finally {
    watch?.stop();
    await Promise.all([writer?.close(), retiring]);
  }
}

/** A condensing model call failed: the run ends with that failure, as the final call's would. */
class CondenseFailure {
  constructor(readonly failed: RouterResult) {}
}

/**
 * The task's condense step, its model calls within the run's deadline and abort signal, plain
 * text, never streamed.
 */
async function condense<Job, Context>(
  task: GenerationTask<Job, Context>,
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
    return await (task.condense as NonNullable<typeof task.condense>)(
      loaded,
      ask,
      run.runtime.config,
    );
  } catch (err) {
    if (failed) return new CondenseFailure(failed);
    throw err;
  }
}
