import {
  Env,
  readBool,
  readInt,
  readNumber,
  readSecret,
  readString,
  readUrl,
  readUrlList,
} from "./envValues";

/**
 * The functions' deployment-wide settings, read from environment variables (firebase-functions
 * params in production; `functions/.env` and `.env.local` in the emulator and `npm run dev`).
 * Defaults live here once; `params.ts` declares the same names for `firebase deploy`.
 */
export const RUNTIME_DEFAULTS = {
  LLM_STUDIO_ENABLED: true,
  LLM_STUDIO_URL: "http://localhost:1234",
  LLM_TIMEOUT_MS: 30_000,
  LLM_CONCURRENCY: 2,
  LLM_MAX_ATTEMPTS: 3,
  CONTEXT_MESSAGES: 20,
  CONTEXT_CHAR_BUDGET: 12_000,
  OPENAI_BASE_URL: "https://api.openai.com/v1",
  LLM_STUDIO_MODEL: "gpt-oss-20b",
  BREAKER_FAILURES: 5,
  BREAKER_COOLDOWN_MS: 30_000,
  LLM_RETRY_BASE_DELAY_MS: 500,
  HEALTH_CACHE_MS: 10_000,
  HEALTH_PROBE_TIMEOUT_MS: 3_000,
  // gpt-4o-mini's published prices, USD per million tokens.
  CLOUD_PRICE_INPUT_PER_MTOK: 0.15,
  CLOUD_PRICE_OUTPUT_PER_MTOK: 0.6,
} as const;

export interface LmStudioConfig {
  enabled: boolean;
  /** One or more OpenAI-compatible base URLs, each ending in /v1. */
  baseUrls: string[];
  apiKey?: string;
}

export interface OpenAiConfig {
  /** OpenAI is available only when a key is set. */
  apiKey?: string;
  baseUrl: string;
}

export interface RuntimeConfig {
  lmStudio: LmStudioConfig;
  openai: OpenAiConfig;
  /** Bound on one provider attempt, from request to last byte. */
  timeoutMs: number;
  /** Model calls in flight at once per function instance. */
  concurrency: number;
  /** Attempts per provider, the first included. */
  maxAttempts: number;
  contextMessages: number;
  /** Characters of system prompt plus conversation sent to the model. */
  contextCharBudget: number;
  /** The model the connection check looks for when no workspace names one. */
  lmStudioModel: string;
  breaker: { failureThreshold: number; cooldownMs: number };
  /** First retry delay; doubles on each retry, with jitter. */
  retryBaseDelayMs: number;
  health: { cacheMs: number; probeTimeoutMs: number };
  /** What the cloud would have charged, for the cost-avoided metric. USD per million tokens. */
  cloudPrices: { inputPerMTok: number; outputPerMTok: number };
}

/** Validates every variable at once; throws `invalid_config` naming the first bad one. */
export function parseRuntimeConfig(env: Env): RuntimeConfig {
  const d = RUNTIME_DEFAULTS;
  return {
    lmStudio: {
      enabled: readBool(env, "LLM_STUDIO_ENABLED", d.LLM_STUDIO_ENABLED),
      baseUrls: readUrlList(env, "LLM_STUDIO_URL", d.LLM_STUDIO_URL),
      apiKey: readSecret(env, "LLM_STUDIO_API_KEY"),
    },
    openai: {
      apiKey: readSecret(env, "OPENAI_API_KEY"),
      baseUrl: readUrl(env, "OPENAI_BASE_URL", d.OPENAI_BASE_URL),
    },
    timeoutMs: readInt(env, "LLM_TIMEOUT_MS", {
      default: d.LLM_TIMEOUT_MS,
      min: 100,
      max: 600_000,
    }),
    concurrency: readInt(env, "LLM_CONCURRENCY", { default: d.LLM_CONCURRENCY, min: 1, max: 64 }),
    maxAttempts: readInt(env, "LLM_MAX_ATTEMPTS", { default: d.LLM_MAX_ATTEMPTS, min: 1, max: 10 }),
    contextMessages: readInt(env, "CONTEXT_MESSAGES", {
      default: d.CONTEXT_MESSAGES,
      min: 1,
      max: 200,
    }),
    contextCharBudget: readInt(env, "CONTEXT_CHAR_BUDGET", {
      default: d.CONTEXT_CHAR_BUDGET,
      min: 500,
      max: 500_000,
    }),
    lmStudioModel: readString(env, "LLM_STUDIO_MODEL", d.LLM_STUDIO_MODEL),
    breaker: {
      failureThreshold: readInt(env, "BREAKER_FAILURES", {
        default: d.BREAKER_FAILURES,
        min: 1,
        max: 1000,
      }),
      cooldownMs: readInt(env, "BREAKER_COOLDOWN_MS", {
        default: d.BREAKER_COOLDOWN_MS,
        min: 10,
        max: 3_600_000,
      }),
    },
    retryBaseDelayMs: readInt(env, "LLM_RETRY_BASE_DELAY_MS", {
      default: d.LLM_RETRY_BASE_DELAY_MS,
      min: 0,
      max: 60_000,
    }),
    health: {
      cacheMs: readInt(env, "HEALTH_CACHE_MS", {
        default: d.HEALTH_CACHE_MS,
        min: 0,
        max: 600_000,
      }),
      probeTimeoutMs: readInt(env, "HEALTH_PROBE_TIMEOUT_MS", {
        default: d.HEALTH_PROBE_TIMEOUT_MS,
        min: 100,
        max: 60_000,
      }),
    },
    cloudPrices: {
      inputPerMTok: readNumber(env, "CLOUD_PRICE_INPUT_PER_MTOK", {
        default: d.CLOUD_PRICE_INPUT_PER_MTOK,
        min: 0,
        max: 1000,
      }),
      outputPerMTok: readNumber(env, "CLOUD_PRICE_OUTPUT_PER_MTOK", {
        default: d.CLOUD_PRICE_OUTPUT_PER_MTOK,
        min: 0,
        max: 1000,
      }),
    },
  };
}
