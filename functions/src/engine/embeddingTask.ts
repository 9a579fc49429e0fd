import { type Language } from "../core/language";
import type { Firestore } from "firebase-admin/firestore";
import type { RuntimeConfig } from "../config/runtimeConfig";
import type { GenerationError } from "../core/errorCodes";
import type { ProviderRuntime } from "../providers/providerRuntime";

/*
 * The other kind of task the engine runs: one whose model call is an embedding, not a chat (an
 * article's indexing). It writes its own result document, so it declares no prompt and no claim;
 * the engine gives it the same placement, deadline, queue and failure recording as a generation.
 */

/** Where the job's state is shown, and whether it needs the model at all (a delete does not). */
export interface PreparedEmbeddingJob<Job> {
  job: Job;
  target: { workspaceId: string; path: string };
  needsModel: boolean;
}

/** What the run gets from the engine: the providers, when it must end, and its abort signal. */
export interface EmbeddingRun {
  db: Firestore;
  runtime: ProviderRuntime;
  deadlineAt: number;
  signal?: AbortSignal;
}

export interface EmbeddingTask<Input, Job, Result extends { kind: string }> {
  kind: "embedding";
  /** Names the task in logs and in a queued job (`llmJobs.task`). */
  name: string;
  /** Pure, from the event alone. */
  prepare(input: Input): PreparedEmbeddingJob<Job>;
  /** The result already matches the job (an unchanged re-save): nothing to run or queue. */
  isCurrent(db: Firestore, job: Job, config: RuntimeConfig): Promise<Result | undefined>;
  /** What the target shows while the job waits in the queue. */
  queuedShows: Record<string, unknown>;
  run(job: Job, run: EmbeddingRun): Promise<Result>;
  /** Records a failure before any run (the providers' setup), in the team's language. */
  recordFailure(
    db: Firestore,
    job: Job,
    error: GenerationError,
    language: Language,
  ): Promise<Result>;
  /** The run found its input changed under it: a queued job stays queued for the newer one. */
  leavesQueued(result: Result): boolean;
}
