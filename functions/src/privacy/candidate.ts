import type { PersonalDataKind, PersonalDataSpan } from "./personalDataKinds";

/**
 * What a detector proposes: a span and how sure it is. When spans overlap, the surer one wins,
 * then the longer one (resolveOverlaps.ts); only spans short of `CHECKED` can be overruled by the
 * text around them (notPersonalData.ts), since a check digit says more than context does.
 */
export interface Candidate extends PersonalDataSpan {
  certainty: number;
}

/** The shape alone: a phone number in national format (8 digits pass in Uruguay, say). */
export const SHAPE_ONLY = 1;
/** A shape people use for this and little else: an Argentine DNI written `30.123.456`. */
export const TYPICAL_SHAPE = 2;
/** Said what it is: `DNI 30123456`, a phone with its `+54`, a name the conversation gave. */
export const LABELLED = 3;
/** Passed a check digit or a validator: a card's Luhn, a CUIT's modulo 11, an IBAN. */
export const CHECKED = 4;
/** Checked and labelled (`CPF 529.982.247-25`): wins a tie between two checked kinds. */
export const CHECKED_AND_LABELLED = 4.5;

/*
 * A number's edges: no letter or digit right before or after, and no `1.` or `-2` that would
 * make it part of a longer number (`12.345.678-5` holds no DNI, `$1.234.567,89` no phone).
 */
export const NUMBER_START = String.raw`(?<![\p{L}\p{N}]|\p{N}[.,\-/])`;
export const NUMBER_END = String.raw`(?![\p{L}\p{N}]|[.,\-/]\p{N})`;

/** Every match of `pattern` (a global regex) that `certaintyOf` rates, as candidates of `kind`. */
export function matchCandidates(
  text: string,
  pattern: RegExp,
  kind: PersonalDataKind,
  certaintyOf: (value: string, start: number) => number | undefined,
): Candidate[] {
  const found: Candidate[] = [];
  for (const match of text.matchAll(pattern)) {
    const value = match[0];
    const start = match.index;
    const certainty = certaintyOf(value, start);
    if (certainty !== undefined) {
      found.push({ start, end: start + value.length, kind, value, certainty });
    }
  }
  return found;
}

/**
 * What may stand between a label and its number: `DNI: `, `CPF nº `, `dni de mi hijo es `; not a
 * digit, a line or a sentence's end.
 */
const LABEL_FILLER = String.raw`[^\p{N}\n?!;]{0,30}`;

const labelPatterns = new Map<string, RegExp>();

/** Whether one of `labels` (a regex source) names the number that starts at `start`. */
export function labelledBefore(text: string, start: number, labels: string): boolean {
  let pattern = labelPatterns.get(labels);
  if (!pattern) {
    pattern = new RegExp(String.raw`(?<![\p{L}\p{N}])(?:${labels})${LABEL_FILLER}$`, "iu");
    labelPatterns.set(labels, pattern);
  }
  return pattern.test(text.slice(Math.max(0, start - 40), start));
}

/** Digits, and letters for IDs that have them, upper-cased: how values compare. */
export const compact = (value: string): string =>
  value.replace(/[^\p{L}\p{N}]/gu, "").toUpperCase();
