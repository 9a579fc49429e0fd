import {
  DocumentData,
  DocumentSnapshot,
  FieldValue,
  Firestore,
  QueryDocumentSnapshot,
  Timestamp,
  Transaction,
} from "firebase-admin/firestore";
import { GenerationError, hintFor } from "../../core/errorCodes";
import { paths } from "../../core/paths";
import { type Language } from "../../core/language";

/*
 * Every write of an article's index, each in a transaction that first checks the article is still
 * the version the run read (same update time), so a run that lost a race to a newer edit, or to a
 * delete, writes nothing at all: not its chunks, not `indexing`, not its failure.
 */

export interface ArticleAddress {
  workspaceId: string;
  articleId: string;
}

/** The article as a run read it: where, and its update time. */
export interface ArticleVersion extends ArticleAddress {
  updateTime: Timestamp;
}

export interface ChunkDocument extends DocumentData {
  articleId: string;
  title: string;
  url: string | null;
  text: string;
  position: number;
  embeddingModel: string;
  enabled: boolean;
  contentHash: string;
}

const refs = (db: Firestore, a: ArticleAddress) => ({
  article: db.doc(paths.knowledgeArticle(a.workspaceId, a.articleId)),
  index: db.doc(paths.knowledgeIndex(a.workspaceId, a.articleId)),
  chunks: db.collection(paths.knowledgeChunks(a.workspaceId)).where("articleId", "==", a.articleId),
  chunk: (position: number) => db.doc(paths.knowledgeChunk(a.workspaceId, a.articleId, position)),
});

const isVersion = (snapshot: DocumentSnapshot, version: ArticleVersion) =>
  snapshot.exists && snapshot.updateTime?.isEqual(version.updateTime) === true;

/** Shows the article `indexing` while its chunks are embedded; false when it changed meanwhile. */
export async function markIndexing(
  db: Firestore,
  version: ArticleVersion,
  model: string,
): Promise<boolean> {
  const at = refs(db, version);
  return db.runTransaction(async (tx) => {
    if (!isVersion(await tx.get(at.article), version)) return false;
    tx.set(at.index, { status: "indexing", model }, { merge: true });
    return true;
  });
}

/**
 * The index state of a failure: the three fields whole, the rest of the index state kept. `error`
 * replaces an earlier `null` outright (a merge of its subfields would not, on the embedded
 * emulator).
 */
export function failedIndexState(
  error: GenerationError,
  language: Language,
): [DocumentData, { mergeFields: string[] }] {
  return [
    {
      status: "error",
      error: { code: error.code, message: error.message, hint: hintFor(error.code, language) },
      indexedAt: FieldValue.serverTimestamp(),
    },
    { mergeFields: ["status", "error", "indexedAt"] },
  ];
}

/**
 * Records a failure in the index state, and takes the article's chunks out of retrieval: they
 * are an older version's, and a suggestion must not quote the price the edit just changed.
 */
export async function recordFailure(
  db: Firestore,
  version: ArticleVersion,
  error: GenerationError,
  language: Language,
): Promise<"recorded" | "superseded"> {
  const at = refs(db, version);
  return db.runTransaction(async (tx) => {
    const [article, chunks] = await Promise.all([tx.get(at.article), tx.get(at.chunks)]);
    if (!isVersion(article, version)) return "superseded";
    for (const chunk of chunks.docs) {
      if (chunk.get("enabled") === true) tx.update(chunk.ref, { enabled: false });
    }
    tx.set(at.index, ...failedIndexState(error, language));
    return "recorded";
  });
}

const sameChunk = (stored: DocumentData | undefined, next: ChunkDocument) =>
  stored !== undefined &&
  Object.entries(next).every(([field, value]) => stored[field] === value) &&
  stored.embedding !== undefined;

/**
 * Swaps the article's chunks in: positions that changed are written, those past the new end
 * deleted, and the index state marked ready, all at once. The chunks a run meant to keep are
 * read again inside, so a delete that removed them meanwhile is seen and they are written back.
 */
export async function commitChunks(
  db: Firestore,
  version: ArticleVersion,
  next: {
    chunks: ChunkDocument[];
    vectors: number[][];
    stored: QueryDocumentSnapshot[];
    index: Record<string, unknown>;
    force: boolean;
  },
): Promise<"superseded" | { written: number; deleted: number }> {
  const at = refs(db, version);
  const stored = new Map(next.stored.map((d) => [d.get("position") as number, d.data()]));
  const keep = next.chunks
    .filter((chunk) => !next.force && sameChunk(stored.get(chunk.position), chunk))
    .map((chunk) => chunk.position);
  return db.runTransaction(async (tx: Transaction) => {
    const [article, index, ...kept] = await tx.getAll(
      at.article,
      at.index,
      ...keep.map((p) => at.chunk(p)),
    );
    if (!isVersion(article, version)) return "superseded" as const;
    const stillThere = new Set(keep.filter((_, i) => kept[i].exists));
    let written = 0;
    next.chunks.forEach((chunk, position) => {
      if (stillThere.has(position)) return;
      tx.set(at.chunk(position), {
        ...chunk,
        embedding: FieldValue.vector(next.vectors[position]),
      });
      written += 1;
    });
    const before = Math.max(
      Number(index.get("chunks") ?? 0),
      ...[...stored.keys()].map((p) => p + 1),
    );
    for (let position = next.chunks.length; position < before; position += 1) {
      tx.delete(at.chunk(position));
    }
    tx.set(at.index, {
      ...next.index,
      chunks: next.chunks.length,
      indexedAt: FieldValue.serverTimestamp(),
      error: null,
    });
    return { written, deleted: Math.max(before - next.chunks.length, 0) };
  });
}

/** The article is gone: its chunks and its index state go too, unless it came back meanwhile. */
export async function removeArticle(
  db: Firestore,
  address: ArticleAddress,
): Promise<{ kind: "removed"; deleted: number } | { kind: "superseded" }> {
  const at = refs(db, address);
  return db.runTransaction(async (tx) => {
    const [article, chunks] = await Promise.all([tx.get(at.article), tx.get(at.chunks)]);
    if (article.exists) return { kind: "superseded" as const };
    chunks.docs.forEach((d) => tx.delete(d.ref));
    tx.delete(at.index);
    return { kind: "removed" as const, deleted: chunks.size };
  });
}
