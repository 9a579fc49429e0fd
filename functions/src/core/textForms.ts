/*
 * Two ways of reading text that several modules need alike: as a regular expression's literal,
 * and without its accents.
 */

/**
 * `text` as a literal inside a regular expression, with or without the u flag. `-` is left as it
 * is: it needs no escape outside a class, and the u flag refuses one.
 */
export const regexLiteral = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/** `text` with its accents and other combining marks taken off: `Pérez` → `Perez`. */
export const withoutAccents = (text: string): string =>
  text.normalize("NFD").replace(/\p{M}/gu, "");
