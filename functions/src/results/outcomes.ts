import { type Language } from "../core/language";
import { configuredSecrets, type Env } from "../config/envValues";
import { parseRuntimeConfig, type RuntimeConfig } from "../config/runtimeConfig";
import { GenerationError, hintFor } from "../core/errorCodes";
import { safeMessage } from "../core/safeText";
import { planProviderChain } from "../providers/fallbackPolicy";
import type { ModelRequest, RouterResult } from "../providers/providerRouter";
import { CounterTree, generationMetricsDelta } from "../metrics/generationMetrics";
import type { GenerationOutcome } from "./generationOutcome";

/**
 * The error as it is stored, logged and shown to members: a server may echo our API key or a
 * 2 MB body, and a mistyped URL may carry credentials. The hint is in the team's language.
 */
export function errorOutcome(
  error: GenerationError,
  env: Env,
  language: Language,
  extra: Partial<GenerationOutcome & { status: "error" }> = {},
): GenerationOutcome {
  return {
    status: "error",
    code: error.code,
    message: safeMessage(error.message, configuredSecrets(env)),
    hint: hintFor(error.code, language),
    attempts: 0,
    latencyMs: 0,
    ...extra,
  };
}

/** The router's answer or classified failure as an outcome. */
export function routerOutcome(
  result: RouterResult,
  env: Env,
  language: Language,
  firstTextMs: number | undefined,
): GenerationOutcome {
  if (result.ok) {
    return {
      status: "ready",
      answer: result.answer,
      ...(firstTextMs !== undefined ? { firstTextMs } : {}),
    };
  }
  return errorOutcome(result.error, env, language, {
    attempts: result.attempts,
    latencyMs: result.latencyMs,
    provider: result.provider,
    model: result.model,
    fallbackFrom: result.fallbackFrom,
  });
}

/** What an outcome adds to the daily metrics, with the workspace's configured models as keys. */
export function metricsFor(
  outcome: GenerationOutcome,
  config: RuntimeConfig | undefined,
  request: ModelRequest | undefined,
  metricsKey?: string,
): CounterTree {
  // Without a valid runtime (an invalid_config outcome), the documented default prices.
  const prices = (config ?? parseRuntimeConfig({})).cloudPrices;
  const models =
    config && request
      ? planProviderChain(request.settings, config, request.model).map((step) => step.model)
      : [];
  const counters = generationMetricsDelta(outcome, prices, new Set(models));
  // Other tasks count apart, so the suggestions' numbers (and acceptance) stay their own.
  return metricsKey ? { byTask: { [metricsKey]: counters } } : counters;
}
