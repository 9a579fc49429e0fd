import { CLOUD_FUNCTIONS_REGIONS } from "./cloudFunctionsRegions";
// From the vocabulary, not the settings reader: this module loads at every cold start, zod not.
import { DEFAULT_EMBEDDING_MODEL } from "../core/vocabulary";

/*
 * Every environment variable the functions and the local tools read, declared once: its name,
 * type, default, bounds and meaning. `runtimeConfig.ts` parses and validates the environment
 * with it, `functionSecrets.ts` declares its secrets (the only firebase-functions params),
 * `npm run deploy:check-env` validates functions/.env with it before a deploy, and
 * `npm run env:example` writes functions/.env.example from it.
 */

interface Described {
  description: string;
  /** Older names still read when this one is unset, so existing .env files keep working. */
  aliases?: readonly string[];
  /** Local tools only (`npm run dev`): the deployed functions never read it. */
  localOnly?: boolean;
}

export type EnvVarSpec = Described &
  (
    | { kind: "boolean"; default: boolean }
    | { kind: "int"; default: number; min: number; max: number }
    | { kind: "number"; default: number; min: number; max: number }
    | { kind: "string"; default: string }
    | { kind: "choice"; default: string; choices: readonly string[] }
    | { kind: "url"; default: string }
    | { kind: "urlList"; default: string }
    | { kind: "secret" }
  );

export const ENV_SPEC = {
  FUNCTIONS_REGION: {
    kind: "choice",
    default: "auto",
    choices: ["auto", ...CLOUD_FUNCTIONS_REGIONS],
    description:
      "The region every function runs in: the Firestore database's location, or for a multi-region one a region inside it (nam5: us-central1, eur3: europe-west1); auto = Firebase's placement (Firestore triggers where the database is, the HTTP and scheduled functions in us-central1)",
  },
  LLM_STUDIO_ENABLED: {
    kind: "boolean",
    default: true,
    description: "LM Studio provider on/off",
  },
  LLM_STUDIO_URL: {
    kind: "urlList",
    default: "http://localhost:1234",
    description: "LM Studio server(s), comma-separated; with or without /v1",
  },
  LLM_STUDIO_MODE: {
    kind: "choice",
    default: "direct",
    choices: ["direct", "bridge"],
    description:
      "direct: the functions call LM Studio; bridge: they queue jobs for npm run bridge on the LM Studio PC",
  },
  BRIDGE_HEARTBEAT_MS: {
    kind: "int",
    default: 5_000,
    min: 100,
    max: 60_000,
    description: "How often a bridge renews its job leases and its presence",
  },
  BRIDGE_HOME_GRACE_MS: {
    kind: "int",
    default: 1_000,
    min: 0,
    max: 60_000,
    description:
      "How long another bridge leaves a conversation's job to its home bridge (whose LM Studio cache holds it) before taking it",
  },
  BRIDGE_PICKUP_MS: {
    kind: "int",
    default: 20_000,
    min: 1_000,
    max: 600_000,
    description: "A job no bridge picked up in this time falls back to OpenAI or fails",
  },
  LLM_STUDIO_API_KEY: {
    kind: "secret",
    description: 'LM Studio API token ("Require Authentication"); none = no auth',
  },
  LLM_STUDIO_CHECK_MODEL: {
    kind: "string",
    default: "gpt-oss-20b",
    aliases: ["LLM_STUDIO_MODEL"],
    description:
      "The model llm:check, the health details and the demo use; workspaces choose theirs in settings/ai",
  },
  LLM_STUDIO_CHECK_EMBEDDING_MODEL: {
    kind: "string",
    default: DEFAULT_EMBEDDING_MODEL,
    localOnly: true,
    description:
      "The embedding model llm:check tests (none = skip); workspaces choose theirs in settings/ai.tasks.embeddings.model",
  },
  LLM_TIMEOUT_MS: {
    kind: "int",
    default: 30_000,
    min: 100,
    max: 600_000,
    description: "One model attempt, request to last byte",
  },
  LLM_CONCURRENCY: {
    kind: "int",
    default: 2,
    min: 1,
    max: 64,
    description: "Model calls in flight per function instance and server",
  },
  LLM_MAX_ATTEMPTS: {
    kind: "int",
    default: 3,
    min: 1,
    max: 10,
    description: "Attempts per provider for transient failures, the first included",
  },
  LLM_RETRY_BASE_DELAY_MS: {
    kind: "int",
    default: 500,
    min: 0,
    max: 60_000,
    description: "First retry delay; doubles each retry, with jitter",
  },
  BREAKER_FAILURES: {
    kind: "int",
    default: 5,
    min: 1,
    max: 1000,
    description: "Consecutive failures that open a server's circuit breaker",
  },
  BREAKER_COOLDOWN_MS: {
    kind: "int",
    default: 30_000,
    min: 10,
    max: 3_600_000,
    description: "How long an open breaker refuses requests before one probe",
  },
  CONTEXT_MESSAGES: {
    kind: "int",
    default: 20,
    min: 1,
    max: 200,
    description: "Newest messages read for a suggestion's prompt",
  },
  CONTEXT_CHAR_BUDGET: {
    kind: "int",
    default: 12_000,
    min: 500,
    max: 500_000,
    description: "Prompt size bound in characters",
  },
  STREAM_SUGGESTIONS: {
    kind: "boolean",
    default: true,
    description: "Stream answers into the suggestion as they arrive (status streaming)",
  },
  STREAM_FLUSH_MS: {
    kind: "int",
    default: 400,
    min: 50,
    max: 10_000,
    description: "At most one streaming write per suggestion per this many ms",
  },
  BURST_WINDOW_MS: {
    kind: "int",
    default: 1_500,
    min: 0,
    max: 10_000,
    description: "Wait for a customer's next message this long before calling the model",
  },
  AI_REQUESTS_PER_MEMBER_PER_DAY: {
    kind: "int",
    default: 200,
    min: 0,
    max: 100_000,
    description: "Regenerate and rewrite requests one member may make per UTC day",
  },
  REPORT_PAGE_SIZE: {
    kind: "int",
    default: 200,
    min: 10,
    max: 1_000,
    description: "Messages read per page when a report reads a whole conversation",
  },
  REPORT_CHAR_BUDGET: {
    kind: "int",
    default: 24_000,
    min: 4_000,
    max: 500_000,
    description:
      "Characters one report prompt may hold; longer conversations are summarised in chunks",
  },
  REPORT_MAX_MESSAGES: {
    kind: "int",
    default: 5_000,
    min: 10,
    max: 100_000,
    description: "A report covers at most this many of the newest messages",
  },
  RAG_CHUNK_CHARS: {
    kind: "int",
    default: 1_200,
    // 100,000 characters in chunks of at least 500 (250 new each) stay within one transaction.
    min: 500,
    max: 6_000,
    description: "Knowledge articles are split into chunks of about this many characters",
  },
  RAG_CHUNK_OVERLAP: {
    kind: "int",
    default: 150,
    min: 0,
    max: 2_000,
    description:
      "Characters a chunk repeats from the end of the one before (less than RAG_CHUNK_CHARS / 2)",
  },
  RAG_EMBED_BATCH: {
    kind: "int",
    default: 32,
    min: 1,
    max: 256,
    description: "Texts per /v1/embeddings call when indexing",
  },
  RAG_TOP_K: {
    kind: "int",
    default: 4,
    min: 1,
    max: 20,
    description: "Knowledge chunks at most in a suggestion's prompt (2 per article)",
  },
  RAG_CHAR_BUDGET: {
    kind: "int",
    default: 3_000,
    min: 200,
    max: 100_000,
    description: "Characters of knowledge at most in a suggestion's prompt",
  },
  RAG_MAX_DISTANCE: {
    kind: "number",
    default: 0.5,
    // The SDK drops a threshold of 0 (it tests it for truthiness): that would match everything.
    min: 0.01,
    max: 2,
    description: "Cosine distance (1 - similarity) above which a chunk is not a match",
  },
  RAG_TIMEOUT_MS: {
    kind: "int",
    default: 2_000,
    min: 100,
    max: 60_000,
    description:
      "Bound on a suggestion's knowledge lookup (embedding + search); past it, no knowledge",
  },
  OPENAI_API_KEY: {
    kind: "secret",
    description: "Enables the OpenAI provider, as primary or fallback; none = off",
  },
  OPENAI_BASE_URL: {
    kind: "url",
    default: "https://api.openai.com/v1",
    description: "Any OpenAI-compatible endpoint",
  },
  HEALTH_CACHE_MS: {
    kind: "int",
    default: 10_000,
    min: 0,
    max: 600_000,
    description: "How long the health endpoint reuses a probe",
  },
  HEALTH_PROBE_TIMEOUT_MS: {
    kind: "int",
    default: 3_000,
    min: 100,
    max: 60_000,
    description: "The health probe's bound per server",
  },
  // gpt-4o-mini's published prices, USD per million tokens.
  CLOUD_PRICE_INPUT_PER_MTOK: {
    kind: "number",
    default: 0.15,
    min: 0,
    max: 1000,
    description: "USD per million prompt tokens, for costAvoidedUsd",
  },
  CLOUD_PRICE_OUTPUT_PER_MTOK: {
    kind: "number",
    default: 0.6,
    min: 0,
    max: 1000,
    description: "USD per million completion tokens, for costAvoidedUsd",
  },
  LOG_LEVEL: {
    kind: "choice",
    default: "info",
    choices: ["debug", "info", "warn", "error", "silent"],
    description: "Log threshold; DEBUG=llm_studio:* also enables debug",
  },
  DEV_FIRESTORE_EMULATOR: {
    kind: "choice",
    default: "auto",
    choices: ["auto", "official", "embedded"],
    localOnly: true,
    description:
      "Which Firestore emulator the local tools and tests start when FIRESTORE_EMULATOR_HOST is unset: auto = the official one (gcloud component + Java) if installed, else the embedded one",
  },
  DEV_FIRESTORE_PORT: {
    kind: "int",
    default: 8080,
    min: 0,
    max: 65_535,
    localOnly: true,
    description: "npm run dev's Firestore emulator port, as in firebase.json (0 = any free port)",
  },
  DEV_PROBE_INTERVAL_MS: {
    kind: "int",
    default: 5_000,
    min: 100,
    max: 600_000,
    localOnly: true,
    description: "How often npm run dev checks LM Studio, to reprint its line when it changes",
  },
  DEV_HEALTH_PORT: {
    kind: "int",
    default: 5050,
    min: 0,
    max: 65_535,
    localOnly: true,
    description: "Where npm run dev serves the health endpoint",
  },
} as const satisfies Record<string, EnvVarSpec>;

export type EnvVarName = keyof typeof ENV_SPEC;
