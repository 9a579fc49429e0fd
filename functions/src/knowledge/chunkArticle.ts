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

/** A piece of text, and what joins it to the piece before it in the original. */
interface Piece {
  text: string;
  joiner: string;
}

const LEVELS: { separator: RegExp; joiner: string }[] = [
  { separator: /\n\s*\n/, joiner: "\n\n" },
  { separator: /(?<=[.!?¡¿…])\s+/, joiner: " " },
  { separator: /\s+/, joiner: " " },
];

/** Pieces no longer than `max`: paragraphs, then sentences, then words, then hard cuts. */
function pieces(text: string, max: number, joiner = "\n\n"): Piece[] {
  if (text.length <= max) return [{ text, joiner }];
  for (const level of LEVELS) {
    const parts = text.split(level.separator).filter((p) => p.trim() !== "");
    if (parts.length > 1) {
      return parts.flatMap((p, i) => pieces(p.trim(), max, i === 0 ? joiner : level.joiner));
    }
  }
  const cut: Piece[] = [];
  for (let i = 0; i < text.length; i += max) {
    cut.push({ text: text.slice(i, i + max), joiner: i === 0 ? joiner : "" });
  }
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
  // A chunk after the first is the overlap, a space, then pieces: never over chunkChars.
  const room = options.chunkChars - options.overlap - 1;
  const chunks: string[] = [];
  let current = "";
  for (const piece of pieces(section, room)) {
    const joined = current === "" ? piece.text : `${current}${piece.joiner}${piece.text}`;
    if (joined.length <= options.chunkChars || current === "") {
      current = joined;
      continue;
    }
    chunks.push(current);
    const carried = tail(current, options.overlap);
    current = carried === "" ? piece.text : `${carried} ${piece.text}`;
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
