import pRetry from "p-retry";
import type { RuntimeConfig } from "../config/runtimeConfig";
import type { ProviderId, WorkspaceAiSettings } from "../config/workspaceAiSettings";
import { SuggestionError } from "../errors/errorCodes";
import type { ChatMessage } from "../prompt/buildSuggestionPrompt";
import type { ProviderAnswer } from "../suggestions/suggestion";
import { requestChatCompletion } from "./chatCompletion";
import { createProviderEndpoint, ProviderEndpoint } from "./providerEndpoint";

export type RouterResult =
  | { ok: true; answer: ProviderAnswer }
  | {
      ok: false;
      error: SuggestionError;
      attempts: number;
      latencyMs: number;
      provider?: ProviderId;
      model?: string;
    };

export interface RetryPolicy {
  /** First backoff delay; later ones double, with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longest Retry-After we are willing to wait for. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 30_000,
};

/** Below this, an attempt cannot produce a reply; better to record the failure in time. */
const MIN_ATTEMPT_MS = 250;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The one place that decides which provider answers and how hard to try: it owns the SDK
 * clients, the per-instance concurrency limits and the retry policy. The pipeline hands it a
 * prompt and a deadline and gets back an answer with provenance or a classified error.
 */
export class ProviderRouter {
  private readonly endpoints = new Map<string, ProviderEndpoint>();

  constructor(
    private readonly config: RuntimeConfig,
    private readonly retry: RetryPolicy = DEFAULT_RETRY_POLICY,
  ) {}

  private endpointFor(provider: ProviderId): ProviderEndpoint | SuggestionError {
    const { lmStudio, openai, concurrency } = this.config;
    const target =
      provider === "llm_studio"
        ? lmStudio.enabled
          ? { baseUrl: lmStudio.baseUrls[0], apiKey: lmStudio.apiKey }
          : new SuggestionError(
              "no_provider",
              "The workspace uses LM Studio, but LLM_STUDIO_ENABLED is false.",
            )
        : openai.apiKey
          ? { baseUrl: openai.baseUrl, apiKey: openai.apiKey }
          : new SuggestionError(
              "no_provider",
              "The workspace uses OpenAI, but OPENAI_API_KEY is not set.",
            );
    if (target instanceof SuggestionError) return target;
    const key = `${provider} ${target.baseUrl}`;
    let endpoint = this.endpoints.get(key);
    if (!endpoint) {
      endpoint = createProviderEndpoint(provider, target.baseUrl, target.apiKey, concurrency);
      this.endpoints.set(key, endpoint);
    }
    return endpoint;
  }

  async complete(
    settings: WorkspaceAiSettings,
    messages: ChatMessage[],
    options: { deadlineAt: number },
  ): Promise<RouterResult> {
    const started = Date.now();
    const endpoint = this.endpointFor(settings.provider);
    if (endpoint instanceof SuggestionError) {
      return { ok: false, error: endpoint, attempts: 0, latencyMs: 0, provider: settings.provider };
    }
    const request = {
      model: settings.defaultModel,
      messages,
      temperature: settings.temperature,
      maxTokens: settings.maxTokens,
    };
    let attempts = 0;
    try {
      const result = await pRetry(
        () =>
          endpoint.limit(() => {
            // The slot may have taken a while to free up: the attempt gets what time is left.
            const remaining = options.deadlineAt - Date.now();
            if (remaining < MIN_ATTEMPT_MS) {
              throw new SuggestionError(
                "provider_timeout",
                `${endpoint.label} was still busy with other suggestions when the time for this one ran out.`,
              );
            }
            attempts += 1;
            return requestChatCompletion(endpoint.client, endpoint.label, request, {
              timeoutMs: Math.min(this.config.timeoutMs, remaining),
            });
          }),
        {
          retries: this.config.maxAttempts - 1,
          minTimeout: this.retry.baseDelayMs,
          maxTimeout: this.retry.maxDelayMs,
          factor: 2,
          randomize: true,
          // Decided (and the Retry-After wait done) here rather than in onFailedAttempt, so we
          // never wait for a retry that is not going to happen.
          shouldRetry: async ({ error, retryDelay }) => {
            if (!(error instanceof SuggestionError) || !error.retryable) return false;
            const wanted = Math.min(error.details.retryAfterMs ?? 0, this.retry.maxRetryAfterMs);
            const extra = Math.max(wanted - retryDelay, 0);
            if (Date.now() + retryDelay + extra + MIN_ATTEMPT_MS > options.deadlineAt) return false;
            if (extra > 0) await sleep(extra);
            return true;
          },
        },
      );
      return {
        ok: true,
        answer: {
          ...result,
          provider: endpoint.provider,
          attempts,
          latencyMs: Date.now() - started,
        },
      };
    } catch (err) {
      const error =
        err instanceof SuggestionError
          ? err
          : new SuggestionError("provider_error", `${endpoint.label} failed: ${String(err)}`);
      return {
        ok: false,
        error,
        attempts,
        latencyMs: Date.now() - started,
        provider: endpoint.provider,
        model: settings.defaultModel,
      };
    }
  }
}
