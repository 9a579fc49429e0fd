import type { PersonalDataKind } from "../core/vocabulary";

/*
 * What a finder of personal data reports, and what it is told. The kinds themselves live in
 * core/vocabulary.ts, where the workspace settings and the data contract spell them too.
 */
export { PERSONAL_DATA_KINDS, type PersonalDataKind } from "../core/vocabulary";

/** One piece of personal data in a text: `text.slice(start, end) === value`. */
export interface PersonalDataSpan {
  start: number;
  end: number;
  kind: PersonalDataKind;
  value: string;
}

export interface PersonalDataOptions {
  /** The kinds to look for; any other kind is left in the text. */
  kinds: readonly PersonalDataKind[];
  /**
   * ISO 3166 alpha-2 codes of the countries the team serves (e.g. ["AR", "ES"]): the default
   * countries for phone numbers written without a prefix, and which national IDs to look for.
   */
  countries: readonly string[];
  /** Names known from the conversation (the customer's, say): only these are masked as names. */
  names?: readonly string[];
  /** Patterns that are never personal data here (the team's tracking codes, say). */
  keep?: readonly RegExp[];
}
