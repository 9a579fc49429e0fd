import type { ErrorCode } from "../core/errorCodes";
import type {
  AgentUseOutcome,
  AiRequestKind,
  GenerationStatus,
  KnowledgeStatus,
  PersonalDataKind,
  PrivacyCountry,
  ProviderId,
  Resolution,
  Sentiment,
  SkipReason,
  SupersedeReason,
  TokenUsage,
} from "../core/vocabulary";

/*
 * The documents an inbox reads and writes (docs/data-contract.md), declared once for both sides:
 * the backend writes its results through these types (results/resultDocument.ts,
 * tasks/replySuggestion, tasks/conversationReport) and reads the client's through them
 * (requests/aiRequest, config/workspaceAiSettings), and the inbox kit (functions/inbox-kit)
 * publishes them to frontends. They live in functions/ because `firebase deploy` uploads only
 * functions/; the kit bundles them at its build.
 *
 * `Time` is the SDK's timestamp: firebase-admin's on the backend, the web SDK's in the inbox.
 * Nothing here imports an SDK, so the kit's types need none but the web SDK it runs on.
 */

/**
 * A stored document as a reader meets it: any of its fields, each of any value until validated.
 * Reading through it, a misspelled field name fails to compile.
 */
export type StoredFields<D> = { [K in keyof D]?: unknown };

/** `{ code, message, hint }` on a result that ended in `error`; the hint in the team's language. */
export interface StoredError {
  code: ErrorCode;
  message: string;
  hint: string;
}

/** One help-center article a grounded suggestion drew on, in prompt order. */
export interface SuggestionSource {
  articleId: string;
  title: string;
  url?: string;
  /** Cosine distance: 0 is the same meaning. */
  distance: number;
}

export interface SuggestionKnowledgeUse {
  status: KnowledgeStatus;
  ms: number;
  model?: string;
  code?: ErrorCode;
}

export interface AgentUse {
  outcome: AgentUseOutcome;
  similarity: number;
  outboundMessageId: string;
}

export interface ReplyOption {
  text: string;
}

/**
 * What a suggestion records of its prompt (`prompt` on the suggestion): where its history window
 * began, its size, and a fingerprint of each message's prefix, so that the next prompt keeps the
 * window's start and can tell how much of it repeats this one's beginning.
 */
export interface PromptTrace {
  /** The first conversation message in the prompt. */
  fromMessageId: string;
  /** Characters of the prompt's messages. */
  chars: number;
  /** Characters at the start identical to the conversation's previous prompt (whole messages). */
  reusedChars: number;
  /** Per message: a hash of the prompt up to and including it, and its length so far. */
  prefixes: { hash: string; chars: number }[];
  /** The team note of knowledge references that followed the customer's newest words. */
  note?: ReferenceNote;
  /**
   * The customer messages whose reference notes the prompt holds after their words, oldest
   * first: the next prompt of the same window repeats them there, byte for byte.
   */
  notedMessageIds?: string[];
}

/**
 * A team note of knowledge references as a prompt sent it: its text, and the chunks it gave in
 * full with their numbers, so that a later note of the same window cites them instead.
 */
export interface ReferenceNote {
  text: string;
  refs: { key: string; n: number }[];
}

/** The fields every generated result has (a suggestion, an answered request, a report). */
export interface GeneratedResultFields<Time> {
  status: GenerationStatus;
  createdAt: Time;
  updatedAt: Time;
  completedAt?: Time;
  deadlineAt?: Time;
  /** The backend's own: which invocation holds the claim. */
  claimToken: string;
  claims: number;
  text?: string;
  provider?: ProviderId | null;
  model?: string | null;
  fallbackFrom?: { provider: ProviderId; code: ErrorCode };
  usage?: TokenUsage | null;
  finishReason?: string | null;
  truncated?: boolean;
  firstTextMs?: number;
  latencyMs?: number;
  attempts?: number;
  error?: StoredError;
  /** `skipped`: a SkipReason; `superseded`: a SupersedeReason. */
  reason?: SkipReason | SupersedeReason;
  detail?: string;
  supersededBy?: string;
  /** Personal data masked before the answering provider saw the prompt; counts, never values. */
  privacy?: PrivacyUse;
}

/** What the masking did on one model call (docs/privacy.md). */
export interface PrivacyUse {
  /** Distinct values masked, by kind. */
  masked: Partial<Record<PersonalDataKind, number>>;
  /** Placeholders in the answer that stood for no masked value: shown as a blank (`___`). */
  unresolved: number;
}

/** `…/conversations/{conversationId}/suggestions/{messageId}`: one per customer message. */
export interface SuggestionDocument<Time = unknown> extends GeneratedResultFields<Time> {
  messageId: string;
  conversationId: string;
  workspaceId: string;
  messageCreatedAt?: Time;
  /** 1 for the first suggestion, +1 each regenerate. */
  version: number;
  requestId?: string;
  options?: ReplyOption[];
  optionsFallback?: boolean;
  agentUse?: AgentUse;
  knowledge?: SuggestionKnowledgeUse;
  sources?: SuggestionSource[];
  /** The prompt's history window and how much of it repeated the previous prompt's start. */
  prompt?: PromptTrace;
}

/** What a report's model judged, as the schema checks it (tasks/conversationReport/reportSchema.ts). */
export interface ReportJudgement {
  summary: string;
  customerIntent: string;
  sentiment: Sentiment;
  resolution: Resolution;
  nextSteps: string[];
  topics: string[];
  language: string;
}

/** `…/conversations/{conversationId}/reports/{reportId}`. */
export interface ReportDocument<Time = unknown>
  extends GeneratedResultFields<Time>, Partial<ReportJudgement> {
  workspaceId: string;
  conversationId: string;
  /** `true`: the judgement's fields came as JSON that passed the schema. */
  structured?: boolean;
  coverage?: {
    messages: number;
    firstMessageAt: Time | null;
    lastMessageAt: Time | null;
    truncated: boolean;
  };
  modelCalls?: number;
  documentsRead?: number;
  trigger?: "close" | "request";
  requestId?: string;
}

/** What an agent writes to ask (`…/aiRequests/{requestId}`); firestore.rules allow exactly this. */
export type AiRequestCreate<Time = unknown> = {
  requestedBy: string;
  createdAt: Time;
} & (
  | {
      kind: Extract<AiRequestKind, "regenerate">;
      messageId: string;
      instruction?: string;
      options?: number;
    }
  | { kind: Extract<AiRequestKind, "rewrite">; draft: string; instruction: string }
  | { kind: Extract<AiRequestKind, "report"> }
);

/** What the backend adds to a request besides the result fields. */
export interface AiRequestAnswer {
  /** regenerate: the suggestion generated again, and its new version. */
  suggestionId?: string;
  version?: number;
  /** report: the report written. */
  reportId?: string | null;
}

/** The request as the backend answers it, on the same document. */
export type AiRequestDocument<Time = unknown> = AiRequestCreate<Time> &
  Partial<GeneratedResultFields<Time>> &
  AiRequestAnswer;

/** `…/conversations/{conversationId}/messages/{messageId}`. */
export interface MessageDocument<Time = unknown> {
  direction: "inbound" | "outbound";
  /** Default `text`; other types get no suggestion. */
  type?: string;
  text: string;
  createdAt: Time;
  /** Outbound: the sending agent's uid. */
  authorId?: string;
  /** Outbound: the suggestion the agent started from. */
  suggestionId?: string;
}

/** What an agent writes to reply; firestore.rules allow exactly this. */
export type OutboundMessageCreate<Time = unknown> = Required<
  Pick<MessageDocument<Time>, "text" | "createdAt" | "authorId">
> & { direction: "outbound"; type?: "text"; suggestionId?: string };

/** `workspaces/{workspaceId}/conversations/{conversationId}`: what the backend reads of it. */
export interface ConversationDocument {
  customerName?: string;
  customer?: { name?: string };
  channel?: string;
  locale?: string;
  /** `closed` or `resolved` makes a report (with `flags.reports`). */
  status?: string;
}

interface TaskModelFields {
  model?: string;
  temperature?: number;
  maxTokens?: number;
}

/** `workspaces/{workspaceId}/settings/ai` as stored; config/workspaceAiSettings.ts validates it. */
export interface AiSettingsDocument {
  ai_enabled?: boolean;
  provider?: ProviderId;
  defaultModel?: string;
  fallbackModel?: string;
  temperature?: number;
  maxTokens?: number;
  flags?: {
    suggestions?: boolean;
    cloud_fallback?: boolean;
    reports?: boolean;
    rag?: boolean;
    provider_ready?: boolean;
  };
  rollout?: { llm_studio?: number };
  tasks?: {
    suggestions?: TaskModelFields;
    reports?: TaskModelFields;
    embeddings?: { model?: string };
  };
  suggestionOptions?: number;
  locale?: string;
  /** What a request to a cloud provider may carry (docs/privacy.md). */
  privacy?: {
    /** Mask personal data before a cloud provider sees it (default true). */
    mask_cloud?: boolean;
    /** Mask it for LM Studio too (default false: it stays on the team's network). */
    mask_local?: boolean;
    /** Which kinds (default all). */
    kinds?: PersonalDataKind[];
    /** Whose phone and id formats (default all known, the locale's country first). */
    countries?: PrivacyCountry[];
    /** Codes never masked, `#` a digit and `*` a letter: "AR#########" for tracking codes. */
    keep?: string[];
  };
}

/** `workspaces/{workspaceId}/knowledge/{articleId}`: a help-center article. */
export interface KnowledgeArticleDocument<Time = unknown> {
  title: string;
  body: string;
  url?: string;
  tags?: string[];
  locale?: string;
  enabled?: boolean;
  /** The imported file it came from. */
  source?: string;
  updatedAt: Time;
  updatedBy?: string;
}
