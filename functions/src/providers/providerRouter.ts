import type { RuntimeConfig } from "../config/runtimeConfig";
import type { ProviderId, WorkspaceAiSettings } from "../config/workspaceAiSettings";
import { SuggestionError } from "../errors/errorCodes";
import type { ChatMessage } from "../prompt/buildSuggestionPrompt";
import type { FallbackFrom, ProviderAnswer } from "../suggestions/suggestion";
import { askProvider, MIN_ATTEMPT_MS } from "./askProvider";
import { allowsFallback, planProviderChain } from "./fallbackPolicy";
import { createProviderEndpoint } from "./providerEndpoint";
import { EndpointStatus, ProviderPool } from "./providerPool";

export type RouterResult =
  | { ok: true; answer: ProviderAnswer }
  | {
      ok: false;
      error: SuggestionError;
      attempts: number;
      latencyMs: number;
      provider: ProviderId;
      model: string;
      fallbackFrom?: FallbackFrom;
    };

export const RETRY_DELAYS = { maxDelayMs: 8_000, maxRetryAfterMs: 30_000 };

/**
 * The one place that decides which provider answers and how hard to try. The pipeline hands it
 * a prompt and a deadline; it walks the workspace's provider chain (primary, then fallback), each
 * provider through its pool of servers with limits, retries and circuit breakers, and returns an
 * answer with provenance or the classified error.
 */
export class ProviderRouter {
  private readonly pools = new Map<ProviderId, ProviderPool>();

  constructor(private readonly config: RuntimeConfig) {}

  private poolFor(provider: ProviderId): ProviderPool | SuggestionError {
    const existing = this.pools.get(provider);
    if (existing) return existing;
    const { lmStudio, openai, concurrency, breaker } = this.config;
    const options = { concurrency, breaker };
    let pool: ProviderPool;
    if (provider === "llm_studio") {
      if (!lmStudio.enabled) {
        return new SuggestionError(
          "no_provider",
          "LM Studio is switched off (LLM_STUDIO_ENABLED=false).",
        );
      }
      pool = new ProviderPool(
        provider,
        lmStudio.baseUrls.map((url) =>
          createProviderEndpoint(provider, url, lmStudio.apiKey, options),
        ),
      );
    } else {
      if (!openai.apiKey)
        return new SuggestionError(
          "no_provider",
          "OpenAI is not configured (OPENAI_API_KEY is not set).",
        );
      pool = new ProviderPool(provider, [
        createProviderEndpoint(provider, openai.baseUrl, openai.apiKey, options),
      ]);
    }
    this.pools.set(provider, pool);
    return pool;
  }

  async complete(
    settings: WorkspaceAiSettings,
    messages: ChatMessage[],
    options: { deadlineAt: number },
  ): Promise<RouterResult> {
    const started = Date.now();
    const chain = planProviderChain(settings, this.config);
    let attempts = 0;
    let fallbackFrom: FallbackFrom | undefined;
    let failure: { error: SuggestionError; provider: ProviderId; model: string } | undefined;

    for (const [index, step] of chain.entries()) {
      const pool = this.poolFor(step.provider);
      const run =
        pool instanceof SuggestionError
          ? { ok: false as const, error: pool, attempts: 0 }
          : await askProvider(
              pool,
              {
                model: step.model,
                messages,
                temperature: settings.temperature,
                maxTokens: settings.maxTokens,
              },
              {
                maxAttempts: this.config.maxAttempts,
                timeoutMs: this.config.timeoutMs,
                deadlineAt: options.deadlineAt,
                baseDelayMs: this.config.retryBaseDelayMs,
                ...RETRY_DELAYS,
              },
            );
      attempts += run.attempts;
      if (run.ok) {
        return {
          ok: true,
          answer: {
            ...run.completion,
            provider: step.provider,
            attempts,
            latencyMs: Date.now() - started,
            ...(fallbackFrom ? { fallbackFrom } : {}),
          },
        };
      }
      failure = { error: run.error, provider: step.provider, model: step.model };
      const next = chain[index + 1];
      if (!next || !allowsFallback(run.error) || options.deadlineAt - Date.now() < MIN_ATTEMPT_MS)
        break;
      fallbackFrom = { provider: step.provider, code: run.error.code };
    }

    // The chain always has the primary, so a failure was recorded.
    const last = failure as NonNullable<typeof failure>;
    return {
      ok: false,
      error: last.error,
      attempts,
      latencyMs: Date.now() - started,
      provider: last.provider,
      model: last.model,
      ...(fallbackFrom ? { fallbackFrom } : {}),
    };
  }

  /** Endpoints whose circuit breaker opened or closed since the last call, to publish. */
  takeStateChanges(): EndpointStatus[] {
    return [...this.pools.values()].flatMap((pool) => pool.takeStateChanges());
  }
}
