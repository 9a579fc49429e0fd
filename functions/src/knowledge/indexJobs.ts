import { FieldValue, Firestore, Timestamp } from "firebase-admin/firestore";
import type { Env } from "../config/envValues";
import { paths } from "../core/paths";
import { jobIdOf } from "../engine/jobQueue";
import { commitIdempotent } from "../engine/firestoreCommit";
import { loadProviderRuntime } from "../providers/providerRuntime";
import { ArticleAddress, indexArticle, IndexResult } from "./indexArticle";

/*
 * Bridge mode: the functions cannot reach LM Studio, so an article's indexing is a job in
 * `llmJobs` like a generation, run by the bridge beside LM Studio (or by the cloud sweep, where
 * it ends `bridge_offline`). An edit while the job runs bumps its `revision`; the run then leaves
 * the job queued instead of done, so the newer version is indexed too, never lost.
 */

/** The task name an indexing job carries in `llmJobs`. */
export const INDEX_TASK = "knowledge_index";

export async function enqueueIndexJob(
  db: Firestore,
  address: ArticleAddress,
  timeoutMs: number,
): Promise<string> {
  const indexPath = paths.knowledgeIndex(address.workspaceId, address.articleId);
  const jobId = jobIdOf(indexPath);
  const jobRef = db.doc(paths.llmJob(jobId));
  await db.runTransaction(async (tx) => {
    const existing = await tx.get(jobRef);
    const leaseUntil = existing.get("leaseUntil");
    const held =
      existing.get("status") === "running" &&
      leaseUntil instanceof Timestamp &&
      leaseUntil.toMillis() > Date.now();
    if (held) {
      // A bridge is on it: leave its lease alone (the sweep would take a job shown queued
      // again); the newer revision tells the run to leave the job queued when it ends.
      tx.update(jobRef, { revision: FieldValue.increment(1) });
      return;
    }
    tx.set(jobRef, {
      task: INDEX_TASK,
      job: { ...address },
      target: { path: indexPath, workspaceId: address.workspaceId },
      status: "queued",
      // Run N's lease exists for good: the next run must be N + 1.
      runs: Number(existing.get("runs") ?? 0),
      revision: Number(existing.get("revision") ?? 0) + 1,
      timeoutMs,
      createdAt: FieldValue.serverTimestamp(),
    });
    tx.set(db.doc(indexPath), { status: "indexing" }, { merge: true });
  });
  return jobId;
}

/** Runs an indexing job this process holds the lease of; done unless an edit came meanwhile. */
export async function runIndexJob(
  db: Firestore,
  jobId: string,
  job: { job: Record<string, unknown> },
  deps: {
    env: Env;
    signal?: AbortSignal;
    lmStudioUnreachable?: string;
    startedAt?: number;
    timeoutMs: number;
  },
): Promise<IndexResult> {
  const jobRef = db.doc(paths.llmJob(jobId));
  // Read before the article is: an edit after this point shows as a newer revision at the end.
  const taken = await jobRef.get();
  const revision = taken.get("revision");
  const run = taken.get("runs");
  const address = {
    workspaceId: String(job.job.workspaceId),
    articleId: String(job.job.articleId),
  };
  const runtime = loadProviderRuntime(deps.env, { lmStudioUnreachable: deps.lmStudioUnreachable });
  const result = await indexArticle(address, {
    db,
    runtime,
    deadlineAt: (deps.startedAt ?? Date.now()) + deps.timeoutMs,
    signal: deps.signal,
  });
  await commitIdempotent(() =>
    db.runTransaction(async (tx) => {
      const now = await tx.get(jobRef);
      // Taken over (this run's lease ran out): the job is the new run's to end.
      if (now.get("runs") !== run) return;
      const edited = now.get("revision") !== revision || result.kind === "superseded";
      tx.update(jobRef, {
        status: edited ? "queued" : "done",
        outcome: result.kind,
        finishedAt: FieldValue.serverTimestamp(),
        // A job left queued waits for a bridge again from now, not from its first queueing.
        ...(edited ? { createdAt: FieldValue.serverTimestamp(), leaseUntil: null } : {}),
      });
    }),
  );
  return result;
}
