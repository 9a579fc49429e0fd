import { createHash } from "node:crypto";

/*
 * An article split for embedding, as Chatwoot's Captain does it: by headings first, then by
 * paragraphs, then sentences, then words, into chunks of about `chunkChars` with `overlap`
 * characters repeated from the chunk before, so that an answer cut at a boundary is still found
 * whole in one of the two. No splitter library fits: LangChain's pulls its core and a tokenizer
 * for what is fifty lines of plain string work.
 */

export interface ChunkOptions {
  chunkChars: number;
  overlap: number;
}

const HEADING = /^#{1,6}\s+\S/;

/** Sections: each heading starts one, with the heading's line kept as its first line. */
function sections(body: string): string[] {
  const result: string[][] = [[]];
  for (const line of body.replace(/\r\n?/g, "\n").split("\n")) {
    if (HEADING.test(line) && result[result.length - 1].some((l) => l.trim() !== "")) {
      result.push([]);
    }
    result[result.length - 1].push(line);
  }
  return result.map((lines) => lines.join("\n").trim()).filter((s) => s !== "");
}

/** Pieces no longer than `max`: paragraphs, then sentences, then words, then hard cuts. */
function pieces(text: string, max: number): string[] {
  if (text.length <= max) return [text];
  const levels: RegExp[] = [/\n\s*\n/, /(?<=[.!?¡¿…])\s+/, /\s+/];
  for (const separator of levels) {
    const parts = text.split(separator).filter((p) => p.trim() !== "");
    if (parts.length > 1) return parts.flatMap((p) => pieces(p.trim(), max));
  }
  const cut: string[] = [];
  for (let i = 0; i < text.length; i += max) cut.push(text.slice(i, i + max));
  return cut;
}

/** The last `overlap` characters of a chunk, starting at a word. */
function tail(text: string, overlap: number): string {
  if (overlap <= 0 || text.length <= overlap) return overlap <= 0 ? "" : text;
  const start = text.length - overlap;
  const space = text.indexOf(" ", start);
  return (
    space === -1 || space > start + overlap / 2 ? text.slice(start) : text.slice(space + 1)
  ).trim();
}

/** A section packed greedily into chunks; each chunk after the first opens with the overlap. */
function packSection(section: string, options: ChunkOptions): string[] {
  const room = options.chunkChars - options.overlap;
  const chunks: string[] = [];
  let current = "";
  for (const piece of pieces(section, room)) {
    const joined = current === "" ? piece : `${current}\n\n${piece}`;
    if (joined.length <= options.chunkChars || current === "") {
      current = joined;
      continue;
    }
    chunks.push(current);
    const carried = tail(current, options.overlap);
    current = carried === "" ? piece : `${carried} ${piece}`;
  }
  if (current !== "") chunks.push(current);
  return chunks;
}

/** The article's text as chunks, in reading order; no chunk is empty. */
export function chunkArticle(body: string, options: ChunkOptions): string[] {
  return sections(body).flatMap((section) => packSection(section, options));
}

/**
 * What is embedded for a chunk or a question. Nomic Embed, LM Studio's bundled embedder, is
 * trained with task prefixes and ranks much better with them; other models get the text as is.
 * The title goes in front of every chunk, so a chunk that never names its subject still does.
 */
export function embeddingInput(
  model: string,
  kind: "document" | "query",
  text: string,
  title?: string,
): string {
  const body = title ? `${title}\n\n${text}` : text;
  return /nomic-embed/i.test(model) ? `search_${kind}: ${body}` : body;
}

/** Same model, same input, same vector: what lets an unchanged chunk keep its embedding. */
export function chunkHash(model: string, input: string): string {
  return createHash("sha256").update(`${model}\n${input}`).digest("hex").slice(0, 32);
}
