import type { KbMessages } from "./kbMessages";

/*
 * `npm run kb:gaps`: the customer questions no article answered, from the day documents
 * `knowledgeGaps/{day}_{key}` (`day`, `question`, `count`, `lastAt`), added up over the days. The
 * same question asked on several days, or written with other capitals, spaces or punctuation, is
 * one entry; "envio" and "envío" too (customers often leave accents out), shown as it was written
 * most often, accents kept.
 */

export interface GapEntry {
  question: string;
  count: number;
  /** The last UTC day it was asked, `YYYY-MM-DD`. */
  lastDay: string;
}

export interface GapDay {
  day?: unknown;
  question?: unknown;
  count?: unknown;
  /** The last time on that day, as a Date (the CLI converts Firestore's Timestamp). */
  lastAt?: Date;
}

/**
 * The grouping key: lower case, accents and punctuation folded (`¿…?` is often left out too),
 * one space between words, trimmed.
 */
export function questionKey(question: string): string {
  return question
    .normalize("NFD")
    .replace(/\p{Mn}/gu, "")
    .normalize("NFC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

interface Group {
  count: number;
  lastDay: string;
  spellings: Map<string, { count: number; lastDay: string }>;
}

/** Every entry, by count (then the most recent, then alphabetically). */
export function groupGaps(days: GapDay[]): GapEntry[] {
  const groups = new Map<string, Group>();
  for (const doc of days) {
    if (typeof doc.question !== "string") continue;
    const written = doc.question.replace(/\s+/g, " ").trim();
    const key = questionKey(written);
    if (key === "") continue;
    const count = typeof doc.count === "number" && doc.count > 0 ? doc.count : 1;
    const lastDay = doc.lastAt ? doc.lastAt.toISOString().slice(0, 10) : String(doc.day ?? "");
    const group = groups.get(key) ?? { count: 0, lastDay: "", spellings: new Map() };
    group.count += count;
    if (lastDay > group.lastDay) group.lastDay = lastDay;
    const spelling = group.spellings.get(written) ?? { count: 0, lastDay: "" };
    spelling.count += count;
    if (lastDay > spelling.lastDay) spelling.lastDay = lastDay;
    group.spellings.set(written, spelling);
    groups.set(key, group);
  }
  const entries = [...groups.values()].map((g) => {
    const [question] = [...g.spellings].sort(
      ([a, x], [b, y]) =>
        y.count - x.count || y.lastDay.localeCompare(x.lastDay) || a.localeCompare(b),
    )[0];
    return { question, count: g.count, lastDay: g.lastDay };
  });
  entries.sort(
    (a, b) =>
      b.count - a.count ||
      b.lastDay.localeCompare(a.lastDay) ||
      a.question.localeCompare(b.question, "es"),
  );
  return entries;
}

/** The table `npm run kb:gaps` prints: the top entries, or what to do when there are none. */
export function formatGapReport(
  entries: GapEntry[],
  range: { workspace: string; from: string; to: string; days: number; top: number },
  say: KbMessages,
): string {
  if (entries.length === 0) return say.noGaps(range.days);
  const shown = entries.slice(0, range.top);
  const [times, last, question] = say.gapsColumns;
  const countWidth = Math.max(times.length, ...shown.map((e) => String(e.count).length));
  const dayWidth = Math.max(last.length, 10);
  return [
    say.gapsHeading(range.workspace, range.from, range.to),
    "",
    `${times.padStart(countWidth)}  ${last.padEnd(dayWidth)}  ${question}`,
    ...shown.map(
      (e) =>
        `${String(e.count).padStart(countWidth)}  ${e.lastDay.padEnd(dayWidth)}  ${e.question}`,
    ),
    "",
    say.gapsFooter(shown.length, entries.length),
  ].join("\n");
}
