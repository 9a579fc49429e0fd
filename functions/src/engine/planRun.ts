import { type Language } from "../core/language";
import type { Env } from "../config/envValues";
import type { SettingsDecision } from "../config/workspaceAiSettings";
import { GenerationError } from "../core/errorCodes";
import type { DisabledReason } from "../core/vocabulary";
import type { ProviderRuntime } from "../providers/providerRuntime";
import type { GenerationOutcome } from "../results/generationOutcome";
import type { TaskDecision } from "./generationTask";
import { errorOutcome } from "../results/outcomes";
import type { Supersession } from "../results/supersession";

/** What the engine does with one job, decided from what it has read; no I/O. */
export type RunPlan =
  | { kind: "ignored"; reason: string }
  | { kind: "disabled"; reason: DisabledReason }
  /** Ends without a model call: skipped, invalid configuration, superseded before its claim. */
  | { kind: "decided"; outcome: GenerationOutcome; runtime?: ProviderRuntime }
  | {
      kind: "run";
      runtime: ProviderRuntime;
      settings: Extract<SettingsDecision, { kind: "enabled" }>["settings"];
    };

export interface RunFacts {
  decision: TaskDecision;
  /** The workspace's settings as decided, or why they are invalid. */
  settings: SettingsDecision | GenerationError;
  /** The validated environment and the router, or why the environment is invalid. */
  runtime: ProviderRuntime | GenerationError;
  /** A newer job that owns the result, found before any claim. */
  newer?: Supersession;
  env: Env;
  language: Language;
}

/**
 * The order of the checks is the contract: an event the task ignores costs nothing; wrong
 * settings are reported even when AI is off elsewhere in them; AI off writes nothing; a broken
 * environment, a message with nothing to answer and a newer message end the result at once.
 */
export function planRun(facts: RunFacts): RunPlan {
  const { decision, settings, runtime, env, language } = facts;
  if (decision.kind === "ignored") return { kind: "ignored", reason: decision.reason };
  if (settings instanceof GenerationError) {
    return { kind: "decided", outcome: errorOutcome(settings, env, language) };
  }
  if (settings.kind === "disabled") return { kind: "disabled", reason: settings.reason };
  if (runtime instanceof GenerationError) {
    return { kind: "decided", outcome: errorOutcome(runtime, env, language) };
  }
  if (decision.kind === "skipped") {
    const skipped = {
      status: "skipped",
      reason: decision.reason,
      detail: decision.detail,
    } as const;
    return { kind: "decided", outcome: skipped, runtime };
  }
  if (facts.newer) {
    return { kind: "decided", outcome: { status: "superseded", ...facts.newer }, runtime };
  }
  return { kind: "run", runtime, settings: settings.settings };
}
