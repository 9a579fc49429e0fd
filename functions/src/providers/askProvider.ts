import pRetry, { AbortError } from "p-retry";
import { asGenerationError, GenerationError } from "../core/errorCodes";
import { log } from "../observability/log";
import {
  AttemptOptions,
  CompletionRequest,
  CompletionResult,
  requestChatCompletion,
} from "./chatCompletion";
import { SchemaUnsupportedError } from "./structuredOutput";
import type { ProviderEndpoint } from "./providerEndpoint";
import type { ProviderPool } from "./providerPool";

export interface RetryBudget {
  /** Attempts for this provider, the first included. */
  maxAttempts: number;
  /** Bound on one attempt. */
  timeoutMs: number;
  /** No attempt or wait may run past this (epoch ms). */
  deadlineAt: number;
  /** The caller no longer wants the answer: the attempt in flight is closed, none follows. */
  signal?: AbortSignal;
  /** The conversation, for a server that holds its cache (ProviderPool.pick). */
  affinity?: string;
  /** Streams each attempt's visible text; `onAttempt` marks where a new attempt begins. */
  stream?: StreamHandlers;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longest Retry-After we are willing to wait for. */
  maxRetryAfterMs: number;
}

export interface StreamHandlers {
  onText(visibleSoFar: string): void;
  onAttempt(): void;
}

export type ProviderRun =
  | { ok: true; completion: CompletionResult; attempts: number; endpoint: ProviderEndpoint }
  | { ok: false; error: GenerationError; attempts: number };

/**
 * One attempt on one server. A JSON schema goes only to a server that has not failed one: when
 * the server refuses it or its model's JSON does not match, the server is remembered and the
 * same attempt, in the same slot, asks for plain text instead.
 */
async function completeOnEndpoint(
  endpoint: ProviderEndpoint,
  request: CompletionRequest,
  options: AttemptOptions,
): Promise<CompletionResult> {
  const { structured } = request;
  const plain = structured
    ? { ...request, messages: structured.fallbackMessages, structured: undefined }
    : request;
  if (!structured || endpoint.schemaUnsupported) {
    return requestChatCompletion(endpoint.client, endpoint.label, plain, options);
  }
  try {
    return await requestChatCompletion(endpoint.client, endpoint.label, request, options);
  } catch (err) {
    if (!(err instanceof SchemaUnsupportedError)) throw err;
    endpoint.schemaUnsupported = true;
    log.info("JSON schema not honoured; plain text from now on", {
      endpoint: endpoint.label,
      why: err.message,
    });
    return requestChatCompletion(endpoint.client, endpoint.label, plain, options);
  }
}

/** Below this, an attempt cannot produce a reply; better to record the failure in time. */
export const MIN_ATTEMPT_MS = 250;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Whether a failed attempt is tried again, and after how much more than the backoff's own
 * delay (a server's Retry-After). One reason a line, like openai-node's shouldRetry.
 */
export function retryDecision(
  error: unknown,
  retryDelayMs: number,
  budget: { deadlineAt: number; maxRetryAfterMs: number; aborted: boolean },
  now = Date.now(),
): { retry: false } | { retry: true; extraWaitMs: number } {
  // Only what the error table calls transient (429, 5xx, timeouts, dropped connections).
  if (!(error instanceof GenerationError) || !error.retryable) return { retry: false };
  // Nobody wants the answer any more (a newer message, the agent replied).
  if (budget.aborted) return { retry: false };
  // The server said how long to wait; we wait that long, up to our own cap.
  const wanted = Math.min(error.details.retryAfterMs ?? 0, budget.maxRetryAfterMs);
  const extraWaitMs = Math.max(wanted - retryDelayMs, 0);
  // An attempt that would start too late to answer in time is not made: record the failure.
  if (now + retryDelayMs + extraWaitMs + MIN_ATTEMPT_MS > budget.deadlineAt)
    return { retry: false };
  return { retry: true, extraWaitMs };
}

/** One attempt's share of the budget: what is left of the deadline, and the caller's signal. */
export interface AttemptWindow {
  remainingMs: number;
  signal?: AbortSignal;
}

export type PoolRun<T> =
  | { ok: true; value: T; attempts: number; endpoint: ProviderEndpoint }
  | { ok: false; error: GenerationError; attempts: number };

/**
 * Runs one call on a provider's pool, retrying transient failures with exponential backoff and
 * jitter (p-retry), honouring Retry-After, and never past the deadline. Each attempt takes a
 * concurrency slot on the server the pool picks, passes its circuit breaker, and reports back
 * to it. Chat completions and embeddings share it, so they share the GPU's limits.
 */
export async function runOnPool<T>(
  pool: ProviderPool,
  budget: Omit<RetryBudget, "stream">,
  trace: { model: string; call: "chat" | "embeddings" },
  attemptOn: (endpoint: ProviderEndpoint, window: AttemptWindow) => Promise<T>,
): Promise<PoolRun<T>> {
  let attempts = 0;
  let lastError: GenerationError | undefined;
  const tried = new Set<ProviderEndpoint>();

  const attempt = async (): Promise<{ value: T; endpoint: ProviderEndpoint }> => {
    const endpoint = pool.pick(tried, budget.affinity);
    if (!endpoint) throw new AbortError(lastError ?? pool.circuitOpenError());
    tried.add(endpoint);
    const slots = trace.call === "embeddings" ? endpoint.embedLimit : endpoint.limit;
    return slots(async () => {
      // Nobody wants the answer any more (a newer message came while this one waited its turn):
      // the request is never sent.
      if (budget.signal?.aborted) {
        throw new AbortError(
          lastError ??
            new GenerationError("provider_timeout", `${endpoint.label}: request no longer wanted.`),
        );
      }
      // The slot may have taken a while to free up: the attempt gets what time is left.
      const remaining = budget.deadlineAt - Date.now();
      if (remaining < MIN_ATTEMPT_MS) {
        throw new AbortError(
          lastError ??
            new GenerationError(
              "provider_timeout",
              `${endpoint.label} was still busy with other requests when the time for this one ran out.`,
            ),
        );
      }
      if (!endpoint.breaker.tryAcquire()) {
        // Another request became the half-open probe meanwhile; try elsewhere or later.
        throw new GenerationError(
          endpoint.breaker.lastErrorCode ?? "provider_unreachable",
          `${endpoint.label}: circuit breaker open.`,
          {
            retryable: true,
          },
        );
      }
      attempts += 1;
      const started = Date.now();
      const logged = { endpoint: endpoint.label, ...trace, attempt: attempts };
      try {
        const value = await attemptOn(endpoint, { remainingMs: remaining, signal: budget.signal });
        endpoint.breaker.recordSuccess();
        log.debug("provider attempt succeeded", { ...logged, ms: Date.now() - started });
        return { value, endpoint };
      } catch (err) {
        const error = asGenerationError(err);
        // A caller's abort says nothing about the server.
        if (error.countsAgainstServer && !budget.signal?.aborted)
          endpoint.breaker.recordFailure(error.code);
        else endpoint.breaker.recordSuccess();
        lastError = error;
        log.debug("provider attempt failed", {
          ...logged,
          ms: Date.now() - started,
          code: error.code,
          retryable: error.retryable,
          breaker: endpoint.breaker.snapshot().state,
        });
        throw error;
      }
    });
  };

  try {
    const { value, endpoint } = await pRetry(attempt, {
      retries: budget.maxAttempts - 1,
      minTimeout: budget.baseDelayMs,
      maxTimeout: budget.maxDelayMs,
      factor: 2,
      randomize: true,
      // Decided (and the Retry-After wait done) here rather than in onFailedAttempt, so we never
      // wait for a retry that is not going to happen.
      shouldRetry: async ({ error, retryDelay }) => {
        const decision = retryDecision(error, retryDelay, {
          deadlineAt: budget.deadlineAt,
          maxRetryAfterMs: budget.maxRetryAfterMs,
          aborted: budget.signal?.aborted ?? false,
        });
        if (decision.retry && decision.extraWaitMs > 0) await sleep(decision.extraWaitMs);
        return decision.retry;
      },
    });
    return { ok: true, value, attempts, endpoint };
  } catch (err) {
    const error =
      err instanceof GenerationError
        ? err
        : new GenerationError("provider_error", `${pool.provider} failed: ${String(err)}`);
    return { ok: false, error, attempts };
  }
}

/** Asks one provider for a chat completion, streamed when the budget says so. */
export async function askProvider(
  pool: ProviderPool,
  request: CompletionRequest,
  budget: RetryBudget,
): Promise<ProviderRun> {
  const run = await runOnPool(
    pool,
    budget,
    { model: request.model, call: "chat" },
    (endpoint, window) => {
      budget.stream?.onAttempt();
      // A streamed attempt may run as long as chunks keep coming, up to the deadline; one
      // that goes quiet for the attempt timeout has stalled.
      return completeOnEndpoint(endpoint, request, {
        timeoutMs: budget.stream
          ? window.remainingMs
          : Math.min(budget.timeoutMs, window.remainingMs),
        idleTimeoutMs: Math.min(budget.timeoutMs, window.remainingMs),
        signal: window.signal,
        onText: budget.stream?.onText,
      });
    },
  );
  return run.ok
    ? { ok: true, completion: run.value, attempts: run.attempts, endpoint: run.endpoint }
    : run;
}
