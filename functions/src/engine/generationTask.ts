import type { Firestore } from "firebase-admin/firestore";
import type { RuntimeConfig } from "../config/runtimeConfig";
import type { AiTaskName, WorkspaceAiSettings } from "../config/workspaceAiSettings";
import type { ChatMessage, SkipReason } from "../core/vocabulary";
import type { ModelRequest, ProviderAnswer } from "../providers/providerRouter";
import type { ProviderRuntime } from "../providers/providerRuntime";
import type { CounterTree } from "../metrics/generationMetrics";
import type { StructuredOutput } from "../providers/structuredOutput";
import type { Supersession } from "../results/supersession";
import type { ResultWrite } from "../results/resultDocument";
import type { ResultTarget } from "../results/resultTarget";

export type { ResultTarget } from "../results/resultTarget";

/*
 * What a generation task declares; the engine (runGenerationTask) does the rest the same way for
 * every task: settings, the atomic claim and stale-claim takeover, the deadline, the provider
 * call, recording the terminal outcome, logs and metrics. A new AI task is a new module in
 * tasks/ that implements this, never a copy of the lifecycle.
 */

/** Decided before anything is read: pure, from the event alone. */
export type TaskDecision =
  | { kind: "ignored"; reason: string }
  | { kind: "skipped"; reason: SkipReason; detail: string }
  | { kind: "run" };

export interface TaskPrompt {
  messages: ChatMessage[];
  /** Sizes and what was left out, for the debug trace; never text. */
  trace: Record<string, unknown>;
  /** The task wants JSON with this schema (not streamed); plain text where schemas fail. */
  structured?: StructuredOutput;
  /** Fields the ready result gets whatever the answer (what a report covered, say). */
  fields?: ResultWrite;
  /** The task's own counters, added to the day's metrics when the result is ready. */
  counters?: CounterTree;
}

/** What a task's grounding step may use: the run's own router, settings and abort signal. */
export interface Grounding {
  db: Firestore;
  runtime: ProviderRuntime;
  request: ModelRequest;
  workspaceId: string;
  signal?: AbortSignal;
}

/**
 * Asks the model once, plain text, within the run's deadline and abort signal: for tasks that
 * must condense their input (summarise a long conversation in chunks) before the final prompt.
 */
export type AskModel = (messages: ChatMessage[]) => Promise<string>;

/**
 * Latest-wins among the jobs of one conversation: the newest owns the result. The engine waits
 * BURST_WINDOW_MS after the job's time for a newer one before calling the model, and gives way
 * (no model call, or the call in flight closed) when one exists.
 */
export interface LatestWins<Job> {
  /** The job's own time (epoch ms) that orders it; undefined: not ordered, never waits. */
  jobTime(job: Job): number | undefined;
  /** A newer job that owns the result instead, if one exists now (Firestore read). */
  findNewer(db: Firestore, job: Job): Promise<Supersession | undefined>;
  /** Marks the older, still pending results this job now owns as superseded. */
  retireOlder(db: Firestore, job: Job): Promise<void>;
}

/** A job as the engine runs it: read once per event, with where its result lives and whether to run. */
export interface PreparedJob<Job> {
  job: Job;
  target: ResultTarget;
  decision: TaskDecision;
}

/**
 * `Input` is the trigger's plain data (what a queued job stores); `Job` is what `prepare` makes of
 * it once per event (a parsed message, say), and what the other members receive.
 */
export interface GenerationTask<Input, Context, Job = Input> {
  /** Tells it from an embedding task (embeddingTask.ts) in the task registry. */
  kind?: "generation";
  /** Names the task in logs: `${name} ready`, `${name} failed`, `${name} skipped`. */
  name: string;
  /** Which of the workspace's switches and model settings apply (default: suggestions). */
  settingsTask?: AiTaskName;
  /** Stream the answer into the result document as it arrives (unless STREAM_SUGGESTIONS=false). */
  streams: boolean;
  /** Pure, from the event alone: the job, its result's place, and whether it runs at all. */
  prepare(input: Input): PreparedJob<Job>;
  /** The model, temperature and token budget this task uses, from the workspace's settings. */
  modelRequest(settings: WorkspaceAiSettings): ModelRequest;
  /** Reads what the prompt needs (Firestore I/O); bounded reads, whatever the data's size. */
  loadContext(db: Firestore, job: Job, config: RuntimeConfig): Promise<Context>;
  /** Pure: the chat messages for the model, inside the configured budget. */
  buildPrompt(context: Context, config: RuntimeConfig, request: ModelRequest): TaskPrompt;
  /** The task's own fields of a ready result (options, a report's sections), from the answer. */
  resultFields(answer: ProviderAnswer, prompt: TaskPrompt): ResultWrite;
  /** What only some tasks do, each step where the engine reaches it (generate.ts). */
  hooks?: TaskHooks<Context, Job>;
}

export interface TaskHooks<Context, Job> {
  /** Give way to the conversation's newer job (a suggestion to the customer's next message). */
  latestWins?: LatestWins<Job>;
  /**
   * After the burst window, for a run that still owns its result, before the prompt: look up
   * what grounds the answer (the team's knowledge), within the task's own bound.
   */
  ground?(context: Context, grounding: Grounding): Promise<Context>;
  /** The people the context names (the customer): masked as names where a prompt is masked. */
  personalNames?(context: Context): string[];
  /** Before the final prompt: reduce the context with model calls of its own. */
  condense?(context: Context, ask: AskModel, config: RuntimeConfig): Promise<Context>;
  /** The task's own counters of a ready result that depend on the answer (a report's sentiment). */
  resultCounters?(answer: ProviderAnswer): CounterTree;
}
