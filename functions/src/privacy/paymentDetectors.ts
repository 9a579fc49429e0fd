import isCreditCard from "validator/lib/isCreditCard";
import isIBAN from "validator/lib/isIBAN";
import isLuhnNumber from "validator/lib/isLuhnNumber";
import {
  type Candidate,
  CHECKED,
  compact,
  matchCandidates,
  NUMBER_END,
  NUMBER_START,
} from "./candidate";
import { isValidCbu } from "./checkDigits";

/*
 * Where money goes: payment cards (validator's isCreditCard: known issuers and Luhn), IBANs
 * (validator's isIBAN) and Argentina's CBU (check digits by hand, checkDigits.ts).
 */

/** 13 to 19 digits in groups: 4-4-4-4, 4-6-5 (Amex), 4-4-4-4-3, or none. */
const CARD_SHAPE = new RegExp(`${NUMBER_START}\\d{4}(?:[ -]?\\d{3,6}){2,4}${NUMBER_END}`, "gu");

/**
 * Issuers validator does not list (Argentina's Cabal and Naranja, say) still pass when the number
 * is written as cards are, four groups of four, and passes Luhn.
 */
const GROUPED_IN_FOURS = /^\d{4}([ -])\d{4}\1\d{4}\1\d{4}$/;

export function findCards(text: string): Candidate[] {
  return matchCandidates(text, CARD_SHAPE, "card", (value) => {
    const digits = compact(value);
    if (digits.length < 13 || digits.length > 19) return undefined;
    const checks = isCreditCard(digits) || (GROUPED_IN_FOURS.test(value) && isLuhnNumber(digits));
    return checks ? CHECKED : undefined;
  });
}

const CBU_SHAPE = new RegExp(`${NUMBER_START}\\d{8}[ -]?\\d{14}${NUMBER_END}`, "gu");

export function findCbus(text: string): Candidate[] {
  return matchCandidates(text, CBU_SHAPE, "cbu", (value) =>
    isValidCbu(compact(value)) ? CHECKED : undefined,
  );
}

/** Country, check digits, then up to 30 letters or digits, often in groups of four. */
const IBAN_SHAPE = /(?<![\p{L}\p{N}])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?/gu;

/**
 * The shape may take in a word after the IBAN (`... 1332 POR FAVOR`): drop what trails, a group
 * at a time, until it checks.
 */
export function findIbans(text: string): Candidate[] {
  const found: Candidate[] = [];
  for (const match of text.matchAll(IBAN_SHAPE)) {
    let value = match[0];
    while (value.length >= 15) {
      if (
        isIBAN(compact(value)) &&
        !/^[\p{L}\p{N}]/u.test(text.slice(match.index + value.length))
      ) {
        found.push({
          start: match.index,
          end: match.index + value.length,
          kind: "iban",
          value,
          certainty: CHECKED,
        });
        break;
      }
      value = / [A-Z0-9]{1,4}$/.test(value)
        ? value.replace(/ [A-Z0-9]{1,4}$/, "")
        : value.slice(0, -1);
    }
  }
  return found;
}
