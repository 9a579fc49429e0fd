import isTaxID from "validator/lib/isTaxID";
import {
  type Candidate,
  CHECKED,
  CHECKED_AND_LABELLED,
  compact,
  LABELLED,
  labelledBefore,
  matchCandidates,
  NUMBER_END,
  NUMBER_START,
  TYPICAL_SHAPE,
} from "./candidate";
import { isValidCurp, isValidRut } from "./checkDigits";

/*
 * National identity and tax numbers, by country. validator's isTaxID checks Argentina's CUIT/CUIL
 * (es-AR), Spain's DNI and NIE (es-ES) and Brazil's CPF (pt-BR); Chile's RUT and Mexico's CURP are
 * checked by hand (checkDigits.ts). Argentina's DNI has no check digit: it counts when labelled
 * (`DNI 30123456`) or written as Argentines write it (`30.123.456`).
 */

const numberPattern = (body: string, flags = "gu") =>
  new RegExp(`${NUMBER_START}(?:${body})${NUMBER_END}`, flags);

/** A check digit says it could be this; a label says it is this rather than that. */
const checkedCertainty = (text: string, start: number, labels: string) =>
  labelledBefore(text, start, labels) ? CHECKED_AND_LABELLED : CHECKED;

const DNI_LABELS = String.raw`d\.?\s?n\.?\s?i|documento(?: de identidad| nacional de identidad)?|doc`;
const ARGENTINE_DNI_SHAPE = numberPattern(String.raw`\d{7,8}|\d{1,2}\.\d{3}\.\d{3}`);

export function findArgentineDnis(text: string): Candidate[] {
  return matchCandidates(text, ARGENTINE_DNI_SHAPE, "dni", (value, start) => {
    if (labelledBefore(text, start, DNI_LABELS)) return LABELLED;
    return value.includes(".") ? TYPICAL_SHAPE : undefined;
  });
}

/** `12345678Z`, `12345678-Z` or dotted as some write it, `53.117.420-R`. */
const SPANISH_DNI_SHAPE = numberPattern(String.raw`(?:\d{8}|\d{2}\.\d{3}\.\d{3})[- ]?[A-Z]`, "giu");
const NIE_SHAPE = numberPattern(String.raw`[XYZ][- ]?\d{7}[- ]?[A-Z]`, "giu");

export function findSpanishDnis(text: string): Candidate[] {
  return matchCandidates(text, SPANISH_DNI_SHAPE, "dni", (value, start) =>
    isTaxID(compact(value), "es-ES") ? checkedCertainty(text, start, DNI_LABELS) : undefined,
  );
}

export function findNies(text: string): Candidate[] {
  return matchCandidates(text, NIE_SHAPE, "nie", (value, start) =>
    isTaxID(compact(value), "es-ES") ? checkedCertainty(text, start, "n\\.?i\\.?e") : undefined,
  );
}

/** `20-12345678-6`, `20 12345678 6`, `20-12.345.678-6` or 11 digits, from a known prefix. */
const CUIT_SHAPE = numberPattern(
  String.raw`(?:20|23|24|27|30|33|34)(?:-?\d{8}-?|([- ])\d{2}\.\d{3}\.\d{3}\1| \d{8} )\d`,
);

export function findCuits(text: string): Candidate[] {
  return matchCandidates(text, CUIT_SHAPE, "cuit", (value, start) =>
    isTaxID(compact(value), "es-AR") ? checkedCertainty(text, start, "cuit|cuil") : undefined,
  );
}

/** `12.345.678-5` or `12345678-K`: the dash before the check character is how RUTs are written. */
const RUT_SHAPE = numberPattern(String.raw`\d{1,2}(?:\.\d{3}\.\d{3}|\d{6})-[\dK]`, "giu");
/** `10987650K`, `123456785`: without the dash only when the text says it is a RUT. */
const UNDASHED_RUT_SHAPE = numberPattern(String.raw`\d{7,8}[\dK]`, "giu");
const RUT_LABELS = "ru[tn]";

export function findRuts(text: string): Candidate[] {
  return [
    ...matchCandidates(text, RUT_SHAPE, "rut", (value, start) =>
      isValidRut(compact(value)) ? checkedCertainty(text, start, RUT_LABELS) : undefined,
    ),
    ...matchCandidates(text, UNDASHED_RUT_SHAPE, "rut", (value, start) =>
      isValidRut(compact(value)) && labelledBefore(text, start, RUT_LABELS)
        ? CHECKED_AND_LABELLED
        : undefined,
    ),
  ];
}

/** `529.982.247-25`, `529982247-25` or 11 digits. */
const CPF_SHAPE = numberPattern(String.raw`\d{3}\.\d{3}\.\d{3}-\d{2}|\d{9}-?\d{2}`);

export function findCpfs(text: string): Candidate[] {
  return matchCandidates(text, CPF_SHAPE, "cpf", (value, start) =>
    isTaxID(compact(value), "pt-BR") ? checkedCertainty(text, start, "cpf") : undefined,
  );
}

/** Four letters, birth date, sex, state, three consonants, a disambiguator and the check digit. */
const CURP_SHAPE = numberPattern(
  String.raw`[A-Z][AEIOUX][A-Z]{2}\d{6}[HMX][A-Z]{2}[B-DF-HJ-NP-TV-Z]{3}[A-Z\d]\d`,
  "giu",
);

export function findCurps(text: string): Candidate[] {
  return matchCandidates(text, CURP_SHAPE, "curp", (value) =>
    isValidCurp(value) ? CHECKED : undefined,
  );
}
