import { ArticleFields, OWNED_FIELDS, OwnedField } from "../knowledge/articleFields";
import type { ImportResult } from "./importFiles";

/*
 * What an import changes, decided against the articles already stored (read once): a new id is
 * created, an id whose stored fields differ from the file's is updated, anything else is left
 * alone, so importing the same folder twice writes nothing. The file owns title, body, url, tags,
 * locale and source; `enabled` is the admin's switch, written on create and otherwise only when
 * the file's front matter sets it, so that re-importing never turns an article back on.
 */

export interface StoredArticle {
  id: string;
  data: Record<string, unknown>;
}

export interface ArticleWrite {
  id: string;
  kind: "create" | "update";
  /**
   * The fields to set (without `updatedAt`, which the writer adds as a server timestamp): all the
   * file owns, merged, so that an article deleted meanwhile comes back whole, never in part.
   */
  set: Record<string, unknown>;
  /** Fields whose stored value differs (every field, for a new article). */
  changed: string[];
  /** Fields the file no longer has: deleted from the stored article. */
  remove: OwnedField[];
  /** Title or body changed (or the article is new): the backend re-embeds it. */
  contentChanged: boolean;
}

export interface ImportPlan {
  writes: ArticleWrite[];
  unchanged: string[];
  /** Imported articles (they have a `source`) that this folder no longer produces. */
  stale: string[];
}

const sameValue = (a: unknown, b: unknown) =>
  Array.isArray(a) && Array.isArray(b)
    ? a.length === b.length && a.every((x, i) => x === b[i])
    : a === b;

function planWrite(
  fields: ArticleFields,
  stored: StoredArticle | undefined,
  id: string,
): ArticleWrite | undefined {
  const owned: Record<string, unknown> = Object.fromEntries(
    OWNED_FIELDS.filter((f) => fields[f] !== undefined).map((f) => [f, fields[f]]),
  );
  if (!stored) {
    const set = { ...owned, enabled: fields.enabled ?? true };
    return { id, kind: "create", set, changed: Object.keys(set), remove: [], contentChanged: true };
  }
  const changed = Object.keys(owned).filter((f) => !sameValue(stored.data[f], owned[f]));
  if (fields.enabled !== undefined && stored.data.enabled !== fields.enabled) {
    owned.enabled = fields.enabled;
    changed.push("enabled");
  }
  const remove = OWNED_FIELDS.filter(
    (f) => fields[f] === undefined && stored.data[f] !== undefined,
  );
  if (changed.length === 0 && remove.length === 0) return undefined;
  return {
    id,
    kind: "update",
    set: owned,
    changed,
    remove,
    contentChanged: changed.includes("title") || changed.includes("body"),
  };
}

export function planImport(result: ImportResult, stored: StoredArticle[]): ImportPlan {
  const byId = new Map(stored.map((a) => [a.id, a]));
  const plan: ImportPlan = { writes: [], unchanged: [], stale: [] };
  for (const article of result.articles) {
    const write = planWrite(article.fields, byId.get(article.id), article.id);
    if (write) plan.writes.push(write);
    else plan.unchanged.push(article.id);
  }
  // Kept: what this import produced, what it skipped (its stored version stays as it was), and
  // everything from a file it could not parse at all.
  const kept = new Set([
    ...result.articles.map((a) => a.id),
    ...result.skipped.flatMap((s) => (s.id ? [s.id] : [])),
  ]);
  const unparsed = new Set(result.unparsedSources);
  for (const article of stored) {
    const source = article.data.source;
    if (typeof source !== "string" || source === "") continue; // written by hand: never pruned
    if (!kept.has(article.id) && !unparsed.has(source)) plan.stale.push(article.id);
  }
  plan.stale.sort();
  return plan;
}

/**
 * Operations cut into batches Firestore accepts: at most `maxOps` writes and about `maxBytes` of
 * field values each (a commit may carry 10 MiB; 500 articles of 100,000 characters would not fit).
 */
export function intoBatches<T>(
  items: T[],
  sizeOf: (item: T) => number,
  limits: { maxOps: number; maxBytes: number } = { maxOps: 500, maxBytes: 8_000_000 },
): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = sizeOf(item);
    if (current.length > 0 && (current.length >= limits.maxOps || bytes + size > limits.maxBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** About what a write sends: its strings' UTF-8 bytes, plus a little per field. */
export function writeSize(write: { set: Record<string, unknown> }): number {
  return Buffer.byteLength(JSON.stringify(write.set), "utf8") + 200;
}
