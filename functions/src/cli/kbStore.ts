import { FieldValue, Firestore } from "firebase-admin/firestore";
import { paths } from "../core/paths";
import { ArticleWrite, intoBatches, StoredArticle, writeSize } from "../knowledgeImport/importPlan";
import { indexProgress, IndexProgress, Instant, isSettled } from "../knowledge/indexProgress";

/*
 * `npm run kb:import`'s Firestore side: the stored articles read once, the plan's writes and
 * deletions committed in batches (Admin SDK), and the index documents listened to until settled.
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

/**
 * Follows the workspace's `knowledgeIndex` until every written article's document is `ready` or
 * `error` after its write, or until the deadline. One listener on the collection, not one per
 * article: a batch the backend commits arrives as one snapshot, so a progress line never shows
 * half of it, and the embedded emulator has no document-id filters. It costs one read per index
 * document of the workspace once, then one per change, where polling read every pending article
 * each second.
 */
export function waitForIndex(
  db: Firestore,
  workspaceId: string,
  written: { id: string; at: Instant }[],
  options: { timeoutMs: number; onProgress: (p: IndexProgress) => void },
): Promise<{ progress: IndexProgress; timedOut: boolean }> {
  const states = new Map<string, Record<string, unknown> | undefined>();
  const awaited = new Set(written.map((w) => w.id));
  let progress = indexProgress(written, states);
  if (isSettled(progress)) return Promise.resolve({ progress, timedOut: false });
  return new Promise((resolve, reject) => {
    const finish = (timedOut: boolean) => {
      clearTimeout(deadline);
      stopListening();
      resolve({ progress, timedOut });
    };
    const deadline = setTimeout(() => finish(true), options.timeoutMs);
    const stopListening = db.collection(paths.knowledgeIndexes(workspaceId)).onSnapshot(
      (snapshot) => {
        for (const change of snapshot.docChanges()) {
          const { id } = change.doc;
          if (awaited.has(id))
            states.set(id, change.type === "removed" ? undefined : change.doc.data());
        }
        progress = indexProgress(written, states);
        options.onProgress(progress);
        if (isSettled(progress)) finish(false);
      },
      (err) => {
        clearTimeout(deadline);
        reject(err);
      },
    );
  });
}
