import { defineBoolean, defineInt, defineSecret, defineString } from "firebase-functions/params";
import { RUNTIME_DEFAULTS as d } from "./runtimeConfig";

/*
 * Declared so `firebase deploy` asks for (or takes the defaults of) every variable and the
 * secrets get bound to the functions. The code reads the resulting environment through
 * parseRuntimeConfig, which validates each value and names the field when one is wrong.
 */
export const llmStudioEnabled = defineBoolean("LLM_STUDIO_ENABLED", {
  default: d.LLM_STUDIO_ENABLED,
});
export const llmStudioUrl = defineString("LLM_STUDIO_URL", {
  default: d.LLM_STUDIO_URL,
  description: "LM Studio server(s), comma-separated; with or without /v1",
});
export const llmTimeoutMs = defineInt("LLM_TIMEOUT_MS", { default: d.LLM_TIMEOUT_MS });
export const llmConcurrency = defineInt("LLM_CONCURRENCY", { default: d.LLM_CONCURRENCY });
export const llmMaxAttempts = defineInt("LLM_MAX_ATTEMPTS", { default: d.LLM_MAX_ATTEMPTS });
export const contextMessages = defineInt("CONTEXT_MESSAGES", { default: d.CONTEXT_MESSAGES });
export const contextCharBudget = defineInt("CONTEXT_CHAR_BUDGET", {
  default: d.CONTEXT_CHAR_BUDGET,
});
export const llmRetryBaseDelayMs = defineInt("LLM_RETRY_BASE_DELAY_MS", {
  default: d.LLM_RETRY_BASE_DELAY_MS,
});
export const breakerFailures = defineInt("BREAKER_FAILURES", { default: d.BREAKER_FAILURES });
export const breakerCooldownMs = defineInt("BREAKER_COOLDOWN_MS", {
  default: d.BREAKER_COOLDOWN_MS,
});
export const healthCacheMs = defineInt("HEALTH_CACHE_MS", { default: d.HEALTH_CACHE_MS });
export const healthProbeTimeoutMs = defineInt("HEALTH_PROBE_TIMEOUT_MS", {
  default: d.HEALTH_PROBE_TIMEOUT_MS,
});
export const cloudPriceInput = defineString("CLOUD_PRICE_INPUT_PER_MTOK", {
  default: String(d.CLOUD_PRICE_INPUT_PER_MTOK),
});
export const cloudPriceOutput = defineString("CLOUD_PRICE_OUTPUT_PER_MTOK", {
  default: String(d.CLOUD_PRICE_OUTPUT_PER_MTOK),
});
export const openAiBaseUrl = defineString("OPENAI_BASE_URL", { default: d.OPENAI_BASE_URL });

/** Set to `none` when LM Studio's "Require Authentication" is off. */
export const llmStudioApiKey = defineSecret("LLM_STUDIO_API_KEY");
/** Set to `none` to run without the OpenAI provider. */
export const openAiApiKey = defineSecret("OPENAI_API_KEY");

export const functionSecrets = [llmStudioApiKey, openAiApiKey];
