import { PERSONAL_DATA_KINDS, type PersonalDataKind } from "./personalDataKinds";
import { withoutAccents } from "../core/textForms";

/*
 * The placeholders that stand for personal data in a masked prompt, `[TELÉFONO_1]`, and how to
 * read them back from a model's answer. Models copy them imperfectly: the accent dropped
 * (`[TELEFONO_1]`), the case changed, `-` or a space for `_`, the brackets left out
 * (`TELÉFONO_1`). Without brackets a space is not enough (`tarjeta 1` is ordinary Spanish).
 */

/** Spanish, because the model answers a Spanish-speaking customer and reads these as words. */
export const PLACEHOLDER_LABELS: Record<PersonalDataKind, string> = {
  phone: "TELÉFONO",
  email: "EMAIL",
  card: "TARJETA",
  dni: "DNI",
  nie: "NIE",
  cuit: "CUIT",
  rut: "RUT",
  cpf: "CPF",
  curp: "CURP",
  cbu: "CBU",
  iban: "IBAN",
  name: "NOMBRE",
};

export const placeholderFor = (kind: PersonalDataKind, number: number): string =>
  `[${PLACEHOLDER_LABELS[kind]}_${number}]`;

/** The longest text a placeholder, mangled as above, can take: `[ TELE\u0301FONO_9999 ]`. */
export const LONGEST_PLACEHOLDER = 20;

/** One pattern a label character: `É` also as `E`, `e`, or `E` and a combining accent. */
const labelCharacters = (label: string): string[] =>
  [...label].map((char) => {
    const base = withoutAccents(char);
    return base === char ? char : `(?:[${char}${base}]\\p{M}?)`;
  });

const LABEL_TO_KIND = new Map<string, PersonalDataKind>(
  PERSONAL_DATA_KINDS.map((kind) => [withoutAccents(PLACEHOLDER_LABELS[kind]), kind]),
);
const ANY_LABEL = PERSONAL_DATA_KINDS.map((kind) =>
  labelCharacters(PLACEHOLDER_LABELS[kind]).join(""),
).join("|");
const SEPARATOR = "[_\\- ]";
const NUMBER = "\\d{1,4}";

/** Open bracket or a word's start; label; separator; number; close bracket or a word's end. */
const PLACEHOLDER = new RegExp(
  `(?:(\\[ ?)|(?<![\\p{L}\\p{N}_]))(${ANY_LABEL})(${SEPARATOR})(${NUMBER})(?:( ?\\])|(?![\\p{L}\\p{N}_]))`,
  "giu",
);

/** `a(?:b(?:c)?)?`: any start of the sequence `abc`. */
const anyStartOf = (parts: readonly string[]): string =>
  parts.reduceRight((rest, part) => `${part}(?:${rest})?`);

/**
 * Text that could still grow into a placeholder, from its `[` or its first letter to the end:
 * `[`, `[TEL`, `TELÉFONO_`, `[DNI_1`. A whole `[DNI_1]` matches too; the stream shows text that
 * ends with `]` at once (streamRestorer.ts).
 */
const PLACEHOLDER_START = new RegExp(
  `^(?:\\[ ?)?(?:${PERSONAL_DATA_KINDS.map((kind) =>
    anyStartOf([...labelCharacters(PLACEHOLDER_LABELS[kind]), SEPARATOR, NUMBER, " ?", "\\]"]),
  ).join("|")})?$`,
  "iu",
);

export function couldBecomePlaceholder(text: string): boolean {
  return text.length > 0 && text.length <= LONGEST_PLACEHOLDER && PLACEHOLDER_START.test(text);
}

/**
 * Text as it goes into a masked prompt: a placeholder someone wrote (a customer, an article:
 * `[TELÉFONO_1]`) is defused (`(TELÉFONO 1)`), so that only the masking's own come back as values.
 */
export function withoutPlaceholders(text: string): string {
  return text.replace(
    PLACEHOLDER,
    (
      found: string,
      open?: string,
      label?: string,
      separator?: string,
      number?: string,
      close?: string,
    ) => (!open && !close && separator === " " ? found : `(${label} ${number})`),
  );
}

/** The value a placeholder stands for, or undefined when the model made it up. */
export type PlaceholderValues = (kind: PersonalDataKind, number: number) => string | undefined;

/**
 * Puts the values back. A placeholder that stands for nothing (`[TELÉFONO_7]` the model invented)
 * becomes `___`, a blank the agent fills in, and is counted. `context` is text already shown
 * before `text` (a stream's earlier chunks): it decides whether `text` starts a word.
 */
export function restorePlaceholders(
  text: string,
  valueOf: PlaceholderValues,
  context = "",
): { text: string; unresolved: number } {
  let unresolved = 0;
  const whole = context + text;
  PLACEHOLDER.lastIndex = context.length;
  let restored = "";
  let copiedUpTo = context.length;
  for (let match = PLACEHOLDER.exec(whole); match; match = PLACEHOLDER.exec(whole)) {
    const [found, open, label, separator, number, close] = match;
    if (!open && !close && separator === " ") continue;
    const kind = LABEL_TO_KIND.get(withoutAccents(label).toUpperCase());
    const value = kind && valueOf(kind, Number(number));
    if (value === undefined) unresolved += 1;
    restored += whole.slice(copiedUpTo, match.index) + (value ?? "___");
    copiedUpTo = match.index + found.length;
  }
  return { text: restored + whole.slice(copiedUpTo), unresolved };
}
