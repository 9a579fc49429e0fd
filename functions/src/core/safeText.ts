/*
 * Text that came from outside (a provider's answer or error body, a setting, an environment
 * variable) before it is stored, logged or served: bounded, well-formed UTF-16, and without
 * credentials. Firestore refuses a document over 1 MiB or a string with a lone surrogate, and
 * a refused outcome write would otherwise turn into a redelivery that calls the model again.
 */

/** Error messages as stored on results and served by health: about 1 KB. */
export const MAX_MESSAGE_CHARS = 1_000;
/** How much of a configured value an error message quotes. */
export const MAX_QUOTED_CHARS = 100;

const ELLIPSIS = "…";

/** Cuts `text` to at most `max` UTF-16 units, never inside a surrogate pair, and repairs it. */
export function boundText(text: string, max: number): { text: string; cut: boolean } {
  const wellFormed = text.toWellFormed();
  if (wellFormed.length <= max) return { text: wellFormed, cut: false };
  let end = Math.max(max - ELLIPSIS.length, 0);
  // Do not split a pair: a high surrogate at the cut would be a lone one.
  const last = wellFormed.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return { text: wellFormed.slice(0, end) + ELLIPSIS, cut: true };
}

/**
 * A value as an error message quotes it: JSON, at most MAX_QUOTED_CHARS, and without what
 * stands before an `@` (a URL's userinfo), whether or not the value parses as a URL: a mistyped
 * `htp//user:pass@pc-2:1234` carries the password all the same.
 */
export function quoteValue(value: unknown): string {
  let json: string;
  try {
    json = JSON.stringify(value) ?? String(value);
  } catch {
    json = String(value);
  }
  // Cut before redacting too: the pattern is cheap only on short text, and a setting may be 1 MB.
  const head = json.slice(0, MAX_QUOTED_CHARS * 2);
  return boundText(redactUserinfo(head), MAX_QUOTED_CHARS).text;
}

/**
 * `user:pass@host` → `***@host` in a quoted value, URL or not: everything of a token (a run
 * without spaces, commas or quotes) up to its last `@`, but a well-formed scheme, goes; a
 * password may hold `/` or `:` itself.
 */
export function redactUserinfo(text: string): string {
  return text.replace(
    /([a-z][a-z0-9+.-]*:\/\/)?[^\s,"'<>]*@/gi,
    (_all, scheme) => `${scheme ?? ""}***@`,
  );
}

/** `http://user:pass@host` → `http://***@host`, wherever a URL appears in the text. */
export function redactUrlCredentials(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@"'<>]+@/gi, "$1***@");
}

/** Every occurrence of a configured secret (an API key a server echoed back) becomes `***`. */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let result = text;
  for (const secret of secrets) {
    // Very short values ("x", "1") would mangle ordinary words and protect nothing.
    if (secret && secret.length >= 4) result = result.split(secret).join("***");
  }
  return result;
}

/** An error message safe to store, log and serve: no credentials, about 1 KB, well-formed. */
export function safeMessage(text: string, secrets: readonly (string | undefined)[] = []): string {
  return boundText(redactSecrets(redactUrlCredentials(text), secrets), MAX_MESSAGE_CHARS).text;
}

/**
 * Nothing a person would read: whitespace and invisible format characters only (zero-width
 * space, joiners, word joiner, BOM, soft hyphen…).
 */
export function isBlank(text: string): boolean {
  return /^[\s\p{Cf}]*$/u.test(text);
}

/** A server's message may hold line breaks (an HTML page, a stack): one outcome, one line. */
export const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();
