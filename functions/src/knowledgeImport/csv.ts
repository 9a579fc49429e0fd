/*
 * CSV as RFC 4180 writes it, and as spreadsheets export it: fields in double quotes may hold the
 * delimiter, line breaks and doubled quotes (`""`); records end in CRLF or LF; a byte-order mark
 * is dropped. The delimiter is read from the header line: a comma, or the semicolon that Excel
 * writes in Spanish-language locales (where the comma is the decimal mark), or a tab.
 *
 * Written here because the one CSV parser in node_modules (csv-parse) is only a dependency of
 * firebase-tools, a dev dependency: a production install would not have it.
 */

export class CsvError extends Error {
  constructor(
    message: string,
    /** The line (1-based) where the record that failed starts. */
    readonly line: number,
  ) {
    super(message);
    this.name = "CsvError";
  }
}

export interface CsvRecord {
  fields: string[];
  /** The line (1-based) the record starts on, for messages that point into the file. */
  line: number;
}

const DELIMITERS = [",", ";", "\t"] as const;

/** The delimiter used most often outside quotes on the first line; a comma when there is none. */
export function detectDelimiter(text: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === "\n" || char === "\r")) break;
    else if (!quoted && counts.has(char)) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  let best = ",";
  for (const d of DELIMITERS) if ((counts.get(d) ?? 0) > (counts.get(best) ?? 0)) best = d;
  return best;
}

/**
 * Every record of `text`, blank lines left out. A quote inside an unquoted field is kept as a
 * character (spreadsheets accept it too); a quoted field that never closes is a CsvError naming
 * the line where it opened.
 */
export function parseCsv(text: string, delimiter = detectDelimiter(text)): CsvRecord[] {
  const input = text.startsWith("\uFEFF") ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = "";
  let line = 1;
  let recordLine = 1;
  let i = 0;
  const endField = () => {
    fields.push(field);
    field = "";
  };
  const endRecord = () => {
    endField();
    if (fields.length > 1 || fields[0] !== "") records.push({ fields, line: recordLine });
    fields = [];
  };
  while (i < input.length) {
    const char = input[i];
    if (char === '"' && field === "") {
      // A quoted field: up to the quote that is not doubled.
      const opened = line;
      i += 1;
      for (;;) {
        if (i >= input.length) throw new CsvError(`a quoted field never closes`, opened);
        const c = input[i];
        if (c === '"' && input[i + 1] === '"') {
          field += '"';
          i += 2;
        } else if (c === '"') {
          i += 1;
          break;
        } else {
          if (c === "\n") line += 1;
          field += c;
          i += 1;
        }
      }
      // Characters after the closing quote, before the delimiter, are kept: lenient like Excel.
      continue;
    }
    if (char === delimiter) {
      endField();
      i += 1;
    } else if (char === "\r" || char === "\n") {
      endRecord();
      i += char === "\r" && input[i + 1] === "\n" ? 2 : 1;
      line += 1;
      recordLine = line;
    } else {
      field += char;
      i += 1;
    }
  }
  if (field !== "" || fields.length > 0) endRecord();
  return records;
}
