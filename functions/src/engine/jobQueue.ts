import { FieldValue, Firestore, Timestamp } from "firebase-admin/firestore";
import { paths } from "../core/paths";
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
  /** The conversation (`workspaceId/conversationId`): bridgeAffinity.ts picks its home bridge. */
  affinity?: string;
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
 * Queues a claimed job for the bridge and shows the result `queued`, in one transaction. The
 * invocation then ends: no function time is billed while the GPU works. A result queued again
 * (a suggestion regenerated) reuses its job, so the job keeps its count of runs: run N's lease
 * (`leases/run-N`) exists for good, and the next run must be N + 1, never run 1 again.
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
  await db.runTransaction(async (tx) => {
    const existing = await tx.get(jobRef);
    tx.set(jobRef, {
      task,
      job: storable(job),
      target: { path: target.path, workspaceId: target.workspaceId },
      ...(target.affinity ? { affinity: target.affinity } : {}),
      ...(followUp ? { followUp: storable(followUp) } : {}),
      status: "queued",
      runs: Number(existing.get("runs") ?? 0),
      timeoutMs,
      createdAt: FieldValue.serverTimestamp(),
    });
    tx.update(db.doc(target.path), {
      status: "queued",
      updatedAt: FieldValue.serverTimestamp(),
    });
  });
  return jobId;
}
