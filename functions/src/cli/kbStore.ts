import { FieldValue, Firestore } from "firebase-admin/firestore";
import { paths } from "../core/paths";
import { ArticleWrite, intoBatches, StoredArticle, writeSize } from "../knowledge/importPlan";
import { indexProgress, IndexProgress, Instant, isSettled } from "../knowledge/indexProgress";

/*
 * `npm run kb:import`'s Firestore side: the stored articles read once, the plan's writes and
 * deletions committed in batches (Admin SDK), and the index documents polled until settled.
 */

export async function readStoredArticles(
  db: Firestore,
  workspaceId: string,
): Promise<StoredArticle[]> {
  const snapshot = await db.collection(paths.knowledgeArticles(workspaceId)).get();
  return snapshot.docs.map((doc) => ({ id: doc.id, data: doc.data() }));
}

type Operation = { kind: "write"; write: ArticleWrite } | { kind: "delete"; id: string };

/** Commits every operation, batch by batch; returns each written article's commit time. */
export async function commitImport(
  db: Firestore,
  workspaceId: string,
  writes: ArticleWrite[],
  deletions: string[],
  onProgress: (done: number, total: number) => void,
): Promise<Map<string, Instant>> {
  const operations: Operation[] = [
    ...writes.map((write) => ({ kind: "write" as const, write })),
    ...deletions.map((id) => ({ kind: "delete" as const, id })),
  ];
  const written = new Map<string, Instant>();
  const batches = intoBatches(operations, (op) =>
    op.kind === "write" ? writeSize(op.write) : 100,
  );
  let done = 0;
  for (const group of batches) {
    const batch = db.batch();
    for (const op of group) {
      if (op.kind === "delete") {
        batch.delete(db.doc(paths.knowledgeArticle(workspaceId, op.id)));
        continue;
      }
      const ref = db.doc(paths.knowledgeArticle(workspaceId, op.write.id));
      const data = { ...op.write.set, updatedAt: FieldValue.serverTimestamp() };
      for (const field of op.write.remove) Object.assign(data, { [field]: FieldValue.delete() });
      if (op.write.kind === "create") batch.set(ref, data);
      else batch.set(ref, data, { merge: true });
    }
    const results = await batch.commit();
    group.forEach((op, i) => {
      if (op.kind === "write") written.set(op.write.id, results[i].writeTime);
    });
    done += group.length;
    onProgress(done, operations.length);
  }
  return written;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `knowledgeIndex/{id}` of the written articles (only those not settled yet, in one
 * batched read each time) until every one is `ready` or `error` after its write, or until the
 * deadline. Polling, not listeners: it works the same on every emulator and costs one read per
 * pending article a second.
 */
export async function waitForIndex(
  db: Firestore,
  workspaceId: string,
  written: { id: string; at: Instant }[],
  options: { timeoutMs: number; pollMs?: number; onProgress: (p: IndexProgress) => void },
): Promise<{ progress: IndexProgress; timedOut: boolean }> {
  const deadline = Date.now() + options.timeoutMs;
  const states = new Map<string, Record<string, unknown> | undefined>();
  let progress = indexProgress(written, states);
  for (;;) {
    const pending = [...progress.indexing, ...progress.waiting];
    for (let i = 0; i < pending.length; i += 300) {
      const refs = pending
        .slice(i, i + 300)
        .map((id) => db.doc(paths.knowledgeIndex(workspaceId, id)));
      for (const snapshot of await db.getAll(...refs)) states.set(snapshot.id, snapshot.data());
    }
    progress = indexProgress(written, states);
    options.onProgress(progress);
    if (isSettled(progress)) return { progress, timedOut: false };
    if (Date.now() >= deadline) return { progress, timedOut: true };
    await sleep(Math.min(options.pollMs ?? 1_000, Math.max(deadline - Date.now(), 0)));
  }
}
