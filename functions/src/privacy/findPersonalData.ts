import type { Candidate } from "./candidate";
import { findEmails, findPhones } from "./contactDetectors";
import { findKnownNames } from "./knownNames";
import {
  findArgentineDnis,
  findCpfs,
  findCuits,
  findCurps,
  findNies,
  findRuts,
  findSpanishDnis,
} from "./nationalIdDetectors";
import { keptRanges, saysNotPersonal } from "./notPersonalData";
import { findCards, findCbus, findIbans } from "./paymentDetectors";
import type { PersonalDataKind, PersonalDataOptions, PersonalDataSpan } from "./personalDataKinds";
import { resolveOverlaps } from "./resolveOverlaps";

/*
 * Personal data in a text, as spans that do not overlap, in text order. Each kind's detector
 * proposes candidates (a library's or a check digit's word, or a label, or a shape); the team's
 * `keep` patterns and the context of unchecked numbers (prices, order numbers) take some back; of
 * what overlaps, the surest and then the longest stays.
 */

type Detector = (text: string, options: PersonalDataOptions, countries: Set<string>) => Candidate[];

/** Which detectors each kind runs, and for which country's documents. */
const DETECTORS: Record<PersonalDataKind, Detector> = {
  email: (text) => findEmails(text),
  phone: (text, _options, countries) => findPhones(text, [...countries]),
  card: (text) => findCards(text),
  iban: (text) => findIbans(text),
  cbu: (text, _options, countries) => (countries.has("AR") ? findCbus(text) : []),
  dni: (text, _options, countries) => [
    ...(countries.has("AR") ? findArgentineDnis(text) : []),
    ...(countries.has("ES") ? findSpanishDnis(text) : []),
  ],
  nie: (text, _options, countries) => (countries.has("ES") ? findNies(text) : []),
  cuit: (text, _options, countries) => (countries.has("AR") ? findCuits(text) : []),
  rut: (text, _options, countries) => (countries.has("CL") ? findRuts(text) : []),
  cpf: (text, _options, countries) => (countries.has("BR") ? findCpfs(text) : []),
  curp: (text, _options, countries) => (countries.has("MX") ? findCurps(text) : []),
  name: (text, options) => findKnownNames(text, options.names ?? []),
};

export function findPersonalData(text: string, options: PersonalDataOptions): PersonalDataSpan[] {
  const countries = new Set(options.countries.map((country) => country.toUpperCase()));
  const kept = keptRanges(text, options.keep ?? []);
  const candidates = [...new Set(options.kinds)]
    .flatMap((kind) => DETECTORS[kind](text, options, countries))
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
}
