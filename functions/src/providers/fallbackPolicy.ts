import type { RuntimeConfig } from "../config/runtimeConfig";
import type { ProviderId, WorkspaceAiSettings } from "../config/workspaceAiSettings";
import type { ErrorCode, SuggestionError } from "../errors/errorCodes";

/*
 * How we decide to fall back, in one place: which providers a workspace's suggestion may try, in
 * which order, with which model; and which failures hand over to the next one.
 */

/** OpenAI's small model, the team's guide's choice for the cloud backup. */
export const DEFAULT_OPENAI_FALLBACK_MODEL = "gpt-4o-mini";

export interface ProviderStep {
  provider: ProviderId;
  model: string;
}

/**
 * The primary provider from the settings, then the other one where it can serve: OpenAI when a
 * key is set and the workspace allows its conversations in the cloud (`flags.cloud_fallback`),
 * LM Studio when enabled and the workspace names a `fallbackModel` for it.
 */
export function planProviderChain(
  settings: WorkspaceAiSettings,
  config: RuntimeConfig,
): ProviderStep[] {
  const primary: ProviderStep = { provider: settings.provider, model: settings.defaultModel };
  if (settings.provider === "llm_studio") {
    if (!config.openai.apiKey || !settings.flags.cloudFallback) return [primary];
    return [
      primary,
      { provider: "openai", model: settings.fallbackModel ?? DEFAULT_OPENAI_FALLBACK_MODEL },
    ];
  }
  if (!config.lmStudio.enabled || !settings.fallbackModel) return [primary];
  return [primary, { provider: "llm_studio", model: settings.fallbackModel }];
}

/**
 * Provider-side failures hand over to the fallback: the server is down, slow, overloaded, lacks
 * the model, refuses our credentials, or is switched off. Failures of our own request or
 * settings (invalid_config, a 400, a prompt too long) would fail the same way anywhere.
 */
const FALLBACK_CODES: ReadonlySet<ErrorCode> = new Set([
  "provider_unreachable",
  "provider_timeout",
  "provider_rate_limited",
  "model_not_found",
  "provider_auth",
  "no_provider",
]);

export function allowsFallback(error: SuggestionError): boolean {
  if (FALLBACK_CODES.has(error.code)) return true;
  // provider_error: a 5xx (or an error inside a stream, which has no status) is the server's;
  // another 4xx is about our request.
  return (
    error.code === "provider_error" &&
    (error.details.status === undefined || error.details.status >= 500)
  );
}

/** Failures that say the server is unwell and count towards opening its circuit breaker. */
export function countsAgainstServer(error: SuggestionError): boolean {
  return (
    error.code === "provider_unreachable" ||
    error.code === "provider_timeout" ||
    error.code === "provider_rate_limited" ||
    error.code === "provider_auth" ||
    (error.code === "provider_error" && error.retryable)
  );
}
