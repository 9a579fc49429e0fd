import { createHash } from "node:crypto";
import { GenerationError } from "../core/errorCodes";
import { quoteValue } from "../core/safeText";
import { ARTICLE_LIMITS } from "./articleFields";
import type { KnowledgeArticleDocument, StoredFields } from "../contract/documents";

/** `workspaces/{w}/knowledge/{articleId}`, as the indexer reads it. */
export interface KnowledgeArticle {
  title: string;
  body: string;
  url?: string;
  enabled: boolean;
}

const invalid = (field: string, why: string, got?: unknown) =>
  new GenerationError(
    "invalid_request",
    `knowledge.${field} ${why}${got === undefined ? "" : `; got ${quoteValue(got)}`}.`,
  );

/**
 * The fields indexing uses, validated: an article written around the rules (the Admin SDK, an
 * import script) that is out of shape ends `error` in its index state, naming the field. Like
 * every reader of input, it throws the GenerationError (errorCodes.ts says why).
 */
export function readArticle(data: Record<string, unknown>): KnowledgeArticle {
  // Read by the contract's field names: a misspelled one fails to compile.
  const { title, body, url, enabled }: StoredFields<KnowledgeArticleDocument> = data;
  if (
    typeof title !== "string" ||
    title.trim() === "" ||
    title.length > ARTICLE_LIMITS.titleChars
  ) {
    throw invalid("title", `must be text of 1 to ${ARTICLE_LIMITS.titleChars} characters`);
  }
  if (typeof body !== "string" || body.length > ARTICLE_LIMITS.bodyChars) {
    throw invalid("body", `must be text of at most ${ARTICLE_LIMITS.bodyChars} characters`);
  }
  if (
    url !== undefined &&
    url !== null &&
    (typeof url !== "string" || !/^https?:\/\//.test(url) || url.length > ARTICLE_LIMITS.urlChars)
  ) {
    throw invalid("url", "must be an http(s) address of at most 2,000 characters, or absent", url);
  }
  if (enabled !== undefined && enabled !== null && typeof enabled !== "boolean") {
    throw invalid("enabled", "must be true or false", enabled);
  }
  return {
    title: title.trim(),
    body,
    ...(typeof url === "string" ? { url } : {}),
    enabled: enabled !== false,
  };
}

/**
 * Everything the chunks depend on: an unchanged hash means an unchanged index, so a redelivered
 * event or a re-save that changed only the tags writes nothing.
 */
export function articleContentHash(
  article: KnowledgeArticle,
  model: string,
  chunking: { chunkChars: number; overlap: number },
): string {
  return createHash("sha256")
    .update(
      JSON.stringify([
        article.title,
        article.body,
        article.url ?? null,
        article.enabled,
        model,
        chunking.chunkChars,
        chunking.overlap,
      ]),
    )
    .digest("hex")
    .slice(0, 32);
}
