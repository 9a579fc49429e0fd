import { z } from "zod";
import { invalidConfig } from "../core/errorCodes";
import { type Language, pickLanguage } from "../core/language";
import { quoteValue } from "../core/safeText";
import {
  DEFAULT_EMBEDDING_MODEL,
  DisabledReason,
  PERSONAL_DATA_KINDS,
  PersonalDataKind,
  PRIVACY_COUNTRIES,
  PrivacyCountry,
  PROVIDERS,
  ProviderId,
} from "../core/vocabulary";
import type { AiSettingsDocument, StoredFields } from "../contract/documents";

type SettingsFlags = StoredFields<NonNullable<AiSettingsDocument["flags"]>>;

/** `workspaces/{workspaceId}/settings/ai`, validated. */
export interface WorkspaceAiSettings {
  provider: ProviderId;
  defaultModel: string;
  /** The fallback provider's model; absent means its default (OpenAI) or no fallback (LM Studio). */
  fallbackModel?: string;
  temperature: number;
  maxTokens: number;
  flags: { rag: boolean; providerReady: boolean; cloudFallback: boolean; reports: boolean };
  /** Each AI task's own model settings; the flat ones are the suggestions' defaults. */
  tasks: Record<AiTaskName, TaskModelSettings>;
  /** The team's language (`es-AR`): error hints are written in Spanish for `es…`. */
  locale?: string;
  /** Reply options per suggestion (1–3); more than one asks for JSON with a schema. */
  suggestionOptions: number;
  /** `tasks.embeddings.model`: the LM Studio embedding model of the team's knowledge. */
  embeddingModel: string;
  /**
   * `rollout.llm_studio`: the percentage (0–100) of conversations LM Studio answers, sticky by
   * conversation id; the rest go to the other provider. Already 100 when the privacy switch
   * (`flags.cloud_fallback: false`) is on: no conversation reaches OpenAI.
   */
  rollout: { llmStudio: number };
  /** `privacy`: personal data masked before a request leaves for a provider (docs/privacy.md). */
  privacy: PrivacySettings;
}

export interface PrivacySettings {
  /** Mask before a cloud provider (OpenAI) sees a prompt: on unless switched off. */
  maskCloud: boolean;
  /** Mask for LM Studio too: off unless asked (it runs on the team's own network). */
  maskLocal: boolean;
  kinds: PersonalDataKind[];
  /** The first decides a phone number written without its country code. */
  countries: PrivacyCountry[];
  /** Codes never masked: `#` a digit, `*` a letter, anything else itself. */
  keep: string[];
}

const LOCALE_TAG = /^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8}){0,3}$/;

/** The settings' locale, read even from settings that fail validation, to pick the hint's language. */
export function settingsLocale(raw: unknown): string | undefined {
  const locale = isRecord(raw) ? raw.locale : undefined;
  return typeof locale === "string" && LOCALE_TAG.test(locale.trim()) ? locale.trim() : undefined;
}

/** The team's language for what it reads (hints), even from settings that fail validation. */
export function settingsLanguage(raw: unknown): Language {
  return pickLanguage(settingsLocale(raw));
}

export { DEFAULT_EMBEDDING_MODEL };

export const SETTINGS_DEFAULTS = {
  provider: "llm_studio",
  temperature: 0.3,
  maxTokens: 150,
} as const;
export const MAX_TOKENS_CAP = 8192;
/** The team's guide: reports with a small, literal model, 0.1, 500 tokens. */
export const REPORT_DEFAULTS = { temperature: 0.1, maxTokens: 500 } as const;

export type AiTaskName = "suggestions" | "reports";

export interface TaskModelSettings {
  model: string;
  temperature: number;
  maxTokens: number;
}

export type SettingsDecision =
  { kind: "disabled"; reason: DisabledReason } | { kind: "enabled"; settings: WorkspaceAiSettings };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/*
 * The declaration: one schema a field, and what the admin reads when a value is wrong (the
 * field and the allowed values). `null` counts as absent, as Firestore consoles write it.
 */
interface Rule<T> {
  schema: z.ZodType<T>;
  says: (field: string, got: unknown) => string;
}
const rule = <T>(schema: z.ZodType<T>, says: Rule<T>["says"]): Rule<T> => ({ schema, says });

const modelId = z.string().refine((s) => s.trim() !== "" && s.length <= 200);
const RULES = {
  boolean: rule(z.boolean(), (field) => `${field} must be true or false.`),
  map: rule(z.record(z.string(), z.unknown()), (field) => `${field} must be a map.`),
  provider: rule(
    z.enum(PROVIDERS),
    (field, got) =>
      `${field} must be one of ${PROVIDERS.map((p) => `"${p}"`).join(", ")}; got ${quoteValue(got)}.`,
  ),
  model: (example: string, orAbsent = false) =>
    rule(
      modelId,
      (field, got) =>
        `${field} must be a model id such as "${example}" (1–200 characters)${orAbsent ? " or absent" : ""}; got ${quoteValue(got ?? null)}.`,
    ),
  temperature: rule(
    z.number().min(0).max(2),
    (field, got) => `${field} must be a number from 0 to 2; got ${quoteValue(got)}.`,
  ),
  maxTokens: rule(
    z.number().int().min(1).max(MAX_TOKENS_CAP),
    (field, got) =>
      `${field} must be a whole number from 1 to ${MAX_TOKENS_CAP}; got ${quoteValue(got)}.`,
  ),
  suggestionOptions: rule(
    z.number().int().min(1).max(3),
    (field, got) => `${field} must be a whole number from 1 to 3; got ${quoteValue(got)}.`,
  ),
  percentage: rule(
    z.number().min(0).max(100),
    (field, got) => `${field} must be a number from 0 to 100; got ${quoteValue(got)}.`,
  ),
  kinds: rule(
    z.array(z.enum(PERSONAL_DATA_KINDS)),
    (field, got) =>
      `${field} must be a list of ${PERSONAL_DATA_KINDS.map((k) => `"${k}"`).join(", ")}; got ${quoteValue(got)}.`,
  ),
  countries: rule(
    z.array(z.enum(PRIVACY_COUNTRIES)).min(1),
    (field, got) =>
      `${field} must be a non-empty list of ${PRIVACY_COUNTRIES.map((c) => `"${c}"`).join(", ")}; got ${quoteValue(got)}.`,
  ),
  keep: rule(
    z.array(z.string().regex(/^[A-Za-z0-9#*_./-]{3,40}$/)).max(20),
    (field, got) =>
      `${field} must be a list of at most 20 code patterns of 3–40 letters, digits, "-", "_", "/", "." , "#" (any digit) and "*" (any letter), such as "AR#########"; got ${quoteValue(got)}.`,
  ),
  locale: rule(
    z.string().refine((s) => LOCALE_TAG.test(s.trim())),
    (field, got) =>
      `${field} must be a language tag such as "es-AR" or "en", or absent; got ${quoteValue(got)}.`,
  ),
};

/** A field's value by its rule, or its default when absent; throws what the rule says. */
function read<T>(value: unknown, field: string, r: Rule<T>, fallback: T): T;
function read<T>(value: unknown, field: string, r: Rule<T>): T | undefined;
function read<T>(value: unknown, field: string, r: Rule<T>, fallback?: T): T | undefined {
  if (value === undefined || value === null) return fallback;
  const parsed = r.schema.safeParse(value);
  if (!parsed.success) throw invalidConfig(r.says(field, value));
  return parsed.data;
}

/** `tasks.{name}`: every field optional, each defaulting to the task's own defaults. */
function readTaskModel(
  raw: unknown,
  field: string,
  defaults: TaskModelSettings,
): TaskModelSettings {
  if (raw === undefined || raw === null) return defaults;
  if (!isRecord(raw)) {
    throw invalidConfig(`${field} must be a map of model, temperature and maxTokens.`);
  }
  const model = read(raw.model, `${field}.model`, RULES.model("llama-3.1-8b"), defaults.model);
  return {
    model: model.trim(),
    temperature: read(
      raw.temperature,
      `${field}.temperature`,
      RULES.temperature,
      defaults.temperature,
    ),
    maxTokens: read(raw.maxTokens, `${field}.maxTokens`, RULES.maxTokens, defaults.maxTokens),
  };
}

/**
 * `tasks.embeddings.model`, read on its own: articles are indexed whether or not AI is on yet, so
 * that switching `flags.rag` on finds them ready. Throws `invalid_config` naming the field.
 */
export function readEmbeddingModel(raw: unknown): string {
  if (!isRecord(raw)) return DEFAULT_EMBEDDING_MODEL;
  const tasks = isRecord(raw.tasks) ? raw.tasks : {};
  const embeddings = tasks.embeddings;
  if (embeddings === undefined || embeddings === null) return DEFAULT_EMBEDDING_MODEL;
  if (!isRecord(embeddings)) {
    throw invalidConfig("settings/ai.tasks.embeddings must be a map with a model.");
  }
  return read(
    embeddings.model,
    "settings/ai.tasks.embeddings.model",
    RULES.model(DEFAULT_EMBEDDING_MODEL),
    DEFAULT_EMBEDDING_MODEL,
  ).trim();
}

/**
 * `rollout.{llm_studio}`: LM Studio's share of conversations. Defaults to all of them when it is
 * the provider and none when OpenAI is; the privacy switch makes it all of them whatever it says.
 * A share for LM Studio in an OpenAI-first workspace needs the LM Studio model to ask.
 */
function readRollout(
  raw: unknown,
  provider: ProviderId,
  fallbackModel: string | undefined,
  cloudFallback: boolean,
): { llmStudio: number } {
  const rollout = read(raw, "settings/ai.rollout", RULES.map, {});
  const byDefault = provider === "llm_studio" ? 100 : 0;
  const share = read(
    rollout.llm_studio,
    "settings/ai.rollout.llm_studio",
    RULES.percentage,
    byDefault,
  );
  if (provider === "openai" && share > 0 && fallbackModel === undefined) {
    throw invalidConfig(
      `settings/ai.rollout.llm_studio is ${share}, so LM Studio answers some conversations, but settings/ai.fallbackModel names no LM Studio model for them. Set settings/ai.fallbackModel (e.g. "gpt-oss-20b") or rollout.llm_studio to 0.`,
    );
  }
  return { llmStudio: cloudFallback ? share : 100 };
}

/**
 * `privacy`: masking on for the cloud, off for LM Studio, every kind, and every known country
 * with the workspace's own (its locale's region) first.
 */
function readPrivacy(raw: unknown, locale: string | undefined): PrivacySettings {
  const privacy: StoredFields<NonNullable<AiSettingsDocument["privacy"]>> = read(
    raw,
    "settings/ai.privacy",
    RULES.map,
    {},
  );
  const region = locale?.split(/[-_]/)[1]?.toUpperCase();
  const own = PRIVACY_COUNTRIES.filter((c) => c === region);
  return {
    maskCloud: read(privacy.mask_cloud, "settings/ai.privacy.mask_cloud", RULES.boolean, true),
    maskLocal: read(privacy.mask_local, "settings/ai.privacy.mask_local", RULES.boolean, false),
    kinds: read(privacy.kinds, "settings/ai.privacy.kinds", RULES.kinds, [...PERSONAL_DATA_KINDS]),
    countries: read(privacy.countries, "settings/ai.privacy.countries", RULES.countries, [
      ...own,
      ...PRIVACY_COUNTRIES.filter((c) => c !== region),
    ]),
    keep: read(privacy.keep, "settings/ai.privacy.keep", RULES.keep, []),
  };
}

/** Whether a task runs for these settings: suggestions are on unless switched off, reports off unless on. */
function isEnabledFor(task: AiTaskName, flags: SettingsFlags): boolean {
  return task === "suggestions"
    ? read(flags.suggestions, "settings/ai.flags.suggestions", RULES.boolean, true)
    : read(flags.reports, "settings/ai.flags.reports", RULES.boolean, false);
}

/**
 * Decides whether a workspace wants this task and validates its settings. Throws
 * `invalid_config` with the field name and the allowed values when a value is wrong, so the
 * workspace admin sees on the result exactly what to fix. Fields are read in a fixed order, so
 * the first wrong one is the one named.
 */
export function decideWorkspaceAiSettings(
  raw: unknown,
  task: AiTaskName = "suggestions",
): SettingsDecision {
  if (raw === undefined || raw === null) return { kind: "disabled", reason: "no_settings" };
  if (!isRecord(raw)) throw invalidConfig("settings/ai must be a document with fields.");
  // Read by the contract's field names: a misspelled one fails to compile.
  const doc: StoredFields<AiSettingsDocument> = raw;
  if (!read(doc.ai_enabled, "settings/ai.ai_enabled", RULES.boolean, false)) {
    return { kind: "disabled", reason: "ai_disabled" };
  }
  const flags: SettingsFlags = read(doc.flags, "settings/ai.flags", RULES.map, {});
  if (!isEnabledFor(task, flags)) return { kind: "disabled", reason: `${task}_disabled` };

  const provider = read(
    doc.provider,
    "settings/ai.provider",
    RULES.provider,
    SETTINGS_DEFAULTS.provider,
  );
  const model = read(doc.defaultModel, "settings/ai.defaultModel", RULES.model("gpt-oss-20b"));
  if (model === undefined)
    throw invalidConfig(RULES.model("gpt-oss-20b").says("settings/ai.defaultModel", null));
  const fallbackModel = read(
    doc.fallbackModel,
    "settings/ai.fallbackModel",
    RULES.model("gpt-4o-mini", true),
  );
  const cloudFallback = read(
    flags.cloud_fallback,
    "settings/ai.flags.cloud_fallback",
    RULES.boolean,
    true,
  );
  if (provider === "openai" && !cloudFallback) {
    throw invalidConfig(
      'settings/ai.provider is "openai", but settings/ai.flags.cloud_fallback is false, which forbids sending this workspace\'s conversations to a cloud provider. Use provider "llm_studio" or allow cloud_fallback.',
    );
  }
  const temperature = read(
    doc.temperature,
    "settings/ai.temperature",
    RULES.temperature,
    SETTINGS_DEFAULTS.temperature,
  );
  const maxTokens = read(
    doc.maxTokens,
    "settings/ai.maxTokens",
    RULES.maxTokens,
    SETTINGS_DEFAULTS.maxTokens,
  );
  const tasks = read(
    doc.tasks,
    "settings/ai.tasks",
    rule(
      RULES.map.schema,
      () => "settings/ai.tasks must be a map of suggestions, reports and embeddings.",
    ),
    {},
  );
  const suggestionOptions = read(
    doc.suggestionOptions,
    "settings/ai.suggestionOptions",
    RULES.suggestionOptions,
    1,
  );
  const locale = read(doc.locale, "settings/ai.locale", RULES.locale);
  const rollout = readRollout(doc.rollout, provider, fallbackModel, cloudFallback);

  return {
    kind: "enabled",
    settings: {
      ...(locale !== undefined ? { locale: locale.trim() } : {}),
      provider,
      defaultModel: model.trim(),
      ...(fallbackModel !== undefined ? { fallbackModel: fallbackModel.trim() } : {}),
      temperature,
      maxTokens,
      tasks: {
        suggestions: readTaskModel(tasks.suggestions, "settings/ai.tasks.suggestions", {
          model: model.trim(),
          temperature,
          maxTokens,
        }),
        reports: readTaskModel(tasks.reports, "settings/ai.tasks.reports", {
          model: model.trim(),
          ...REPORT_DEFAULTS,
        }),
      },
      suggestionOptions,
      embeddingModel: readEmbeddingModel(raw),
      rollout,
      privacy: readPrivacy(doc.privacy, locale?.trim()),
      flags: {
        rag: read(flags.rag, "settings/ai.flags.rag", RULES.boolean, false),
        providerReady: read(
          flags.provider_ready,
          "settings/ai.flags.provider_ready",
          RULES.boolean,
          true,
        ),
        cloudFallback,
        reports: read(flags.reports, "settings/ai.flags.reports", RULES.boolean, false),
      },
    },
  };
}
