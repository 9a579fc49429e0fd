import type { Env } from "../config/envValues";
import {
  type Catalog,
  type Language,
  LANGUAGES,
  messagesFor,
  pickLanguage,
} from "../core/language";

/*
 * The one rule every command-line tool (llm:check, kb:*, quality, bridge, dev, emulators, demo)
 * speaks by:
 *   1. the --lang flag (es or en);
 *   2. else the environment, as POSIX orders it: LC_ALL, then LC_MESSAGES, then LANG, the first
 *      one set deciding (`es…` is Spanish, any other language English); C, POSIX (C.UTF-8 too)
 *      and an empty value say nothing and count as not set;
 *   3. else, for a command that works on a workspace, its `settings/ai.locale`;
 *   4. else English.
 * Machine output (--json) and the structured logs are the same in every language.
 */

export const COMMAND_LANGUAGES = LANGUAGES;

/** The option every command declares for `parseArgs`. */
export const LANG_OPTION = { lang: { type: "string" } } as const;

export interface LanguageSources {
  /** The validated --lang flag (see parseLangFlag). */
  flag?: Language;
  env: Env;
  /** The workspace's `settings/ai.locale`, for a command that has a workspace. */
  workspaceLocale?: string;
}

const LOCALE_VARIABLES = ["LC_ALL", "LC_MESSAGES", "LANG"] as const;

/** `C`, `POSIX`, `C.UTF-8`: the system's neutral locale, which names no language. */
const isNeutralLocale = (value: string) => /^(c|posix)([.@].*)?$/i.test(value);

/** The language the environment names, or undefined when none of its variables names one. */
export function environmentLanguage(env: Env): Language | undefined {
  for (const name of LOCALE_VARIABLES) {
    const value = env[name]?.trim();
    if (value && !isNeutralLocale(value)) return pickLanguage(value);
  }
  return undefined;
}

/** The language a command prints in: the flag, the environment, the workspace, English. */
export function commandLanguage(sources: LanguageSources): Language {
  const workspace = sources.workspaceLocale?.trim();
  return (
    sources.flag ??
    environmentLanguage(sources.env) ??
    (workspace ? pickLanguage(workspace) : undefined) ??
    "en"
  );
}

/** Whether the workspace's locale would decide: neither the flag nor the environment names one. */
export function workspaceDecides(sources: Omit<LanguageSources, "workspaceLocale">): boolean {
  return sources.flag === undefined && environmentLanguage(sources.env) === undefined;
}

interface CommandLanguageMessages {
  flagError(got: string): string;
  langUsage(workspace: boolean): string;
}

const catalog: Catalog<CommandLanguageMessages> = {
  en: {
    flagError: (got) => `--lang must be one of ${COMMAND_LANGUAGES.join(", ")}; got "${got}".`,
    langUsage: (workspace) =>
      `--lang es|en  the language it prints in; without it, LC_ALL, LC_MESSAGES or LANG${workspace ? ", then the workspace's settings/ai.locale" : ""}, else English.`,
  },
  es: {
    flagError: (got) =>
      `--lang debe ser uno de ${COMMAND_LANGUAGES.join(", ")}; se recibió "${got}".`,
    langUsage: (workspace) =>
      `--lang es|en  el idioma de lo que imprime; sin él, LC_ALL, LC_MESSAGES o LANG${workspace ? ", luego settings/ai.locale del workspace" : ""}, y si no, inglés.`,
  },
};

/**
 * The --lang flag, validated at the edge: absent, `es` or `en` (any case); anything else is an
 * error naming the flag and the allowed values, in the environment's language. `language` is
 * the command's language as far as the flag and the environment tell: the usage text, argument
 * errors and everything before a workspace is read speak it.
 */
export function parseLangFlag(
  raw: string | undefined,
  env: Env,
): { flag: Language | undefined; language: Language } | { error: string } {
  const value = raw?.trim().toLowerCase();
  const flag = COMMAND_LANGUAGES.find((language) => language === value);
  if (raw !== undefined && !flag) {
    return { error: messagesFor(catalog, commandLanguage({ env })).flagError(raw.slice(0, 20)) };
  }
  return { flag, language: commandLanguage({ flag, env }) };
}

/**
 * Every command's edge: the --lang flag read as parseLangFlag reads it, or, when it is not one
 * of the languages, the refusal printed (`✗ …` on stderr) and undefined: the command exits 2.
 */
export function readLangFlag(
  raw: string | undefined,
  env: Env,
): { flag: Language | undefined; language: Language } | undefined {
  const lang = parseLangFlag(raw, env);
  if (!("error" in lang)) return lang;
  console.error(`✗ ${lang.error}`);
  return undefined;
}

/** The usage line of --lang, the same in every command's help. */
export function langUsage(language: Language, workspace: boolean): string {
  return messagesFor(catalog, language).langUsage(workspace);
}
