import type { KnowledgeArticleDocument } from "../contract/documents";

/*
 * A help-center article as `workspaces/{w}/knowledge/{articleId}` holds it, and the bounds the
 * backend indexes within. `npm run kb:import` writes these fields; `updatedAt` (a server
 * timestamp) is added on every write.
 */

export const ARTICLE_LIMITS = {
  titleChars: 300,
  bodyChars: 100_000,
  tags: 20,
  // As firestore.rules bounds them, so that an admin's later edit in the inbox is not refused.
  tagChars: 40,
  urlChars: 2_000,
} as const;

/**
 * The fields an imported file decides, as the contract declares them. `enabled` only when the
 * file says so (front matter); `source`, the file it came from, relative to the imported folder,
 * with `/` separators.
 */
export type ArticleFields = Pick<
  KnowledgeArticleDocument,
  "title" | "body" | "url" | "tags" | "locale" | "enabled"
> &
  Required<Pick<KnowledgeArticleDocument, "source">>;

/** The fields a file owns: an import sets them, or deletes them when the file no longer has them. */
export const OWNED_FIELDS = ["title", "body", "url", "tags", "locale", "source"] as const;
export type OwnedField = (typeof OWNED_FIELDS)[number];

/** Tags from a list (`["a","b"]`) or a string (`a, b; c | d`): trimmed, blanks and repeats dropped. */
export function readTags(value: unknown): string[] {
  const raw = Array.isArray(value)
    ? value.filter((t): t is string => typeof t === "string")
    : typeof value === "string"
      ? value.split(/[,;|]/)
      : [];
  return [
    ...new Set(
      raw.map((t) => t.toWellFormed().replace(/\s+/g, " ").trim()).filter((t) => t !== ""),
    ),
  ];
}
