/*
 * Check digits that no library we use computes, written by hand from the issuers' rules:
 * - Chile's RUT/RUN: modulo 11 over the body, weights 2..7 from the right, 10 written as K.
 * - Mexico's CURP: the 18th character, modulo 10 over the first 17 in the RENAPO alphabet.
 * - Argentina's CBU: two blocks (bank and branch, then account), each with its own check digit
 *   under BCRA's weights 7-1-3-9.
 * Each takes the compact form (no dots, dashes or spaces) and says only whether it checks.
 */

const sumDigits = (digits: string, weights: readonly number[]): number =>
  weights.reduce((sum, weight, i) => sum + Number(digits[i]) * weight, 0);

/** `body` is the RUT without its check character; returns "0".."9" or "K". */
export function rutCheckCharacter(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    sum += Number(body[body.length - 1 - i]) * (2 + (i % 6));
  }
  const check = 11 - (sum % 11);
  return check === 11 ? "0" : check === 10 ? "K" : String(check);
}

/** A RUT such as `123456785` or `12345678K` (7 or 8 digits, then the check character). */
export function isValidRut(compact: string): boolean {
  if (!/^\d{7,8}[\dK]$/i.test(compact)) return false;
  return rutCheckCharacter(compact.slice(0, -1)) === compact.slice(-1).toUpperCase();
}

const CURP_ALPHABET = "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ";

/** `first17` is a CURP without its last character; returns the check digit. */
export function curpCheckDigit(first17: string): number {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CURP_ALPHABET.indexOf(first17[i]) * (18 - i);
  return (10 - (sum % 10)) % 10;
}

export function isValidCurp(curp: string): boolean {
  const upper = curp.toUpperCase();
  if (upper.length !== 18 || !/\d$/.test(upper)) return false;
  return curpCheckDigit(upper.slice(0, 17)) === Number(upper[17]);
}

const CBU_BANK_WEIGHTS = [7, 1, 3, 9, 7, 1, 3];
const CBU_ACCOUNT_WEIGHTS = [3, 9, 7, 1, 3, 9, 7, 1, 3, 9, 7, 1, 3];

/** The check digit of a CBU block, from its digits before the check digit. */
export function cbuBlockCheckDigit(digits: string): number {
  const weights = digits.length === 7 ? CBU_BANK_WEIGHTS : CBU_ACCOUNT_WEIGHTS;
  return (10 - (sumDigits(digits, weights) % 10)) % 10;
}

/** 22 digits: bank (3), branch (4), check, account (13), check. */
export function isValidCbu(compact: string): boolean {
  if (!/^\d{22}$/.test(compact)) return false;
  return (
    cbuBlockCheckDigit(compact.slice(0, 7)) === Number(compact[7]) &&
    cbuBlockCheckDigit(compact.slice(8, 21)) === Number(compact[21])
  );
}
