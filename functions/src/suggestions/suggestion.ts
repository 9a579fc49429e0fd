import type { ErrorCode } from "../errors/errorCodes";
import type { ProviderId } from "../config/workspaceAiSettings";

/**
 * Suggestion states as the agents' inbox reads them. `generating` is the only non-terminal one;
 * `superseded` is reserved for a later change that retires suggestions of answered messages.
 */
export const SUGGESTION_STATUSES = [
  "generating",
  "ready",
  "error",
  "skipped",
  "superseded",
] as const;
export type SuggestionStatus = (typeof SUGGESTION_STATUSES)[number];

/** Why an inbound message got no model call. */
export const SKIP_REASONS = ["empty_text", "unsupported_type"] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

/** Which provider failed before the fallback took over, and how. */
export interface FallbackFrom {
  provider: ProviderId;
  code: ErrorCode;
}

/** A model's answer with its provenance, as the provider router returns it. */
export interface ProviderAnswer {
  text: string;
  provider: ProviderId;
  model: string;
  usage: TokenUsage | null;
  finishReason: string | null;
  /** Attempts across all providers tried. */
  attempts: number;
  latencyMs: number;
  fallbackFrom?: FallbackFrom;
}

export type SuggestionOutcome =
  | { status: "ready"; answer: ProviderAnswer }
  | {
      status: "error";
      code: ErrorCode;
      message: string;
      hint: string;
      attempts: number;
      latencyMs: number;
      provider?: ProviderId;
      model?: string;
      fallbackFrom?: FallbackFrom;
    }
  | { status: "skipped"; reason: SkipReason; detail: string };
