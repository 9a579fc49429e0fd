import { createHash } from "node:crypto";
import { FieldValue, Firestore } from "firebase-admin/firestore";
import type { KnowledgeConfig } from "../config/runtimeConfig";
import type { ErrorCode } from "../core/errorCodes";
import { paths } from "../core/paths";
import { utcDay } from "../core/utcDay";
import type { KnowledgeStatus } from "../core/vocabulary";
import { log } from "../observability/log";
import type { ProviderRouter } from "../providers/providerRouter";
import { embeddingInput } from "../knowledge/chunkArticle";
import { NearChunk, selectReferences } from "./selectReferences";

/*
 * A suggestion's knowledge lookup: embed the customer's question with the workspace's embedding
 * model, find the nearest enabled chunks of that model (Firestore's findNearest), and keep the few
 * that fit. Never in the way: bounded by RAG_TIMEOUT_MS, and any failure is a status, not an
 * error, so the suggestion goes ahead without knowledge.
 */

export interface KnowledgeLookup {
  status: Exclude<KnowledgeStatus, "off">;
  ms: number;
  model: string;
  code?: ErrorCode;
  /** In prompt order (empty unless `used`). */
  references: NearChunk[];
}

/** Chunks asked of the search per chunk kept: room for the per-article cap to choose from. */
const CANDIDATES_PER_RESULT = 3;
/** Firestore's findNearest answers at most this many documents. */
const MAX_NEAREST = 1000;

class LookupTimeout extends Error {}

export async function retrieveKnowledge(
  db: Firestore,
  router: ProviderRouter,
  request: {
    workspaceId: string;
    question: string;
    model: string;
    config: KnowledgeConfig;
    signal?: AbortSignal;
  },
): Promise<KnowledgeLookup> {
  const started = Date.now();
  const { model, config } = request;
  const ended = (status: KnowledgeLookup["status"], extra: Partial<KnowledgeLookup> = {}) => ({
    status,
    ms: Date.now() - started,
    model,
    references: [],
    ...extra,
  });
  if (request.question.trim() === "") return ended("no_match");

  const deadlineAt = started + config.timeoutMs;
  const timeout = AbortSignal.timeout(config.timeoutMs);
  const signal = request.signal ? AbortSignal.any([timeout, request.signal]) : timeout;
  const embedded = await router.embed(model, [embeddingInput(model, "query", request.question)], {
    deadlineAt,
    signal,
  });
  if (!embedded.ok) return ended("unavailable", { code: embedded.error.code });

  const chunks = db
    .collection(paths.knowledgeChunks(request.workspaceId))
    .where("embeddingModel", "==", model)
    .where("enabled", "==", true);
  try {
    // A query cannot be cancelled: past the bound, its answer is simply not waited for.
    const snapshot = await beforeTimeout(
      chunks
        .findNearest({
          vectorField: "embedding",
          queryVector: embedded.embeddings.vectors[0],
          limit: Math.min(config.topK * CANDIDATES_PER_RESULT, MAX_NEAREST),
          distanceMeasure: "COSINE",
          distanceThreshold: config.maxDistance,
          distanceResultField: "distance",
        })
        .get(),
      signal,
    );
    const near: NearChunk[] = snapshot.docs.map((doc) => ({
      articleId: String(doc.get("articleId")),
      title: String(doc.get("title") ?? ""),
      ...(typeof doc.get("url") === "string" ? { url: doc.get("url") as string } : {}),
      text: String(doc.get("text") ?? ""),
      position: Number(doc.get("position") ?? 0),
      distance: Number(doc.get("distance")),
    }));
    if (near.length === 0) {
      // Nothing near, or nothing at all of this model: one cheap read tells which.
      const any = await beforeTimeout(chunks.limit(1).select().get(), signal);
      return ended(any.empty ? "not_indexed" : "no_match");
    }
    const references = selectReferences(near, {
      topK: config.topK,
      perArticle: 2,
      charBudget: config.charBudget,
    });
    return ended(references.length > 0 ? "used" : "no_match", { references });
  } catch (err) {
    if (err instanceof LookupTimeout) return ended("unavailable", { code: "provider_timeout" });
    log.warn("knowledge search failed", {
      workspaceId: request.workspaceId,
      error: String(err),
    });
    return ended("unavailable", { code: "search_failed" });
  }
}

function beforeTimeout<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new LookupTimeout());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new LookupTimeout());
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (err) => {
        signal.removeEventListener("abort", onAbort);
        reject(err);
      },
    );
  });
}

/**
 * A customer question no article answered, counted per UTC day for `npm run kb:gaps`. Best
 * effort: the suggestion never waits on it or fails with it.
 */
export async function recordKnowledgeGap(
  db: Firestore,
  workspaceId: string,
  question: string,
  now = new Date(),
): Promise<void> {
  const text = question.trim().slice(0, 300);
  const normalised = text.toLowerCase().replace(/\s+/g, " ");
  const key = createHash("sha256").update(normalised).digest("hex").slice(0, 16);
  const day = utcDay(now);
  await db
    .doc(paths.knowledgeGap(workspaceId, day, key))
    .set(
      { day, question: text, count: FieldValue.increment(1), lastAt: FieldValue.serverTimestamp() },
      { merge: true },
    );
}
