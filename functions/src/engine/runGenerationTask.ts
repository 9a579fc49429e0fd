import {
  decideWorkspaceAiSettings,
  SettingsDecision,
  settingsLanguage,
} from "../config/workspaceAiSettings";
import { asGenerationError, GenerationError } from "../core/errorCodes";
import { paths } from "../core/paths";
import type { ProviderRuntime } from "../providers/providerRuntime";
import { settingsForConversation } from "../providers/rollout";
import { EngineDeps, loadRuntime, runDeadline } from "./engineDeps";
import type { TaskRun, TaskRunResult } from "./executor";
import type { GenerationTask, ResultTarget } from "./generationTask";
import { planRun } from "./planRun";

export type { TaskRunResult } from "./executor";
export type { EngineDeps } from "./engineDeps";

/** The conversation a result belongs to, for the rollout's sticky choice of provider. */
function conversationOf(target: ResultTarget): string | undefined {
  const named = target.identity.conversationId;
  if (typeof named === "string") return named;
  return /^workspaces\/[^/]+\/conversations\/([^/]+)/.exec(target.path)?.[1];
}

/** The workspace's settings as this job's conversation sees them (`rollout.llm_studio`). */
function decideSettings(
  raw: Record<string, unknown> | undefined,
  task: GenerationTask<unknown, unknown, unknown>,
  target: ResultTarget,
): SettingsDecision | GenerationError {
  let decision: SettingsDecision;
  try {
    decision = decideWorkspaceAiSettings(raw, task.settingsTask);
  } catch (err) {
    return asGenerationError(err);
  }
  const conversationId = conversationOf(target);
  if (decision.kind !== "enabled" || conversationId === undefined) return decision;
  return {
    kind: "enabled",
    settings: settingsForConversation(decision.settings, target.workspaceId, conversationId),
  };
}

/**
 * Runs one job of a task to a terminal result: prepare it, read the settings (with the context
 * and any newer job, in the same round trip), plan, and hand the plan to the placement's
 * executor. Failures of our own input or of the provider end in a recorded outcome; only
 * Firestore failures throw, so the platform redelivers the event. A declared follow-up runs once
 * the result has ended, here or, for a queued run, on the bridge after it.
 */
export async function runGenerationTask<Input, Context, Job>(
  task: GenerationTask<Input, Context, Job>,
  input: Input,
  deps: EngineDeps,
): Promise<TaskRunResult> {
  const result = await runToResult(task, input, deps);
  // Queued: the bridge runs it after the job. Off or ignored: the caller records why itself.
  const ended = result.kind !== "queued" && result.kind !== "ignored" && result.kind !== "disabled";
  if (deps.followUp && ended) {
    await deps.followUp.carryOut(deps.db, deps.followUp.data, result);
  }
  return result;
}

async function runToResult<Input, Context, Job>(
  task: GenerationTask<Input, Context, Job>,
  input: Input,
  deps: EngineDeps,
): Promise<TaskRunResult> {
  const prepared = task.prepare(input);
  if (prepared.decision.kind === "ignored") {
    return { kind: "ignored", reason: prepared.decision.reason };
  }
  const { db, placement } = deps;
  const env = deps.env ?? process.env;
  const runtime = loadRuntime(env, placement);

  // Settings, context and a newer job are independent reads: one round trip for all, when the
  // job may run here. A workspace with AI off wastes the others, cheaper than a second trip.
  const runsHere =
    prepared.decision.kind === "run" &&
    !(runtime instanceof GenerationError) &&
    placement.mayRunHere(runtime.config);
  const settingsRead = db.doc(paths.aiSettings(prepared.target.workspaceId)).get();
  const contextRead = runsHere
    ? task.loadContext(db, prepared.job, (runtime as ProviderRuntime).config)
    : undefined;
  const newerRead =
    prepared.decision.kind === "run"
      ? task.hooks?.latestWins?.findNewer(db, prepared.job)
      : undefined;
  contextRead?.catch(() => undefined); // awaited by the executor; not unhandled meanwhile
  newerRead?.catch(() => undefined);

  const rawSettings = (await settingsRead).data();
  const settings = decideSettings(
    rawSettings,
    task as GenerationTask<unknown, unknown, unknown>,
    prepared.target,
  );
  // The team reads the hints in its own language, even when the rest of its settings is wrong.
  const language = settingsLanguage(rawSettings);
  const plan = planRun({
    decision: prepared.decision,
    settings,
    runtime,
    newer:
      settings instanceof GenerationError || runtime instanceof GenerationError
        ? undefined
        : await newerRead,
    env,
    language,
  });
  const run: TaskRun<Job, Context> = {
    task: task as GenerationTask<unknown, Context, Job>,
    prepared,
    input,
    db,
    env,
    language,
    signal: deps.signal,
    timeoutMs: deps.timeoutMs,
    deadlineAt: runDeadline(deps),
    followUp: deps.followUp?.data,
    followUpShows: deps.followUp?.shows,
  };
  switch (plan.kind) {
    case "ignored":
      return plan;
    case "disabled":
      return placement.executorFor().disabled(run, plan.reason);
    case "decided":
      return placement.executorFor(plan.runtime?.config).decided(run, plan.outcome, plan.runtime);
    case "run": {
      const executor = placement.executorFor(plan.runtime.config, plan.settings);
      const context = contextRead ?? task.loadContext(db, prepared.job, plan.runtime.config);
      return executor.generate(run, plan.runtime, plan.settings, context);
    }
  }
}
