import { readFileSync } from "node:fs";
import { join } from "node:path";
import { findPersonalData } from "../../src/privacy/findPersonalData";
import {
  PERSONAL_DATA_KINDS,
  type PersonalDataKind,
  type PersonalDataOptions,
  type PersonalDataSpan,
} from "../../src/privacy/personalDataKinds";

/*
 * The labelled corpus of support messages (test/fixtures/personalDataCorpus.txt) and how well
 * detection does on it: precision and recall per kind, and how many messages without personal
 * data it touched. The unit test asserts on it; a bench prints it.
 */

export interface CorpusLine {
  /** The message as the customer wrote it, marks removed. */
  text: string;
  expected: PersonalDataSpan[];
}

export interface Corpus {
  /** The names the conversations gave (the corpus's `# names:` line). */
  names: string[];
  lines: CorpusLine[];
}

// Compiled, this file runs from build-dev/test/support; the fixtures sit beside build-dev.
const FIXTURES = join(__dirname, "../../../test/fixtures");
/**
 * The corpus written with the detection, and one written later without seeing it or the first
 * (held out: its first run measured the detection fairly; the misses it showed were then fixed).
 */
export const CORPUS_FILES = {
  main: join(FIXTURES, "personalDataCorpus.txt"),
  heldOut: join(FIXTURES, "personalDataHeldOut.txt"),
} as const;

const MARK = /\{([a-z]+):([^{}]+)\}/g;

/** `Mi cel es {phone:11 5555 1234}` → the text and the span it marks. */
export function parseCorpusLine(line: string): CorpusLine {
  const expected: PersonalDataSpan[] = [];
  let text = "";
  let copiedUpTo = 0;
  for (const match of line.matchAll(MARK)) {
    const [mark, kind, value] = match;
    if (!(PERSONAL_DATA_KINDS as readonly string[]).includes(kind)) {
      throw new Error(`Unknown kind "${kind}" in corpus line: ${line}`);
    }
    text += line.slice(copiedUpTo, match.index);
    expected.push({
      start: text.length,
      end: text.length + value.length,
      kind,
      value,
    } as PersonalDataSpan);
    text += value;
    copiedUpTo = match.index + mark.length;
  }
  return { text: text + line.slice(copiedUpTo), expected };
}

export function parseCorpus(fileText: string): Corpus {
  const names: string[] = [];
  const lines: CorpusLine[] = [];
  for (const line of fileText.split("\n")) {
    const namesLine = /^#\s*names:(.*)$/.exec(line);
    if (namesLine) names.push(...namesLine[1].split(",").map((name) => name.trim()));
    if (line.trim() === "" || line.startsWith("#")) continue;
    lines.push(parseCorpusLine(line));
  }
  return { names, lines };
}

export const readCorpus = (file: string = CORPUS_FILES.main): Corpus =>
  parseCorpus(readFileSync(file, "utf8"));

/** The countries the corpus's messages come from. */
export const CORPUS_COUNTRIES = ["AR", "CL", "MX", "ES", "UY", "BR"] as const;

/** Tracking codes a team would declare never personal: Correo Argentino's and Correios'. */
export const CORPUS_KEEP = [/\bAR\d{9}\b/, /\b[A-Z]{2}\d{9}BR\b/];

export interface KindScore {
  kind: PersonalDataKind;
  expected: number;
  found: number;
  matched: number;
  precision: number;
  recall: number;
}

export interface CorpusReport {
  kinds: KindScore[];
  /** Lines with personal data, and those without. */
  personalLines: number;
  cleanLines: number;
  /** Lines without personal data where something was found anyway. */
  touchedCleanLines: number;
  touchedShare: number;
  /** What was missed or found wrongly, `kind:value` with its line: what to look at first. */
  misses: string[];
  falseFinds: string[];
}

const spanKey = (span: PersonalDataSpan) => `${span.start}:${span.kind}:${span.value}`;

export function corpusReport(corpus: Corpus = readCorpus()): CorpusReport {
  const options: PersonalDataOptions = {
    kinds: PERSONAL_DATA_KINDS,
    countries: CORPUS_COUNTRIES,
    names: corpus.names,
    keep: CORPUS_KEEP,
  };
  const tally = new Map(
    PERSONAL_DATA_KINDS.map((kind) => [kind, { expected: 0, found: 0, matched: 0 }]),
  );
  const misses: string[] = [];
  const falseFinds: string[] = [];
  let touchedCleanLines = 0;
  for (const line of corpus.lines) {
    const found = findPersonalData(line.text, options);
    const expectedKeys = new Set(line.expected.map(spanKey));
    const foundKeys = new Set(found.map(spanKey));
    if (line.expected.length === 0 && found.length > 0) touchedCleanLines += 1;
    for (const span of line.expected) {
      const score = tally.get(span.kind)!;
      score.expected += 1;
      if (foundKeys.has(spanKey(span))) score.matched += 1;
      else misses.push(`${span.kind}:${span.value}  in  ${line.text}`);
    }
    for (const span of found) {
      tally.get(span.kind)!.found += 1;
      if (!expectedKeys.has(spanKey(span)))
        falseFinds.push(`${span.kind}:${span.value}  in  ${line.text}`);
    }
  }
  const cleanLines = corpus.lines.filter((line) => line.expected.length === 0).length;
  return {
    kinds: PERSONAL_DATA_KINDS.map((kind) => {
      const { expected, found, matched } = tally.get(kind)!;
      return {
        kind,
        expected,
        found,
        matched,
        precision: found === 0 ? 1 : matched / found,
        recall: expected === 0 ? 1 : matched / expected,
      };
    }),
    personalLines: corpus.lines.length - cleanLines,
    cleanLines,
    touchedCleanLines,
    touchedShare: cleanLines === 0 ? 0 : touchedCleanLines / cleanLines,
    misses,
    falseFinds,
  };
}

/** The report as a table to print. */
export function formatCorpusReport(report: CorpusReport): string {
  const rows = report.kinds.map(
    (k) =>
      `${k.kind.padEnd(6)} ${String(k.expected).padStart(8)} ${String(k.found).padStart(6)} ${String(k.matched).padStart(8)} ${k.precision.toFixed(3).padStart(9)} ${k.recall.toFixed(3).padStart(7)}`,
  );
  return [
    `kind   expected  found  matched precision  recall`,
    ...rows,
    `${report.personalLines} lines with personal data; ${report.touchedCleanLines} of ${report.cleanLines} lines without it touched (${(report.touchedShare * 100).toFixed(1)}%)`,
    ...report.misses.map((miss) => `missed: ${miss}`),
    ...report.falseFinds.map((find) => `found wrongly: ${find}`),
  ].join("\n");
}
