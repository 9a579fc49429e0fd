import { CsvError, parseCsv } from "./csv";
import type { ImportSkipReason } from "./importFiles";

/*
 * The rows of a question/answer list: a CSV with a header row (question,answer or
 * pregunta,respuesta, in any case and with or without accents; optional url, tags, locale), or a
 * JSON array of {question, answer, url?, tags?, locale?} (the Spanish keys too). A file that is
 * not such a list is the reason why.
 */

type NotAList = { reason: ImportSkipReason; detail: string };

/** The optional columns and keys of a list, whatever the list calls them. */
export interface ListRow {
  question?: unknown;
  answer?: unknown;
  url?: unknown;
  tags?: unknown;
  locale?: unknown;
  row: number;
}

const COLUMN_NAMES: Record<keyof Omit<ListRow, "row">, string[]> = {
  question: ["question", "pregunta"],
  answer: ["answer", "respuesta"],
  url: ["url", "link", "enlace"],
  tags: ["tags", "etiquetas"],
  locale: ["locale", "idioma"],
};

const columnKey = (name: string) =>
  name
    .normalize("NFD")
    .replace(/\p{Mn}/gu, "")
    .trim()
    .toLowerCase();

export function rowsFromCsv(text: string): ListRow[] | NotAList {
  let records;
  try {
    records = parseCsv(text);
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    return { reason: "invalid_csv", detail: `${err.message} (line ${err.line})` };
  }
  const [header, ...data] = records;
  const names = (header?.fields ?? []).map(columnKey);
  const column = Object.fromEntries(
    Object.entries(COLUMN_NAMES).map(([key, accepted]) => [
      key,
      names.findIndex((n) => accepted.includes(n)),
    ]),
  ) as Record<keyof typeof COLUMN_NAMES, number>;
  if (column.question < 0 || column.answer < 0) {
    return { reason: "missing_columns", detail: (header?.fields ?? []).join(", ").slice(0, 200) };
  }
  return data.map((record) => {
    const cell = (i: number) => (i >= 0 ? record.fields[i] : undefined);
    return {
      question: cell(column.question),
      answer: cell(column.answer),
      url: cell(column.url),
      tags: cell(column.tags),
      locale: cell(column.locale),
      row: record.line,
    };
  });
}

export function rowsFromJson(text: string): ListRow[] | NotAList {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.startsWith("\uFEFF") ? text.slice(1) : text);
  } catch (err) {
    return { reason: "invalid_json", detail: (err as Error).message.slice(0, 200) };
  }
  if (!Array.isArray(parsed)) {
    return { reason: "invalid_json", detail: "not an array of {question, answer}" };
  }
  return parsed.map((item: unknown, index) => {
    const entry =
      typeof item === "object" && item !== null ? (item as Record<string, unknown>) : {};
    const pick = (key: keyof typeof COLUMN_NAMES) =>
      COLUMN_NAMES[key].map((k) => entry[k]).find((v) => v !== undefined);
    return {
      question: pick("question"),
      answer: pick("answer"),
      url: pick("url"),
      tags: pick("tags"),
      locale: pick("locale"),
      row: index + 1,
    };
  });
}
