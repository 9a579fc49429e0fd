import { ARTICLE_LIMITS, ArticleFields, readTags } from "../knowledge/articleFields";
import { fileArticleId, rowArticleIds } from "./articleIds";
import { parseMarkdownArticle } from "./markdownArticle";
import { ListRow, rowsFromCsv, rowsFromJson } from "./questionLists";

/*
 * What `npm run kb:import` makes of a folder's files, before Firestore: one article per `.md` or
 * `.txt` file, one per row of a `.csv` or `.json` question/answer list, each with a stable id,
 * and every file or row that cannot be an article with the reason. Pure: the files come in as
 * text, nothing is read or written here.
 */

export const IMPORT_EXTENSIONS = [".md", ".txt", ".csv", ".json"] as const;

export interface ImportFile {
  /** Relative to the imported folder, `/`-separated: `envios/cordoba.md`. */
  source: string;
  text: string;
  /** Set when the file could not be read (permissions, gone meanwhile): skipped as `unreadable`. */
  readError?: string;
}

export interface ImportedArticle {
  id: string;
  fields: ArticleFields;
  /** A list's line (CSV) or item (JSON), 1-based; absent for a file that is one article. */
  row?: number;
}

export const IMPORT_SKIP_REASONS = [
  "empty_body",
  "title_too_long",
  "body_too_long",
  "too_many_tags",
  "tag_too_long",
  "invalid_url",
  "invalid_locale",
  "missing_question",
  "missing_columns",
  "invalid_csv",
  "invalid_json",
  "duplicate_id",
  "unreadable",
] as const;
export type ImportSkipReason = (typeof IMPORT_SKIP_REASONS)[number];

export interface SkippedItem {
  source: string;
  row?: number;
  reason: ImportSkipReason;
  /** What the message adds: a size, the column names found, the other file with the same id. */
  detail?: string;
  /** The article id, when it is known: its current version in Firestore is kept as it is. */
  id?: string;
}

export interface ImportResult {
  articles: ImportedArticle[];
  skipped: SkippedItem[];
  /** Files that could not be read or parsed at all: none of their articles may be pruned. */
  unparsedSources: string[];
}

const LOCALE_TAG = /^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8}){0,3}$/;

const clean = (text: string) => text.toWellFormed().replace(/\r\n?/g, "\n");

/** Why these fields cannot be an article, if they cannot; checked in the order listed. */
export function invalidReason(
  fields: ArticleFields,
): { reason: ImportSkipReason; detail?: string } | undefined {
  if (fields.title.length > ARTICLE_LIMITS.titleChars) {
    return { reason: "title_too_long", detail: String(fields.title.length) };
  }
  if (fields.body.trim() === "") return { reason: "empty_body" };
  if (fields.body.length > ARTICLE_LIMITS.bodyChars) {
    return { reason: "body_too_long", detail: String(fields.body.length) };
  }
  const tags = fields.tags ?? [];
  if (tags.length > ARTICLE_LIMITS.tags) {
    return { reason: "too_many_tags", detail: String(tags.length) };
  }
  const longTag = tags.find((t) => t.length > ARTICLE_LIMITS.tagChars);
  if (longTag !== undefined) return { reason: "tag_too_long", detail: longTag.slice(0, 60) };
  if (fields.url !== undefined && !isWebUrl(fields.url)) {
    return { reason: "invalid_url", detail: fields.url.slice(0, 100) };
  }
  if (fields.locale !== undefined && !LOCALE_TAG.test(fields.locale)) {
    return { reason: "invalid_locale", detail: fields.locale.slice(0, 40) };
  }
  return undefined;
}

function isWebUrl(url: string): boolean {
  if (url.length > ARTICLE_LIMITS.urlChars) return false;
  try {
    return ["http:", "https:"].includes(new URL(url).protocol);
  } catch {
    return false;
  }
}

const text = (value: unknown) =>
  typeof value === "string" ? clean(value).trim() : typeof value === "number" ? String(value) : "";

function listArticles(file: ImportFile, rows: ListRow[]): (ImportedArticle | SkippedItem)[] {
  const questions = rows.map((r) => text(r.question).replace(/\s+/g, " "));
  const ids = rowArticleIds(fileArticleId(file.source), questions);
  return rows.map((row, i) => {
    if (questions[i] === "") {
      return { source: file.source, row: row.row, reason: "missing_question" as const };
    }
    const url = text(row.url);
    const tags = readTags(row.tags);
    const locale = text(row.locale);
    return {
      id: ids[i],
      row: row.row,
      fields: {
        title: questions[i],
        body: text(row.answer),
        ...(url ? { url } : {}),
        ...(tags.length ? { tags } : {}),
        ...(locale ? { locale } : {}),
        source: file.source,
      },
    };
  });
}

const extensionOf = (source: string) => /\.[^./]*$/.exec(source)?.[0].toLowerCase() ?? "";

function fileArticles(file: ImportFile): (ImportedArticle | SkippedItem)[] {
  if (file.readError !== undefined) {
    return [{ source: file.source, reason: "unreadable", detail: file.readError.slice(0, 200) }];
  }
  const extension = extensionOf(file.source);
  const input = clean(file.text);
  if (extension === ".csv" || extension === ".json") {
    const rows = extension === ".csv" ? rowsFromCsv(input) : rowsFromJson(input);
    if (!Array.isArray(rows)) return [{ source: file.source, ...rows }];
    return listArticles(file, rows);
  }
  const name =
    file.source
      .split("/")
      .at(-1)
      ?.replace(/\.[^.]*$/, "") ?? file.source;
  const article =
    extension === ".md"
      ? parseMarkdownArticle(input, name)
      : { title: name, body: input.replace(/^\uFEFF/, "").trim() };
  return [{ id: fileArticleId(file.source), fields: { ...article, source: file.source } }];
}

/**
 * Every file's articles, in the files' path order, each validated; a later article with an id
 * already taken (`envios/cordoba.md` and `envios/cordoba.txt`) is skipped, naming the first.
 */
export function importFiles(files: ImportFile[]): ImportResult {
  const result: ImportResult = { articles: [], skipped: [], unparsedSources: [] };
  const taken = new Map<string, string>();
  const sorted = [...files].sort((a, b) =>
    a.source < b.source ? -1 : a.source > b.source ? 1 : 0,
  );
  for (const file of sorted) {
    for (const item of fileArticles(file)) {
      if (!("fields" in item)) {
        if (item.row === undefined) result.unparsedSources.push(item.source);
        result.skipped.push(item);
        continue;
      }
      const where = { source: file.source, ...(item.row !== undefined ? { row: item.row } : {}) };
      const first = taken.get(item.id);
      if (first !== undefined) {
        result.skipped.push({ ...where, reason: "duplicate_id", detail: first });
        continue;
      }
      taken.set(item.id, item.row !== undefined ? `${file.source}:${item.row}` : file.source);
      const invalid = invalidReason(item.fields);
      if (invalid) result.skipped.push({ ...where, ...invalid, id: item.id });
      else result.articles.push(item);
    }
  }
  return result;
}
