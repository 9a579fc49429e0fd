import { invalidConfig } from "../core/errorCodes";
import { readEnv, type Env } from "./envValues";

/**
 * The functions' deployment-wide settings, read from environment variables (`functions/.env`
 * and `.env.<projectId>`, uploaded by `firebase deploy`, and the secrets bound to the function;
 * the same files and `.env.local` in the emulator and `npm run dev`).
 * Names, defaults and bounds live in `envSpec.ts`.
 */

export interface LmStudioConfig {
  enabled: boolean;
  /** `bridge`: the functions queue jobs and a worker beside LM Studio runs them. */
  mode: "direct" | "bridge";
  /**
   * Set only where this process cannot reach LM Studio at all (the cloud side of bridge mode):
   * the failure LM Studio counts as, so that the router falls back to OpenAI with it.
   */
  unreachable?: { code: "bridge_offline"; message: string };
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
  /** Stream answers into the result document; at most one write per `streamFlushMs`. */
  streaming: boolean;
  streamFlushMs: number;
  /** How long a customer's message waits for the next one before the model is asked. */
  burstWindowMs: number;
  /** Conversation reports: page size, prompt budget in characters, newest messages covered. */
  report: { pageSize: number; charBudget: number; maxMessages: number };
  /** Bridge mode: how often bridges renew leases and presence; how long a job may wait. */
  bridge: { heartbeatMs: number; pickupMs: number; homeGraceMs: number };
  /** Agent requests (regenerate, rewrite) one member may make per UTC day. */
  requestsPerMemberPerDay: number;
  /** The model the connection check, health details and demo use (not the workspaces' model). */
  checkModel: string;
  /** The embedding model `npm run llm:check` tests; `none` skips that check. */
  checkEmbeddingModel: string;
  breaker: { failureThreshold: number; cooldownMs: number };
  /** Knowledge-grounded suggestions: chunking, embedding batches, retrieval bounds. */
  knowledge: KnowledgeConfig;
  /** First retry delay; doubles on each retry, with jitter. */
  retryBaseDelayMs: number;
  health: { cacheMs: number; probeTimeoutMs: number };
  /** What the cloud would have charged, for the cost-avoided metric. USD per million tokens. */
  cloudPrices: { inputPerMTok: number; outputPerMTok: number };
}

export interface KnowledgeConfig {
  chunkChars: number;
  chunkOverlap: number;
  embedBatch: number;
  topK: number;
  charBudget: number;
  maxDistance: number;
  timeoutMs: number;
}

function readKnowledgeConfig(env: Env): KnowledgeConfig {
  const chunkChars = readEnv(env, "RAG_CHUNK_CHARS");
  const chunkOverlap = readEnv(env, "RAG_CHUNK_OVERLAP");
  // An overlap of half a chunk or more would make every chunk mostly a copy of the one before.
  if (chunkOverlap * 2 >= chunkChars) {
    throw invalidConfig(
      `RAG_CHUNK_OVERLAP must be less than half of RAG_CHUNK_CHARS (${chunkChars}); got ${chunkOverlap}.`,
    );
  }
  return {
    chunkChars,
    chunkOverlap,
    embedBatch: readEnv(env, "RAG_EMBED_BATCH"),
    topK: readEnv(env, "RAG_TOP_K"),
    charBudget: readEnv(env, "RAG_CHAR_BUDGET"),
    maxDistance: readEnv(env, "RAG_MAX_DISTANCE"),
    timeoutMs: readEnv(env, "RAG_TIMEOUT_MS"),
  };
}

/** Validates every variable at once; throws `invalid_config` naming the first bad one. */
export function parseRuntimeConfig(env: Env): RuntimeConfig {
  return {
    lmStudio: {
      enabled: readEnv(env, "LLM_STUDIO_ENABLED"),
      mode: readEnv(env, "LLM_STUDIO_MODE") as LmStudioConfig["mode"],
      baseUrls: readEnv(env, "LLM_STUDIO_URL"),
      apiKey: readEnv(env, "LLM_STUDIO_API_KEY"),
    },
    openai: {
      apiKey: readEnv(env, "OPENAI_API_KEY"),
      baseUrl: readEnv(env, "OPENAI_BASE_URL"),
    },
    timeoutMs: readEnv(env, "LLM_TIMEOUT_MS"),
    concurrency: readEnv(env, "LLM_CONCURRENCY"),
    maxAttempts: readEnv(env, "LLM_MAX_ATTEMPTS"),
    contextMessages: readEnv(env, "CONTEXT_MESSAGES"),
    contextCharBudget: readEnv(env, "CONTEXT_CHAR_BUDGET"),
    checkModel: readEnv(env, "LLM_STUDIO_CHECK_MODEL"),
    checkEmbeddingModel: readEnv(env, "LLM_STUDIO_CHECK_EMBEDDING_MODEL"),
    streaming: readEnv(env, "STREAM_SUGGESTIONS"),
    streamFlushMs: readEnv(env, "STREAM_FLUSH_MS"),
    burstWindowMs: readEnv(env, "BURST_WINDOW_MS"),
    requestsPerMemberPerDay: readEnv(env, "AI_REQUESTS_PER_MEMBER_PER_DAY"),
    bridge: {
      heartbeatMs: readEnv(env, "BRIDGE_HEARTBEAT_MS"),
      pickupMs: readEnv(env, "BRIDGE_PICKUP_MS"),
      homeGraceMs: readEnv(env, "BRIDGE_HOME_GRACE_MS"),
    },
    report: {
      pageSize: readEnv(env, "REPORT_PAGE_SIZE"),
      charBudget: readEnv(env, "REPORT_CHAR_BUDGET"),
      maxMessages: readEnv(env, "REPORT_MAX_MESSAGES"),
    },
    breaker: {
      failureThreshold: readEnv(env, "BREAKER_FAILURES"),
      cooldownMs: readEnv(env, "BREAKER_COOLDOWN_MS"),
    },
    knowledge: readKnowledgeConfig(env),
    retryBaseDelayMs: readEnv(env, "LLM_RETRY_BASE_DELAY_MS"),
    health: {
      cacheMs: readEnv(env, "HEALTH_CACHE_MS"),
      probeTimeoutMs: readEnv(env, "HEALTH_PROBE_TIMEOUT_MS"),
    },
    cloudPrices: {
      inputPerMTok: readEnv(env, "CLOUD_PRICE_INPUT_PER_MTOK"),
      outputPerMTok: readEnv(env, "CLOUD_PRICE_OUTPUT_PER_MTOK"),
    },
  };
}
