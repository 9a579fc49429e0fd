import type { Candidate } from "./candidate";
import { findEmails, findPhones } from "./contactDetectors";
import { knownNamesFinder } from "./knownNames";
import {
  findArgentineDnis,
  findCpfs,
  findCuits,
  findCurps,
  findNies,
  findRuts,
  findSpanishDnis,
} from "./nationalIdDetectors";
import { keptRangesFinder, saysNotPersonal } from "./notPersonalData";
import { findCards, findCbus, findIbans } from "./paymentDetectors";
import type { PersonalDataKind, PersonalDataOptions, PersonalDataSpan } from "./personalDataKinds";
import { resolveOverlaps } from "./resolveOverlaps";

/*
 * Personal data in a text, as spans that do not overlap, in text order. Each kind's detector
 * proposes candidates (a library's or a check digit's word, or a label, or a shape); the team's
 * `keep` patterns and the context of unchecked numbers (prices, order numbers) take some back; of
 * what overlaps, the surest and then the longest stays.
 *
 * Libraries do what they know: libphonenumber-js (phones), validator's isEmail, isCreditCard,
 * isLuhnNumber, isIBAN and isTaxID (CUIT/CUIL es-AR, DNI/NIE es-ES, CPF pt-BR). Written by hand,
 * because no library we use does it: Chile's RUT, Mexico's CURP and Argentina's CBU check digits
 * (checkDigits.ts), Argentina's DNI by its label or dotted shape (nationalIdDetectors.ts), names
 * given by the conversation (knownNames.ts), and what says a number is not personal data
 * (notPersonalData.ts).
 */

/** What a kind looks for in a text, set up once for the options of one prompt. */
type Detector = (text: string) => Candidate[];

const nothing: Detector = () => [];

/** Which detectors each kind runs, and for which countries' documents. */
function detectorFor(
  kind: PersonalDataKind,
  options: PersonalDataOptions,
  countries: Set<string>,
): Detector {
  const inCountry = (country: string, detector: Detector) =>
    countries.has(country) ? detector : nothing;
  switch (kind) {
    case "email":
      return findEmails;
    case "phone":
      return (text) => findPhones(text, [...countries]);
    case "card":
      return findCards;
    case "iban":
      return findIbans;
    case "cbu":
      return inCountry("AR", findCbus);
    case "dni": {
      const argentine = inCountry("AR", findArgentineDnis);
      const spanish = inCountry("ES", findSpanishDnis);
      return (text) => [...argentine(text), ...spanish(text)];
    }
    case "nie":
      return inCountry("ES", findNies);
    case "cuit":
      return inCountry("AR", findCuits);
    case "rut":
      return inCountry("CL", findRuts);
    case "cpf":
      return inCountry("BR", findCpfs);
    case "curp":
      return inCountry("MX", findCurps);
    case "name":
      return knownNamesFinder(options.names ?? []);
  }
}

/**
 * A finder for one prompt's options: patterns that depend on them (the names) are built once,
 * however many messages it reads.
 */
export function personalDataFinder(
  options: PersonalDataOptions,
): (text: string) => PersonalDataSpan[] {
  const countries = new Set(options.countries.map((country) => country.toUpperCase()));
  const detectors = [...new Set(options.kinds)].map((kind) =>
    detectorFor(kind, options, countries),
  );
  const keptRanges = keptRangesFinder(options.keep ?? []);
  return (text) => {
    const kept = keptRanges(text);
    const candidates = detectors
      .flatMap((detect) => detect(text))
      .filter(
        (candidate) =>
          !kept.some(([start, end]) => start < candidate.end && candidate.start < end) &&
          !saysNotPersonal(text, candidate),
      );
    return resolveOverlaps(candidates).map(({ start, end, kind, value }) => ({
      start,
      end,
      kind,
      value,
    }));
  };
}

export function findPersonalData(text: string, options: PersonalDataOptions): PersonalDataSpan[] {
  return personalDataFinder(options)(text);
}
