import { randomUUID } from "node:crypto";
import { FieldValue, Firestore, Timestamp } from "firebase-admin/firestore";
import { paths } from "../core/paths";
import { commitChecked, commitIdempotent, isAlreadyExists } from "../core/firestoreCommit";

/*
 * Bridge mode's queue, `llmJobs/{jobId}`: the functions write a job where they would have called
 * LM Studio, and a worker beside LM Studio (npm run bridge) runs it with the same engine. The job
 * id is the path of the document that shows its result, so a redelivered event finds the job it
 * already queued. Every task kind queues, is taken and ends here, the same way.
 */

export type JobStatus = "queued" | "running" | "done";

export interface LlmJob {
  /** The task's name in the task registry: `suggestion`, `rewrite`, `report`, `knowledge_index`. */
  task: string;
  /** The task's job, as the trigger built it. */
  job: Record<string, unknown>;
  target: { path: string; workspaceId: string };
  /** What is done after the run (a request mirroring a suggestion, say). */
  followUp?: Record<string, unknown>;
  status: JobStatus;
  createdAt: Timestamp;
  /** The timeout of the function that queued it: the bridge plans the run inside it too. */
  timeoutMs?: number;
  /** How many runs started: run N holds lease `leases/run-N`. */
  runs: number;
  /** Bumped by every queueing: a run that ends under an older one leaves the job queued. */
  revision?: number;
  bridgeId?: string;
  leaseUntil?: Timestamp;
  /** The conversation (`workspaceId/conversationId`): bridgeAffinity.ts picks its home bridge. */
  affinity?: string;
}

/** What a task queues: its job, and the document that shows the job waits. */
export interface JobRequest {
  task: string;
  job: unknown;
  target: { path: string; workspaceId: string; affinity?: string };
  /** Merged into the target document in the same transaction (`status: "queued"`, say). */
  shows: Record<string, unknown>;
  followUp?: Record<string, unknown>;
  timeoutMs: number;
}

export const jobIdOf = (resultPath: string) => resultPath.replace(/\//g, "__");

/** Firestore refuses `undefined`; a job is the trigger's plain data, Timestamps kept. */
export function storable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(storable);
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Timestamp || value instanceof Date) return value;
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, storable(v)]),
  );
}

/**
 * Queues a job and shows its target waiting, in one transaction. The invocation then ends: no
 * function time is billed while the GPU works. A job queued again (a suggestion regenerated, an
 * article edited) reuses its document, so it keeps its count of runs: run N's lease
 * (`leases/run-N`) exists for good, and the next run must be N + 1, never run 1 again. A job a
 * bridge holds keeps its lease (the sweep would take a job shown queued again): the new job and
 * revision tell the run to leave it queued when it ends, so the newer one runs too, never lost.
 */
export async function enqueueJob(db: Firestore, request: JobRequest): Promise<string> {
  const jobId = jobIdOf(request.target.path);
  const jobRef = db.doc(paths.llmJob(jobId));
  const { path, workspaceId, affinity } = request.target;
  const fields = {
    task: request.task,
    job: storable(request.job),
    target: { path, workspaceId },
    ...(affinity ? { affinity } : {}),
    ...(request.followUp ? { followUp: storable(request.followUp) } : {}),
    timeoutMs: request.timeoutMs,
  };
  await db.runTransaction(async (tx) => {
    const existing = await tx.get(jobRef);
    tx.set(db.doc(path), request.shows, { merge: true });
    if (isHeld(existing.get("status"), existing.get("leaseUntil"))) {
      // An update, so what the new job does not say must go: an earlier job's follow-up too.
      tx.update(jobRef, {
        ...fields,
        affinity: affinity ?? FieldValue.delete(),
        followUp: request.followUp ? storable(request.followUp) : FieldValue.delete(),
        revision: FieldValue.increment(1),
      });
      return;
    }
    tx.set(jobRef, {
      ...fields,
      status: "queued",
      runs: Number(existing.get("runs") ?? 0),
      revision: Number(existing.get("revision") ?? 0) + 1,
      createdAt: FieldValue.serverTimestamp(),
    });
  });
  return jobId;
}

/** A bridge (or the sweep) runs the job now: it is running and its lease has not run out. */
export function isHeld(status: unknown, leaseUntil: unknown): boolean {
  return (
    status === "running" && leaseUntil instanceof Timestamp && leaseUntil.toMillis() > Date.now()
  );
}

/**
 * Takes run N of a job: whoever creates `leases/run-N` first runs it, every other bridge (and the
 * cloud sweeper) backs off. A create, not a transaction, so exactly one wins even where
 * transactions are not isolated.
 */
export async function takeJob(
  db: Firestore,
  jobId: string,
  job: LlmJob,
  holder: string,
  leaseMs: number,
): Promise<number | undefined> {
  const runNumber = (job.runs ?? 0) + 1;
  const lease = db.doc(paths.llmJobLease(jobId, runNumber));
  // A token of this attempt's: the SDK may re-send the create after its first send landed, and
  // two sweeps share a holder name, so only the token tells this attempt's lease from another's.
  const token = randomUUID();
  try {
    await commitChecked(
      () => lease.create({ holder, token, at: FieldValue.serverTimestamp() }),
      async () => (await lease.get()).get("token") === token,
    );
  } catch (err) {
    if (isAlreadyExists(err)) return undefined;
    throw err;
  }
  await commitIdempotent(() =>
    db.doc(paths.llmJob(jobId)).update({
      status: "running",
      bridgeId: holder,
      runs: runNumber,
      leaseUntil: new Date(Date.now() + leaseMs),
    }),
  );
  return runNumber;
}

/** A taken job's run and revision, read before the run reads anything else. */
export interface TakenJob {
  jobId: string;
  runNumber: unknown;
  revision: unknown;
}

export async function readTakenJob(db: Firestore, jobId: string): Promise<TakenJob> {
  const taken = await db.doc(paths.llmJob(jobId)).get();
  return { jobId, runNumber: taken.get("runs"), revision: taken.get("revision") };
}

/**
 * Ends a run: the job is done, unless it was queued again meanwhile (or the run says its input
 * changed under it), then it waits for a bridge again. A run whose lease another run took over
 * writes nothing: the job is the new run's to end.
 */
export async function finishJob(
  db: Firestore,
  taken: TakenJob,
  outcome: string,
  leaveQueued: boolean,
): Promise<void> {
  const jobRef = db.doc(paths.llmJob(taken.jobId));
  await commitIdempotent(() =>
    db.runTransaction(async (tx) => {
      const current = await tx.get(jobRef);
      if (current.get("runs") !== taken.runNumber) return;
      const queuedAgain = leaveQueued || current.get("revision") !== taken.revision;
      tx.update(jobRef, {
        status: queuedAgain ? "queued" : "done",
        outcome,
        finishedAt: FieldValue.serverTimestamp(),
        // A job left queued waits for a bridge again from now, not from its first queueing.
        ...(queuedAgain ? { createdAt: FieldValue.serverTimestamp(), leaseUntil: null } : {}),
      });
    }),
  );
}
