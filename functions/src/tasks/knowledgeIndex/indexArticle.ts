import type { Language } from "../../core/language";
import type { Firestore, QueryDocumentSnapshot } from "firebase-admin/firestore";
import type { KnowledgeConfig } from "../../config/runtimeConfig";
import { readEmbeddingModel, settingsLanguage } from "../../config/workspaceAiSettings";
import { asGenerationError, GenerationError, invalidConfig } from "../../core/errorCodes";
import { paths } from "../../core/paths";
import type { IndexResult } from "../../knowledge/indexResult";
import { log } from "../../observability/log";
import { MAX_VECTOR_DIMENSIONS } from "../../providers/embeddingRequest";
import type { ProviderRuntime } from "../../providers/providerRuntime";
import { chunkArticle, chunkHash, embeddingInput } from "../../knowledge/chunkArticle";
import {
  ArticleAddress,
  ArticleVersion,
  ChunkDocument,
  commitChunks,
  markIndexing,
  recordFailure,
  removeArticle,
} from "./chunkStore";
import {
  articleContentHash,
  KnowledgeArticle,
  readArticle,
} from "../../knowledge/knowledgeArticle";

export type { ArticleAddress } from "./chunkStore";
export type { IndexResult } from "../../knowledge/indexResult";

/*
 * Indexing one article: split it, embed what changed, and swap its chunks in one transaction
 * that first checks the article is still the version that was read. Two quick edits therefore end
 * with the newer one's chunks whatever order their work finishes in: the older one's commit finds
 * the article changed and writes nothing. The index state lives in `knowledgeIndex/{articleId}`,
 * never on the article, so indexing never fires the article's own trigger.
 */

export interface IndexDeps {
  db: Firestore;
  runtime: ProviderRuntime;
  /** No embedding call may run past this (epoch ms). */
  deadlineAt: number;
  signal?: AbortSignal;
  /** Embed every chunk again, even unchanged ones (`kb:reindex --force`). */
  force?: boolean;
}

/** An article's chunks are swapped in one transaction: at most this many, with its index state. */
export const MAX_ARTICLE_CHUNKS = 450;

/** What indexing an article starts from: the article, its index state and the settings, read once. */
type ArticleState =
  | { kind: "missing" }
  | { kind: "invalid"; version: ArticleVersion; language: Language; error: GenerationError }
  | {
      kind: "valid";
      version: ArticleVersion;
      language: Language;
      article: KnowledgeArticle;
      model: string;
      chunking: { chunkChars: number; overlap: number };
      contentHash: string;
      /** The index is ready and made from exactly this content, model and chunking. */
      current: boolean;
    };

async function readArticleState(
  db: Firestore,
  address: ArticleAddress,
  config: KnowledgeConfig,
): Promise<ArticleState> {
  const [articleSnap, indexSnap, settingsSnap] = await db.getAll(
    db.doc(paths.knowledgeArticle(address.workspaceId, address.articleId)),
    db.doc(paths.knowledgeIndex(address.workspaceId, address.articleId)),
    db.doc(paths.aiSettings(address.workspaceId)),
  );
  if (!articleSnap.exists || !articleSnap.updateTime) return { kind: "missing" };
  const version = { ...address, updateTime: articleSnap.updateTime };
  const rawSettings = settingsSnap.data();
  const language = settingsLanguage(rawSettings);
  let article: KnowledgeArticle;
  let model: string;
  try {
    article = readArticle(articleSnap.data() ?? {});
    model = readEmbeddingModel(rawSettings);
  } catch (err) {
    return { kind: "invalid", version, language, error: asGenerationError(err) };
  }
  const chunking = { chunkChars: config.chunkChars, overlap: config.chunkOverlap };
  const contentHash = articleContentHash(article, model, chunking);
  const current =
    indexSnap.get("status") === "ready" && indexSnap.get("contentHash") === contentHash;
  return { kind: "valid", version, language, article, model, chunking, contentHash, current };
}

/** Whether the article's index already matches it (what the bridge would find), from three reads. */
export async function indexIsCurrent(
  db: Firestore,
  address: ArticleAddress,
  config: KnowledgeConfig,
): Promise<boolean> {
  const state = await readArticleState(db, address, config);
  return state.kind === "valid" && state.current;
}

export async function indexArticle(address: ArticleAddress, deps: IndexDeps): Promise<IndexResult> {
  const { db } = deps;
  const { workspaceId, articleId } = address;
  const config = deps.runtime.config.knowledge;
  const state = await readArticleState(db, address, config);
  if (state.kind === "missing") return removeArticle(db, address);
  const { version, language } = state;
  const fail = async (error: GenerationError): Promise<IndexResult> => {
    if ((await recordFailure(db, version, error, language)) === "superseded") {
      return { kind: "superseded" };
    }
    log.warn("knowledge article not indexed", { workspaceId, articleId, code: error.code });
    return { kind: "failed", error };
  };
  if (state.kind === "invalid") return fail(state.error);
  const { article, model, chunking, contentHash } = state;
  if (state.current && !deps.force) return { kind: "unchanged" };

  const texts = chunkArticle(article.body, chunking);
  if (texts.length > MAX_ARTICLE_CHUNKS) {
    return fail(
      new GenerationError(
        "invalid_request",
        `knowledge.body makes ${texts.length} chunks; an article may make at most ${MAX_ARTICLE_CHUNKS}. Split it into several articles, use fewer headings, or raise RAG_CHUNK_CHARS.`,
      ),
    );
  }
  const inputs = texts.map((text) => embeddingInput(model, "document", text, article.title));
  const hashes = inputs.map((input) => chunkHash(model, input));
  const existing = await db
    .collection(paths.knowledgeChunks(workspaceId))
    .where("articleId", "==", articleId)
    .get();
  // A chunk whose text and model are unchanged keeps its vector, wherever it moved to.
  const kept = new Map<string, number[]>();
  for (const doc of deps.force ? [] : existing.docs) {
    const vector = doc.get("embedding")?.toArray?.() as number[] | undefined;
    if (vector && doc.get("embeddingModel") === model) kept.set(doc.get("contentHash"), vector);
  }
  const missing = [...new Set(hashes.filter((h) => !kept.has(h)))];
  if (missing.length > 0 && !(await markIndexing(db, version, model))) {
    return { kind: "superseded" };
  }

  const embedded = await embedMissing(missing, hashes, inputs, model, config, deps);
  if (embedded instanceof GenerationError) return fail(embedded);
  for (const [hash, vector] of embedded.vectors) kept.set(hash, vector);

  const chunks: ChunkDocument[] = texts.map((text, position) => ({
    articleId,
    title: article.title,
    url: article.url ?? null,
    text,
    position,
    embeddingModel: model,
    enabled: article.enabled,
    contentHash: hashes[position],
  }));
  const committed = await commitChunks(db, version, {
    chunks,
    vectors: chunks.map((c) => kept.get(c.contentHash) as number[]),
    stored: existing.docs,
    index: {
      status: "ready",
      model,
      dimensions: embedded.dimensions ?? existingDimensions(existing.docs, model),
      contentHash,
      enabled: article.enabled,
    },
    force: deps.force ?? false,
  });
  if (committed === "superseded") return { kind: "superseded" };
  log.info("knowledge article indexed", {
    workspaceId,
    articleId,
    chunks: chunks.length,
    embedded: missing.length,
  });
  return { kind: "indexed", chunks: chunks.length, embedded: missing.length, ...committed };
}

function existingDimensions(docs: QueryDocumentSnapshot[], model: string): number | null {
  const doc = docs.find((d) => d.get("embeddingModel") === model);
  return (doc?.get("embedding")?.toArray?.() as number[] | undefined)?.length ?? null;
}

/** Embeds the chunks without a vector, `embedBatch` inputs a call, never an empty one. */
async function embedMissing(
  missing: string[],
  hashes: string[],
  inputs: string[],
  model: string,
  config: KnowledgeConfig,
  deps: IndexDeps,
): Promise<{ vectors: Map<string, number[]>; dimensions?: number } | GenerationError> {
  const vectors = new Map<string, number[]>();
  let dimensions: number | undefined;
  const inputOf = new Map(hashes.map((h, i) => [h, inputs[i]]));
  for (let start = 0; start < missing.length; start += config.embedBatch) {
    const batch = missing.slice(start, start + config.embedBatch);
    const result = await deps.runtime.router.embed(
      model,
      batch.map((h) => inputOf.get(h) as string),
      { deadlineAt: deps.deadlineAt, signal: deps.signal },
    );
    if (!result.ok) return result.error;
    dimensions = result.embeddings.dimensions;
    if (dimensions > MAX_VECTOR_DIMENSIONS) {
      return invalidConfig(
        `settings/ai.tasks.embeddings.model "${model}" makes ${dimensions}-dimension vectors; Firestore's vector search takes at most ${MAX_VECTOR_DIMENSIONS}. Choose an embedding model with fewer dimensions (text-embedding-nomic-embed-text-v1.5 has 768).`,
      );
    }
    batch.forEach((hash, i) => vectors.set(hash, result.embeddings.vectors[i]));
  }
  return { vectors, dimensions };
}
