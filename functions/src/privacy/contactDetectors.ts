import { findPhoneNumbersInText, isSupportedCountry } from "libphonenumber-js/max";
import isEmail from "validator/lib/isEmail";
import { type Candidate, CHECKED, LABELLED, matchCandidates, SHAPE_ONLY } from "./candidate";

/*
 * E-mail addresses and phone numbers, found by the libraries that know them: validator's isEmail
 * and libphonenumber-js with its full metadata. The smaller default metadata takes Uruguay's short
 * codes for phones (`2026` in `03/2026`, `28/02`); the full one costs a few milliseconds more to
 * load.
 */

const EMAIL_SHAPE = /(?<![\w.%+-])[\w.%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;

export function findEmails(text: string): Candidate[] {
  return matchCandidates(text, EMAIL_SHAPE, "email", (value) =>
    isEmail(value) ? CHECKED : undefined,
  );
}

/**
 * No phone number anywhere has fewer than 7 digits, written with at most a few separators between
 * them; most messages hold no such run, and the phone parser (which is most of masking's time)
 * need not read them.
 */
const PHONE_LIKE_RUN = /\d(?:[\s().\-/]{0,3}\d){6}/;
const mayHoldPhone = (text: string): boolean => PHONE_LIKE_RUN.test(text);

/**
 * Mexico dropped the `1` of its mobile numbers (`+52 1 33 1456 7890`) in 2019, and the metadata
 * with it; customers still write it. Read without the `1`, such a number is valid.
 */
const LEGACY_MEXICAN_MOBILE = /(?<![\p{L}\p{N}+])\+52[\s-]?1[\s-]?(?=\d)/gu;

function legacyMexicanMobiles(text: string): { startsAt: number; endsAt: number }[] {
  const found: { startsAt: number; endsAt: number }[] = [];
  for (const match of text.matchAll(LEGACY_MEXICAN_MOBILE)) {
    const rest = text.slice(match.index + match[0].length);
    const [number] = findPhoneNumbersInText(`+52 ${rest}`, { defaultCountry: "MX" });
    if (number?.startsAt === 0) {
      found.push({
        startsAt: match.index,
        endsAt: match.index + match[0].length + number.endsAt - 4,
      });
    }
  }
  return found;
}

/**
 * Each country the team serves is tried as the default for numbers written without a prefix
 * (`11 5555 1234` is Buenos Aires, `9 8765 4321` Chile); numbers with their `+` are found by every
 * pass and count once.
 */
export function findPhones(text: string, countries: readonly string[]): Candidate[] {
  if (!mayHoldPhone(text)) return [];
  const defaults = countries.filter((country) => isSupportedCountry(country));
  const found = new Map<string, Candidate>();
  // Written with their +52, these read the same whatever the default country: found once.
  const legacy = legacyMexicanMobiles(text);
  for (const defaultCountry of defaults.length > 0 ? defaults : [undefined]) {
    const numbers = defaultCountry
      ? findPhoneNumbersInText(text, { defaultCountry })
      : findPhoneNumbersInText(text);
    for (const { startsAt, endsAt } of [...numbers, ...legacy]) {
      const value = text.slice(startsAt, endsAt);
      const international = /^(?:\+|00)/.test(value);
      found.set(`${startsAt}:${endsAt}`, {
        start: startsAt,
        end: endsAt,
        kind: "phone",
        value,
        certainty: international ? LABELLED : SHAPE_ONLY,
      });
    }
  }
  return [...found.values()];
}
