/*
 * The words every layer shares, declared once: who can answer (providers), what goes to a model
 * (chat messages), what it costs (token usage), and the states a generated result goes through.
 * The docs (docs/data-contract.md), the documents, the logs and the tests spell them exactly like this.
 */

export const PROVIDERS = ["llm_studio", "openai"] as const;
export type ProviderId = (typeof PROVIDERS)[number];

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** The server reported no usage: counted as about four characters a token. */
  estimated?: boolean;
  /** Prompt tokens the server took from its KV cache, where it says (LM Studio does not). */
  cachedPromptTokens?: number;
}

/**
 * States of a generated result (a suggestion, a request, a report) as the inbox reads them.
 * `queued` (bridge mode: waiting for the worker beside LM Studio), `generating` and `streaming`
 * are pending; the others are terminal.
 */
export const PENDING_STATUSES = ["queued", "generating", "streaming"] as const;
export const TERMINAL_STATUSES = ["ready", "error", "skipped", "superseded"] as const;
export const GENERATION_STATUSES = [...PENDING_STATUSES, ...TERMINAL_STATUSES] as const;
export type GenerationStatus = (typeof GENERATION_STATUSES)[number];
export type PendingStatus = (typeof PENDING_STATUSES)[number];

/** Whether a stored status (any value a document may hold) can still change. */
export const isPending = (status: unknown): status is PendingStatus =>
  (PENDING_STATUSES as readonly unknown[]).includes(status);

/** A status that no longer changes: set, and not pending (a result or a request that ended). */
export const hasEnded = (status: unknown): boolean => status !== undefined && !isPending(status);

/** Why an inbound message got no model call. */
export const SKIP_REASONS = ["empty_text", "unsupported_type"] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** Why a workspace gets no generation at all (and no result document). */
export type DisabledReason =
  "no_settings" | "ai_disabled" | "suggestions_disabled" | "reports_disabled";

/**
 * How a suggestion used the team's knowledge (`knowledge.status`): `used` (references went into
 * the prompt, listed in `sources`), `no_match` (nothing near enough), `unavailable` (the
 * embedding or the search failed or ran out of time: the suggestion went ahead without),
 * `not_indexed` (no chunk of the current embedding model exists), `off` (`flags.rag` is false).
 */
export const KNOWLEDGE_STATUSES = [
  "used",
  "no_match",
  "unavailable",
  "not_indexed",
  "off",
] as const;
export type KnowledgeStatus = (typeof KNOWLEDGE_STATUSES)[number];

/** An article's index state (`knowledgeIndex/{articleId}.status`). */
export const INDEX_STATUSES = ["indexing", "ready", "error"] as const;
export type IndexStatus = (typeof INDEX_STATUSES)[number];

/** Why a pending result gave way: the customer wrote again, or the agent replied without it. */
export const SUPERSEDE_REASONS = ["newer_message", "agent_replied"] as const;
export type SupersedeReason = (typeof SUPERSEDE_REASONS)[number];

/** What the agent did with a suggestion (`agentUse.outcome`), by the edit distance of their reply. */
export const AGENT_USE_OUTCOMES = ["sent_as_is", "edited", "not_used"] as const;
export type AgentUseOutcome = (typeof AGENT_USE_OUTCOMES)[number];

/** What an agent may ask of the backend (`aiRequests.kind`). */
export const AI_REQUEST_KINDS = ["regenerate", "rewrite", "report"] as const;
export type AiRequestKind = (typeof AI_REQUEST_KINDS)[number];

/**
 * The preset instructions an inbox offers as buttons (`aiRequests.instruction`); any other text
 * is a free instruction. The tones are among them: `tu`, `usted`, `vos`, `formal`, `friendly`.
 */
export const INSTRUCTION_PRESETS = [
  "shorter",
  "longer",
  "formal",
  "friendly",
  "fix_grammar",
  "usted",
  "tu",
  "vos",
  "customer_language",
] as const;
export type InstructionPreset = (typeof INSTRUCTION_PRESETS)[number];
export const TONES = [
  "tu",
  "usted",
  "vos",
  "formal",
  "friendly",
] as const satisfies readonly InstructionPreset[];
export type Tone = (typeof TONES)[number];

/** How many reply options one suggestion may hold (`suggestionOptions`, `aiRequests.options`). */
export const MAX_REPLY_OPTIONS = 3;

/** A conversation report's judgements. */
export const SENTIMENTS = ["positive", "neutral", "negative"] as const;
export type Sentiment = (typeof SENTIMENTS)[number];
export const RESOLUTIONS = ["resolved", "pending", "escalated"] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

/** A conversation `status` that makes a report (with `flags.reports`). */
export const CLOSED_STATUSES = ["closed", "resolved"] as const;

/**
 * Personal data the cloud path masks (settings/ai.privacy.kinds): contact details, cards, bank
 * accounts, the national ids of the countries the teams serve, and the customer's name.
 */
export const PERSONAL_DATA_KINDS = [
  "phone",
  "email",
  "card",
  "dni",
  "nie",
  "cuit",
  "rut",
  "cpf",
  "curp",
  "cbu",
  "iban",
  "name",
] as const;
export type PersonalDataKind = (typeof PERSONAL_DATA_KINDS)[number];

/** The embedding model LM Studio ships with (Nomic Embed Text v1.5, 768 dimensions). */
export const DEFAULT_EMBEDDING_MODEL = "text-embedding-nomic-embed-text-v1.5";

/** Countries whose phone and national-id formats the masking knows (settings/ai.privacy.countries). */
export const PRIVACY_COUNTRIES = ["AR", "BR", "CL", "ES", "MX", "UY"] as const;
export type PrivacyCountry = (typeof PRIVACY_COUNTRIES)[number];
