import { ArticleFields, readTags } from "../knowledge/articleFields";

/*
 * One Markdown file as an article. The title is the front matter's `title`, else the first
 * heading (`# …`, any level, outside code blocks), which then leaves the body so the indexer does
 * not read it twice; else the file's name. Front matter (`---` lines at the very top) may set
 * `title`, `url`, `tags` (`[a, b]` or `a, b`), `locale` and `enabled: false`; other keys are kept
 * out of the body and ignored.
 */

/** What a Markdown file says of its article: an import's fields but its source. */
export type MarkdownArticle = Omit<ArticleFields, "source">;

const HEADING = /^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^ {0,3}(```|~~~)/;

function unquote(value: string): string {
  const v = value.trim();
  return /^(["']).*\1$/.test(v) ? v.slice(1, -1) : v;
}

/** `---` … `---` at the top: its `key: value` lines, and the text after it. */
function splitFrontMatter(text: string): { meta: Map<string, string>; rest: string } {
  const meta = new Map<string, string>();
  const lines = text.split("\n");
  if (lines[0]?.trim() !== "---") return { meta, rest: text };
  const end = lines.findIndex((line, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(line));
  if (end < 0) return { meta, rest: text };
  for (const line of lines.slice(1, end)) {
    const match = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line);
    if (match) meta.set(match[1].toLowerCase(), match[2]);
  }
  return { meta, rest: lines.slice(end + 1).join("\n") };
}

export function parseMarkdownArticle(text: string, fileName: string): MarkdownArticle {
  const { meta, rest } = splitFrontMatter(text.replace(/^\uFEFF/, ""));
  const lines = rest.split("\n");
  let title = unquote(meta.get("title") ?? "");
  if (title === "") {
    let fenced = false;
    const at = lines.findIndex((line) => {
      if (FENCE.test(line)) fenced = !fenced;
      return !fenced && HEADING.test(line) && HEADING.exec(line)?.[1].trim() !== "";
    });
    if (at >= 0) {
      title = (HEADING.exec(lines[at])?.[1] ?? "").trim();
      lines.splice(at, 1);
    }
  }
  const url = unquote(meta.get("url") ?? "");
  const tagsValue = meta.get("tags")?.trim() ?? "";
  const tags = readTags(
    tagsValue.startsWith("[") && tagsValue.endsWith("]")
      ? tagsValue.slice(1, -1).split(",").map(unquote)
      : tagsValue.split(",").map(unquote),
  );
  const locale = unquote(meta.get("locale") ?? "");
  const enabled = unquote(meta.get("enabled") ?? "").toLowerCase();
  return {
    title: (title || fileName).replace(/\s+/g, " ").trim(),
    body: lines.join("\n").trim(),
    ...(url ? { url } : {}),
    ...(tags.length ? { tags } : {}),
    ...(locale ? { locale } : {}),
    ...(enabled === "false" ? { enabled: false } : enabled === "true" ? { enabled: true } : {}),
  };
}
