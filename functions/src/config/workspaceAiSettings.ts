import { invalidConfig } from "../core/errorCodes";
import { quoteValue } from "../core/safeText";
import { DisabledReason, PROVIDERS, ProviderId } from "../core/vocabulary";

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
}

const LOCALE_TAG = /^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8}){0,3}$/;

/** The settings' locale, read even from settings that fail validation, to pick the hint's language. */
export function settingsLocale(raw: unknown): string | undefined {
  const locale = isRecord(raw) ? raw.locale : undefined;
  return typeof locale === "string" && LOCALE_TAG.test(locale.trim()) ? locale.trim() : undefined;
}

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

function readTemperature(value: unknown, field: string, fallback: number): number {
  const temperature = value ?? fallback;
  if (
    typeof temperature !== "number" ||
    !Number.isFinite(temperature) ||
    temperature < 0 ||
    temperature > 2
  ) {
    throw invalidConfig(`${field} must be a number from 0 to 2; got ${quoteValue(temperature)}.`);
  }
  return temperature;
}

function readMaxTokens(value: unknown, field: string, fallback: number): number {
  const maxTokens = value ?? fallback;
  if (
    typeof maxTokens !== "number" ||
    !Number.isInteger(maxTokens) ||
    maxTokens < 1 ||
    maxTokens > MAX_TOKENS_CAP
  ) {
    throw invalidConfig(
      `${field} must be a whole number from 1 to ${MAX_TOKENS_CAP}; got ${quoteValue(maxTokens)}.`,
    );
  }
  return maxTokens;
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
  const model = raw.model ?? defaults.model;
  if (!isModelId(model)) {
    throw invalidConfig(
      `${field}.model must be a model id such as "llama-3.1-8b" (1–200 characters); got ${quoteValue(model)}.`,
    );
  }
  return {
    model: model.trim(),
    temperature: readTemperature(raw.temperature, `${field}.temperature`, defaults.temperature),
    maxTokens: readMaxTokens(raw.maxTokens, `${field}.maxTokens`, defaults.maxTokens),
  };
}

export type SettingsDecision =
  { kind: "disabled"; reason: DisabledReason } | { kind: "enabled"; settings: WorkspaceAiSettings };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function optionalBoolean(value: unknown, field: string, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== "boolean") throw invalidConfig(`${field} must be true or false.`);
  return value;
}

function isModelId(value: unknown): value is string {
  return typeof value === "string" && value.trim() !== "" && value.length <= 200;
}

/**
 * Decides whether a workspace wants suggestions and validates its settings. Throws
 * `invalid_config` with the field name and the allowed values when a value is wrong, so the
 * workspace admin sees on the suggestion exactly what to fix.
 */
export function decideWorkspaceAiSettings(
  raw: unknown,
  task: AiTaskName = "suggestions",
): SettingsDecision {
  if (raw === undefined || raw === null) return { kind: "disabled", reason: "no_settings" };
  if (!isRecord(raw)) throw invalidConfig("settings/ai must be a document with fields.");

  if (!optionalBoolean(raw.ai_enabled, "settings/ai.ai_enabled", false)) {
    return { kind: "disabled", reason: "ai_disabled" };
  }
  const flags = raw.flags ?? {};
  if (!isRecord(flags)) throw invalidConfig("settings/ai.flags must be a map.");
  // Suggestions are on unless switched off; reports are off unless switched on.
  const on =
    task === "suggestions"
      ? optionalBoolean(flags.suggestions, "settings/ai.flags.suggestions", true)
      : optionalBoolean(flags.reports, "settings/ai.flags.reports", false);
  if (!on) return { kind: "disabled", reason: `${task}_disabled` };

  const provider = raw.provider ?? SETTINGS_DEFAULTS.provider;
  if (typeof provider !== "string" || !(PROVIDERS as readonly string[]).includes(provider)) {
    throw invalidConfig(
      `settings/ai.provider must be one of ${PROVIDERS.map((p) => `"${p}"`).join(", ")}; got ${quoteValue(provider)}.`,
    );
  }

  const model = raw.defaultModel;
  if (!isModelId(model)) {
    throw invalidConfig(
      `settings/ai.defaultModel must be a model id such as "gpt-oss-20b" (1–200 characters); got ${quoteValue(model ?? null)}.`,
    );
  }
  const fallbackModel = raw.fallbackModel ?? undefined;
  if (fallbackModel !== undefined && !isModelId(fallbackModel)) {
    throw invalidConfig(
      `settings/ai.fallbackModel must be a model id such as "gpt-4o-mini" (1–200 characters) or absent; got ${quoteValue(fallbackModel)}.`,
    );
  }
  const cloudFallback = optionalBoolean(
    flags.cloud_fallback,
    "settings/ai.flags.cloud_fallback",
    true,
  );
  if (provider === "openai" && !cloudFallback) {
    throw invalidConfig(
      'settings/ai.provider is "openai", but settings/ai.flags.cloud_fallback is false, which forbids sending this workspace\'s conversations to a cloud provider. Use provider "llm_studio" or allow cloud_fallback.',
    );
  }

  const temperature = readTemperature(
    raw.temperature,
    "settings/ai.temperature",
    SETTINGS_DEFAULTS.temperature,
  );
  const maxTokens = readMaxTokens(
    raw.maxTokens,
    "settings/ai.maxTokens",
    SETTINGS_DEFAULTS.maxTokens,
  );
  const tasks =
    isRecord(raw.tasks) || raw.tasks === undefined || raw.tasks === null
      ? ((raw.tasks as Record<string, unknown> | undefined) ?? {})
      : undefined;
  if (!tasks) throw invalidConfig("settings/ai.tasks must be a map of suggestions and reports.");

  const suggestionOptions = raw.suggestionOptions ?? 1;
  if (
    typeof suggestionOptions !== "number" ||
    !Number.isInteger(suggestionOptions) ||
    suggestionOptions < 1 ||
    suggestionOptions > 3
  ) {
    throw invalidConfig(
      `settings/ai.suggestionOptions must be a whole number from 1 to 3; got ${quoteValue(suggestionOptions)}.`,
    );
  }

  const locale = raw.locale ?? undefined;
  if (locale !== undefined && settingsLocale(raw) === undefined) {
    throw invalidConfig(
      `settings/ai.locale must be a language tag such as "es-AR" or "en", or absent; got ${quoteValue(locale)}.`,
    );
  }

  return {
    kind: "enabled",
    settings: {
      ...(locale !== undefined ? { locale: settingsLocale(raw) } : {}),
      provider: provider as ProviderId,
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
      flags: {
        rag: optionalBoolean(flags.rag, "settings/ai.flags.rag", false),
        providerReady: optionalBoolean(
          flags.provider_ready,
          "settings/ai.flags.provider_ready",
          true,
        ),
        cloudFallback,
        reports: optionalBoolean(flags.reports, "settings/ai.flags.reports", false),
      },
    },
  };
}
