import type { RuntimeConfig } from "../config/runtimeConfig";
import type { AiTaskName, WorkspaceAiSettings } from "../config/workspaceAiSettings";
import { ErrorCode, GenerationError } from "../core/errorCodes";
import type { PrivacyUse } from "../contract/documents";
import type { ChatMessage, ProviderId, TokenUsage } from "../core/vocabulary";
import { askProvider, runOnPool, type StreamHandlers } from "./askProvider";
import { MIN_ATTEMPT_MS } from "./retryPolicy";
import { EmbeddingResult, requestEmbeddings } from "./embeddingRequest";
import { fallbackDecision, planProviderChain } from "./fallbackPolicy";
import { type PreparedCall, prepareCall } from "./maskedPrompt";
import { createProviderEndpoint } from "./providerEndpoint";
import type { StructuredOutput } from "./structuredOutput";
import { EndpointStatus, ProviderPool } from "./providerPool";

/** Which provider failed before the fallback took over, and how. */
export interface FallbackFrom {
  provider: ProviderId;
  code: ErrorCode;
}

/** A model's answer with its provenance, as the router returns it. */
export interface ProviderAnswer {
  text: string;
  provider: ProviderId;
  model: string;
  usage: TokenUsage | null;
  finishReason: string | null;
  /** The text was cut to what `maxTokens` can produce. */
  truncated: boolean;
  /** The validated JSON value, when a schema was asked for and honoured. */
  structured?: { value: unknown };
  /** Attempts across all providers tried. */
  attempts: number;
  latencyMs: number;
  fallbackFrom?: FallbackFrom;
  /** The prompt went to the provider masked (privacy settings): what was masked. */
  privacy?: PrivacyUse;
}

/** What a task asks of the model: its own model settings, the workspace's provider routing. */
export interface ModelRequest {
  settings: WorkspaceAiSettings;
  model: string;
  temperature: number;
  maxTokens: number;
  /**
   * The conversation the call belongs to (`workspaceId/conversationId`): in a pool of LM Studio
   * servers it goes to the same one while that one is healthy and has a free slot, where the KV
   * cache holds the conversation's previous prompt.
   */
  affinity?: string;
}

/** A task's own model settings (`settings/ai.tasks.{task}`), with the workspace's routing. */
export function taskModelRequest(
  settings: WorkspaceAiSettings,
  task: AiTaskName = "suggestions",
): ModelRequest {
  return { settings, ...settings.tasks[task] };
}

/** The suggestions' model settings. */
export const workspaceModelRequest = (settings: WorkspaceAiSettings) =>
  taskModelRequest(settings, "suggestions");

export interface CompleteOptions {
  /** No attempt or wait may run past this (epoch ms). */
  deadlineAt: number;
  /** Aborts the attempt in flight and stops the chain (the result is no longer wanted). */
  signal?: AbortSignal;
  /** Streams the answer of whichever attempt is running. */
  stream?: StreamHandlers;
  /** Ask for JSON with this schema, where the server can (falls back to plain text). */
  structured?: StructuredOutput;
  /** The people the prompt names (the customer): masked as names where masking applies. */
  personalNames?: readonly string[];
}

export type RouterResult =
  | { ok: true; answer: ProviderAnswer }
  | {
      ok: false;
      error: GenerationError;
      attempts: number;
      latencyMs: number;
      provider: ProviderId;
      model: string;
      fallbackFrom?: FallbackFrom;
    };

export type EmbedResult =
  | { ok: true; embeddings: EmbeddingResult; attempts: number; latencyMs: number }
  | { ok: false; error: GenerationError; attempts: number; latencyMs: number };

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

  private poolFor(provider: ProviderId): ProviderPool | GenerationError {
    const existing = this.pools.get(provider);
    if (existing) return existing;
    const { lmStudio, openai, concurrency, breaker } = this.config;
    const options = { concurrency, breaker };
    let pool: ProviderPool;
    if (provider === "llm_studio") {
      if (lmStudio.unreachable) {
        return new GenerationError(lmStudio.unreachable.code, lmStudio.unreachable.message);
      }
      if (!lmStudio.enabled) {
        return new GenerationError(
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
        return new GenerationError(
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
    request: ModelRequest,
    messages: ChatMessage[],
    options: CompleteOptions,
  ): Promise<RouterResult> {
    const started = Date.now();
    const chain = planProviderChain(request.settings, this.config, request.model);
    let attempts = 0;
    let fallbackFrom: FallbackFrom | undefined;
    let failure: { error: GenerationError; provider: ProviderId; model: string } | undefined;

    for (const [index, step] of chain.entries()) {
      const pool = this.poolFor(step.provider);
      const prepared =
        pool instanceof GenerationError
          ? pool
          : await prepareCall(
              step.provider,
              request.settings.privacy,
              options.personalNames ?? [],
              {
                messages,
                structured: options.structured,
                stream: options.stream,
              },
            );
      const run =
        prepared instanceof GenerationError
          ? { ok: false as const, error: prepared, attempts: 0 }
          : await askProvider(
              pool as ProviderPool,
              {
                model: step.model,
                messages: prepared.messages,
                temperature: request.temperature,
                maxTokens: request.maxTokens,
                structured: prepared.structured,
              },
              {
                maxAttempts: this.config.maxAttempts,
                timeoutMs: this.config.timeoutMs,
                deadlineAt: options.deadlineAt,
                signal: options.signal,
                stream: prepared.stream,
                affinity: request.affinity,
                baseDelayMs: this.config.retryBaseDelayMs,
                ...RETRY_DELAYS,
              },
            );
      attempts += run.attempts;
      if (run.ok) {
        return {
          ok: true,
          answer: {
            ...(prepared as PreparedCall).restore(run.completion),
            provider: step.provider,
            attempts,
            latencyMs: Date.now() - started,
            ...(fallbackFrom ? { fallbackFrom } : {}),
          },
        };
      }
      failure = { error: run.error, provider: step.provider, model: step.model };
      const handOver = fallbackDecision(run.error, {
        hasNext: index + 1 < chain.length,
        aborted: options.signal?.aborted ?? false,
        remainingMs: options.deadlineAt - Date.now(),
        minAttemptMs: MIN_ATTEMPT_MS,
      });
      if (!handOver) break;
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

  /**
   * Embeds texts with LM Studio's embedding model, on the same servers, slots, retries and
   * breakers as the chat completions. Never another provider or model: vectors of different
   * models cannot be compared, so a fallback would poison the index.
   */
  async embed(
    model: string,
    inputs: string[],
    options: { deadlineAt: number; signal?: AbortSignal },
  ): Promise<EmbedResult> {
    const started = Date.now();
    const pool = this.poolFor("llm_studio");
    if (pool instanceof GenerationError) {
      return { ok: false, error: pool, attempts: 0, latencyMs: 0 };
    }
    const run = await runOnPool(
      pool,
      {
        maxAttempts: this.config.maxAttempts,
        timeoutMs: this.config.timeoutMs,
        deadlineAt: options.deadlineAt,
        signal: options.signal,
        baseDelayMs: this.config.retryBaseDelayMs,
        ...RETRY_DELAYS,
      },
      { model, call: "embeddings" },
      (endpoint, window) =>
        requestEmbeddings(
          endpoint.client,
          endpoint.label,
          { model, inputs },
          { timeoutMs: Math.min(this.config.timeoutMs, window.remainingMs), signal: window.signal },
        ),
    );
    const latencyMs = Date.now() - started;
    return run.ok
      ? { ok: true, embeddings: run.value, attempts: run.attempts, latencyMs }
      : { ok: false, error: run.error, attempts: run.attempts, latencyMs };
  }

  /** Endpoints whose circuit breaker opened or closed since the last call, to publish. */
  takeStateChanges(): EndpointStatus[] {
    return [...this.pools.values()].flatMap((pool) => pool.takeStateChanges());
  }
}
