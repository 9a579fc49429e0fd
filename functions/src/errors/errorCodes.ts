/**
 * The one list of error codes a suggestion can end with. The README, the suggestion documents,
 * the logs and the tests all spell them exactly like this.
 */
export const ERROR_CODES = [
  "provider_unreachable",
  "provider_timeout",
  "model_not_found",
  "provider_auth",
  "provider_rate_limited",
  "provider_error",
  "invalid_response",
  "context_too_long",
  "invalid_config",
  "no_provider",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** What an operator should do about each code; stored on the suggestion next to the message. */
export const ERROR_HINTS: Record<ErrorCode, string> = {
  provider_unreachable:
    'Start the LM Studio server (Developer tab or `lms server start`), enable "Serve on Local Network" if the functions run on another machine, and check LLM_STUDIO_URL (default http://localhost:1234).',
  provider_timeout:
    "The model answered too slowly: the first request after a model loads can take tens of seconds. Raise LLM_TIMEOUT_MS, pick a smaller model, or keep it loaded (`lms load`).",
  model_not_found:
    "The model in settings/ai.defaultModel is not downloaded or not loaded in LM Studio. Run `npm run llm:check` to list the available models, then `lms get <model>` / `lms load <model>` or change defaultModel.",
  provider_auth:
    'The provider rejected the credentials. For LM Studio with "Require Authentication" on, set LLM_STUDIO_API_KEY to an LM Studio API token; for OpenAI, check OPENAI_API_KEY.',
  provider_rate_limited:
    'The provider is rate limiting requests. Lower LLM_CONCURRENCY or raise the provider\'s limit (LM Studio: "Max Concurrent Predictions").',
  provider_error:
    "The provider failed while answering. Check the LM Studio server log (Developer tab) for the request; it usually names the cause.",
  invalid_response:
    "The model returned no usable reply text. Reasoning models can spend the whole budget thinking: raise settings/ai.maxTokens, or use a non-reasoning model.",
  context_too_long:
    "The prompt does not fit the model's context window. Lower CONTEXT_MESSAGES or CONTEXT_CHAR_BUDGET, or load the model with a larger context length in LM Studio.",
  invalid_config:
    "A configuration value is invalid; the message names the field. Fix workspaces/{workspaceId}/settings/ai or the functions' environment variables.",
  no_provider:
    "No provider is available for this workspace. Set LLM_STUDIO_ENABLED=true for LM Studio, or OPENAI_API_KEY for OpenAI.",
};

/** A failure the pipeline records on the suggestion as `error: { code, message, hint }`. */
export class SuggestionError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: { retryable?: boolean; status?: number; retryAfterMs?: number } = {},
  ) {
    super(message);
    this.name = "SuggestionError";
  }

  get retryable(): boolean {
    return this.details.retryable ?? false;
  }

  get hint(): string {
    return ERROR_HINTS[this.code];
  }
}

/** A configuration value failed validation; the message names the field and the allowed values. */
export function invalidConfig(message: string): SuggestionError {
  return new SuggestionError("invalid_config", message);
}
