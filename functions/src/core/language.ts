/*
 * The languages everything a person reads is written in, the one rule that picks one from a
 * locale or language tag, and the one shape of a message catalog. Pure and dependency-free: the
 * functions, the command-line tools and the browser pages (console, inbox) all import it.
 */

export const LANGUAGES = ["es", "en"] as const;
export type Language = (typeof LANGUAGES)[number];

/**
 * The language a locale or language tag names, when it is one we speak: `es`, `es-AR`,
 * `es_ES.UTF-8` are Spanish, `en…` English; anything else (`pt-BR`, `C`, empty) names none.
 */
export function spokenLanguage(tag: string | undefined): Language | undefined {
  const value = tag?.trim().toLowerCase() ?? "";
  return LANGUAGES.find((language) => value.startsWith(language));
}

/**
 * The one picker: the first tag in a language we speak decides, English when none does. One tag
 * (a workspace's `settings/ai.locale`, a LANG value) is Spanish for `es…` and English otherwise;
 * a browser's preferences (`navigator.languages`, Accept-Language) are read in their order.
 */
export function pickLanguage(...tags: readonly (string | undefined)[]): Language {
  for (const tag of tags) {
    const language = spokenLanguage(tag);
    if (language) return language;
  }
  return "en";
}

/** The tags of an Accept-Language header, in the order the browser sent them (q-values aside). */
export const acceptedLanguages = (header: string | undefined): string[] =>
  (header ?? "")
    .split(",")
    .map((part) => part.split(";")[0].trim())
    .filter((tag) => tag !== "" && tag !== "*");

/** Every message set, once per language: `const catalog: Catalog<Messages> = { en, es }`. */
export type Catalog<Messages> = Readonly<Record<Language, Messages>>;

export const messagesFor = <Messages>(catalog: Catalog<Messages>, language: Language): Messages =>
  catalog[language];
