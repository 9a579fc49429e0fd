import { FieldValue, Firestore, Timestamp } from "firebase-admin/firestore";
import { paths } from "../core/paths";
import { commitChecked } from "./firestoreCommit";
import type { ResultTarget } from "./generationTask";

/*
 * Bridge mode's queue, `llmJobs/{jobId}`: the functions write a job where they would have called
 * LM Studio, and a worker beside LM Studio (npm run bridge) runs it with the same engine. The job
 * id is the result's own path, so a redelivered event finds the job it already queued.
 */

export type JobStatus = "queued" | "running" | "done";

export interface LlmJob {
  /** The task's name: `suggestion`, `rewrite`, `report`. */
  task: string;
  /** The task's job, as the trigger built it. */
  job: Record<string, unknown>;
  target: { path: string; workspaceId: string };
  /** What the bridge does after the run (a request mirroring a suggestion, say). */
  followUp?: Record<string, unknown>;
  status: JobStatus;
  createdAt: Timestamp;
  /** The timeout of the function that queued it: the bridge plans the run inside it too. */
  timeoutMs?: number;
  /** How many runs started: run N holds lease `leases/run-N`. */
  runs: number;
  bridgeId?: string;
  leaseUntil?: Timestamp;
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
 * Queues a claimed job for the bridge and shows the result `queued`, in one commit. The
 * invocation then ends: no function time is billed while the GPU works.
 */
export async function enqueueJob(
  db: Firestore,
  target: ResultTarget,
  task: string,
  job: unknown,
  followUp: Record<string, unknown> | undefined,
  timeoutMs: number,
): Promise<string> {
  const jobId = jobIdOf(target.path);
  const jobRef = db.doc(paths.llmJob(jobId));
  const commit = () => {
    const batch = db.batch();
    batch.set(jobRef, {
      task,
      job: storable(job),
      target: { path: target.path, workspaceId: target.workspaceId },
      ...(followUp ? { followUp: storable(followUp) } : {}),
      status: "queued",
      runs: 0,
      timeoutMs,
      createdAt: FieldValue.serverTimestamp(),
    });
    batch.update(db.doc(target.path), {
      status: "queued",
      updatedAt: FieldValue.serverTimestamp(),
    });
    return batch.commit();
  };
  // The job and the result's `queued` land together: the job's presence says the commit did.
  await commitChecked(commit, async () => (await jobRef.get()).exists);
  return jobId;
}
