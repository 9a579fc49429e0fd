import { type Candidate, LABELLED, matchCandidates } from "./candidate";
import { regexLiteral, withoutAccents } from "../core/textForms";

/*
 * Names are not guessed: only the names the conversation gave (the customer's, the contact's) are
 * masked: the whole name whatever its case and accents (`maria jose perez`), and each part of
 * three letters or more that is written as a name, capitalised (`María`, `PEREZ`, `Perez`). A
 * part in lower case is left alone: many names are words too (`Luz` and "no tengo luz", `Rosa`,
 * `Paz`). A display name's part counts only if it reads as a name there (`Ana`, not `SYSTEM` or
 * `ignore`): customers choose their display names.
 */

/** Particles of names that are ordinary words too: `María de los Ángeles` keeps its `los`. */
const PARTICLES = new Set(["del", "las", "los", "dos", "das", "van", "von", "der"]);

const LETTER_VARIANTS: Record<string, string> = {
  a: "aáàâäã",
  e: "eéèêë",
  i: "iíìîï",
  o: "oóòôöõ",
  u: "uúùûü",
  n: "nñ",
  c: "cç",
};

/** A name as a pattern that ignores accents: `Pérez` → `p[eéèêë]\p{M}*r…`. */
function namePattern(name: string): string {
  return [...withoutAccents(name).toLowerCase()]
    .map((char) => {
      if (/\s/.test(char)) return String.raw`\s+`;
      const variants = LETTER_VARIANTS[char];
      return `${variants ? `[${variants}]` : regexLiteral(char)}\\p{M}*`;
    })
    .join("");
}

/** The whole names and their parts worth masking, longest first so a whole name wins. */
export function nameForms(names: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const name of names) {
    const whole = name.trim().replace(/\s+/g, " ");
    // A one-word name is a part: it must read as a name too.
    if (whole.includes(" ")) forms.add(whole);
    for (const part of whole.split(" ")) {
      const letters = withoutAccents(part).replace(/[^\p{L}]/gu, "");
      const readsAsName = /^\p{Lu}/u.test(part) && part !== part.toUpperCase();
      if (letters.length >= 3 && readsAsName && !PARTICLES.has(letters.toLowerCase())) {
        forms.add(part);
      }
    }
  }
  return [...forms].sort((a, b) => b.length - a.length);
}

const comparable = (name: string) => withoutAccents(name).toLowerCase().replace(/\s+/g, " ");

/** A finder for the given names, its pattern built once for all the prompt's messages. */
export function knownNamesFinder(names: readonly string[]): (text: string) => Candidate[] {
  const forms = nameForms(names);
  if (forms.length === 0) return () => [];
  const pattern = new RegExp(
    `(?<![\\p{L}\\p{N}])(?:${forms.map(namePattern).join("|")})(?![\\p{L}\\p{N}])`,
    "giu",
  );
  const wholeNames = new Set(forms.filter((form) => form.includes(" ")).map(comparable));
  return (text) =>
    matchCandidates(text, pattern, "name", (value) =>
      wholeNames.has(comparable(value)) || /^\p{Lu}/u.test(value) ? LABELLED : undefined,
    );
}
