import { createHash } from "node:crypto";

/*
 * Article ids derived from where an article came from, so that importing the same folder again
 * finds the same documents. Ids are Firestore-safe by construction: only `a-z`, `0-9` and `-`
 * (never `/`, never `.` or `..`, never `__…__`), and at most MAX_ID_CHARS, far below 1,500 bytes.
 */

/** A path segment or a question as an id part: at most this many characters before its hash. */
const MAX_PART_CHARS = 80;
export const MAX_ID_CHARS = 400;
/** Between the parts of an id (`envios--cordoba`): a slug never holds two dashes in a row. */
export const ID_SEPARATOR = "--";

const shortHash = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 8);

/**
 * `Envíos a Córdoba` → `envios-a-cordoba`: accents dropped, lower case, every other run of
 * characters one dash. Nothing left (`¿?`) gives the text's hash; a long text is cut and gets
 * the hash of the whole, so that two long questions with the same start still differ.
 */
export function slug(text: string, maxChars = MAX_PART_CHARS): string {
  const plain = text
    .normalize("NFD")
    .replace(/\p{Mn}/gu, "")
    .toLowerCase()
    .replace(/ß/g, "ss")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (plain === "") return `x${shortHash(text)}`;
  if (plain.length <= maxChars) return plain;
  return `${plain.slice(0, maxChars - 9).replace(/-+$/, "")}-${shortHash(text)}`;
}

/** `envios/Córdoba.md` → `envios--cordoba`: the path without its extension, one slug a folder. */
export function fileArticleId(source: string): string {
  const withoutExtension = source.replace(/\.[^./]*$/, "");
  const id = withoutExtension
    .split("/")
    .filter((part) => part !== "")
    .map((part) => slug(part))
    .join(ID_SEPARATOR);
  return id.length <= MAX_ID_CHARS ? id : `${id.slice(0, MAX_ID_CHARS - 9)}-${shortHash(source)}`;
}

/**
 * The ids of a list's rows: `{file id}--{slug of the question}`, the second row with the same
 * slug `…-2`. Keyed by the question rather than the row number, so that sorting the sheet or
 * inserting a row changes no other row's id (no rewrite, no re-embedding, no prune and re-create).
 */
export function rowArticleIds(fileId: string, questions: string[]): string[] {
  const bases = questions.map((question) => `${fileId}${ID_SEPARATOR}${slug(question)}`);
  const used = new Set<string>();
  // First every row whose slug is free, then the repeats: a question whose own slug is
  // `pago-2` keeps it even when it comes after the second "Pago".
  const ids = bases.map((base) => (used.has(base) ? undefined : (used.add(base), base)));
  return ids.map((id, i) => {
    if (id !== undefined) return id;
    let n = 2;
    while (used.has(`${bases[i]}-${n}`)) n += 1;
    used.add(`${bases[i]}-${n}`);
    return `${bases[i]}-${n}`;
  });
}

/** What Firestore accepts as a document id (the rules above make every derived id pass). */
export function isFirestoreSafeId(id: string): boolean {
  return (
    id !== "" &&
    !id.includes("/") &&
    id !== "." &&
    id !== ".." &&
    !/^__.*__$/.test(id) &&
    Buffer.byteLength(id, "utf8") <= 1_500
  );
}
