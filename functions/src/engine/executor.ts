import { type Language } from "../core/language";
import type { Firestore } from "firebase-admin/firestore";
import type { Env } from "../config/envValues";
import type { RuntimeConfig } from "../config/runtimeConfig";
import type { WorkspaceAiSettings } from "../config/workspaceAiSettings";

import type { DisabledReason } from "../core/vocabulary";
import type { ProviderRuntime } from "../providers/providerRuntime";
import type { GenerationOutcome } from "../results/generationOutcome";
import type { DocumentShows } from "./engineDeps";
import type { GenerationTask, PreparedJob } from "./generationTask";

/*
 * Where a run is carried out is the executor's, never the engine's: the engine prepares, reads
 * and plans; an executor claims, then generates here (the direct executor), queues the job for
 * the bridge beside LM Studio (the queue executor), or, in the bridge, runs a job under its
 * lease. A placement, given by the edge (a trigger, the bridge, the sweep), says which.
 */

export type TaskRunResult =
  | { kind: "ignored"; reason: string }
  | { kind: "disabled"; reason: DisabledReason }
  | { kind: "duplicate"; existingStatus: string }
  | { kind: "recorded"; outcome: GenerationOutcome }
  | { kind: "queued"; jobId: string };

/** One job's run, as the executors receive it. */
export interface TaskRun<Job, Context> {
  task: GenerationTask<unknown, Context, Job>;
  prepared: PreparedJob<Job>;
  /** The trigger's plain data: what a queued job stores. */
  input: unknown;
  db: Firestore;
  env: Env;
  language: Language;
  signal?: AbortSignal;
  /** The timeout of the function running it, and when the run must have ended (less the reserve). */
  timeoutMs: number;
  deadlineAt: number;
  /** A follow-up's data (engineDeps.ts), stored with a queued job for the bridge to carry out. */
  followUp?: Record<string, unknown>;
  /** Merged into the follow-up's document in the claim's commit (engineDeps.ts). */
  followUpShows?: DocumentShows;
}

export interface Executor {
  /** The result ends without a model call (skipped, invalid configuration, superseded). */
  decided<J, C>(
    run: TaskRun<J, C>,
    outcome: GenerationOutcome,
    runtime: ProviderRuntime | undefined,
  ): Promise<TaskRunResult>;
  /** AI is off for the workspace. */
  disabled<J, C>(run: TaskRun<J, C>, reason: DisabledReason): Promise<TaskRunResult>;
  /** The model call, with the context read started by the engine. */
  generate<J, C>(
    run: TaskRun<J, C>,
    runtime: ProviderRuntime,
    settings: WorkspaceAiSettings,
    context: Promise<C>,
  ): Promise<TaskRunResult>;
}

export interface Placement {
  /** How this process reaches the providers: the functions in bridge mode cannot reach LM Studio. */
  runtime: { cloudSide?: boolean; lmStudioUnreachable?: string };
  /** Whether a run may call the model in this process (else the context is not read here). */
  mayRunHere(config: RuntimeConfig): boolean;
  /** The executor for a job of this configuration and workspace (none yet: decided early). */
  executorFor(config?: RuntimeConfig, settings?: WorkspaceAiSettings): Executor;
}
