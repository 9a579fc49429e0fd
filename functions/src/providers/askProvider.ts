import { setTimeout as wait } from "node:timers/promises";
import pRetry, { AbortError } from "p-retry";
import { asGenerationError, GenerationError } from "../core/errorCodes";
import { log } from "../observability/log";
import {
  AttemptOptions,
  CompletionRequest,
  CompletionResult,
  requestChatCompletion,
} from "./chatCompletion";
import { backoffDelayMs, MIN_ATTEMPT_MS, retryDecision } from "./retryPolicy";
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

/** One attempt's share of the budget: what is left of the deadline, and the caller's signal. */
export interface AttemptWindow {
  remainingMs: number;
  signal?: AbortSignal;
}

export type PoolRun<T> =
  | { ok: true; value: T; attempts: number; endpoint: ProviderEndpoint }
  | { ok: false; error: GenerationError; attempts: number };

type PoolBudget = Omit<RetryBudget, "stream">;

type AttemptOn<T> = (endpoint: ProviderEndpoint, window: AttemptWindow) => Promise<T>;

/** One run on a pool: what it was asked, and what its attempts have learned so far. */
interface PoolRunState<T> {
  pool: ProviderPool;
  budget: PoolBudget;
  trace: { model: string; call: "chat" | "embeddings" };
  attemptOn: AttemptOn<T>;
  attempts: number;
  /** The latest attempt's failure: what the run ends with when no attempt follows. */
  lastError?: GenerationError;
  /** A retry goes to a server this run has not tried yet, when there is one. */
  tried: Set<ProviderEndpoint>;
}

/**
 * Runs one call on a provider's pool, retrying transient failures (p-retry) after an exponential
 * backoff with jitter, honouring Retry-After, and never past the deadline. Each attempt takes a
 * concurrency slot on the server the pool picks, passes its circuit breaker, and reports back
 * to it. Chat completions and embeddings share it, so they share the GPU's limits.
 */
export async function runOnPool<T>(
  pool: ProviderPool,
  budget: PoolBudget,
  trace: PoolRunState<T>["trace"],
  attemptOn: AttemptOn<T>,
): Promise<PoolRun<T>> {
  const run: PoolRunState<T> = { pool, budget, trace, attemptOn, attempts: 0, tried: new Set() };
  try {
    const { value, endpoint } = await pRetry(() => attemptOnPickedEndpoint(run), {
      retries: budget.maxAttempts - 1,
      // No wait of p-retry's own: waitToRetry waits, and the caller's abort cuts that short.
      minTimeout: 0,
      shouldRetry: ({ error, retriesConsumed }) => waitToRetry(error, retriesConsumed, budget),
    });
    return { ok: true, value, attempts: run.attempts, endpoint };
  } catch (err) {
    const error =
      err instanceof GenerationError
        ? err
        : new GenerationError("provider_error", `${pool.provider} failed: ${String(err)}`);
    return { ok: false, error, attempts: run.attempts };
  }
}

/** One attempt: the server the pool picks for it, then one of that server's slots. */
async function attemptOnPickedEndpoint<T>(
  run: PoolRunState<T>,
): Promise<{ value: T; endpoint: ProviderEndpoint }> {
  const endpoint = run.pool.pick(run.tried, run.budget.affinity);
  if (!endpoint) throw new AbortError(run.lastError ?? run.pool.circuitOpenError());
  run.tried.add(endpoint);
  const slots = run.trace.call === "embeddings" ? endpoint.embedLimit : endpoint.limit;
  return slots(() => attemptInSlot(endpoint, run));
}

/** Inside the slot: the call goes out if it still may, and the server's breaker hears how it ended. */
async function attemptInSlot<T>(
  endpoint: ProviderEndpoint,
  run: PoolRunState<T>,
): Promise<{ value: T; endpoint: ProviderEndpoint }> {
  const remainingMs = admitAttempt(endpoint, run.budget, run.lastError);
  run.attempts += 1;
  const started = Date.now();
  const logged = { endpoint: endpoint.label, ...run.trace, attempt: run.attempts };
  try {
    const value = await run.attemptOn(endpoint, { remainingMs, signal: run.budget.signal });
    endpoint.breaker.record({ ok: true });
    log.debug("provider attempt succeeded", { ...logged, ms: Date.now() - started });
    return { value, endpoint };
  } catch (err) {
    const callerAborted = run.budget.signal?.aborted ?? false;
    endpoint.breaker.record({ ok: false, error: err, callerAborted });
    const error = asGenerationError(err);
    run.lastError = error;
    log.debug("provider attempt failed", {
      ...logged,
      ms: Date.now() - started,
      code: error.code,
      retryable: error.retryable,
      breaker: endpoint.breaker.snapshot().state,
    });
    throw error;
  }
}

/**
 * Whether an attempt that holds its slot may still go out, and with how much time: the slot may
 * have taken a while to free up. Throws an AbortError to end the run, or a retryable failure to
 * try elsewhere or later.
 */
function admitAttempt(
  endpoint: ProviderEndpoint,
  budget: PoolBudget,
  lastError: GenerationError | undefined,
): number {
  // Nobody wants the answer any more (a newer message came while this one waited its turn):
  // the request is never sent.
  if (budget.signal?.aborted) {
    throw new AbortError(
      lastError ??
        new GenerationError("provider_timeout", `${endpoint.label}: request no longer wanted.`),
    );
  }
  const remainingMs = budget.deadlineAt - Date.now();
  if (remainingMs < MIN_ATTEMPT_MS) {
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
      { retryable: true },
    );
  }
  return remainingMs;
}

/**
 * p-retry's shouldRetry: decided (and the wait done) here rather than in onFailedAttempt, so we
 * never wait for a retry that is not going to happen. The caller's abort ends the wait at once;
 * the next attempt then finds the caller gone and ends the run, as it did after a full wait.
 * (p-retry's own `signal` would instead end the run with the bare abort reason, and also discard
 * an answer that came back as the caller gave up.)
 */
async function waitToRetry(
  error: unknown,
  retriesConsumed: number,
  budget: PoolBudget,
): Promise<boolean> {
  const backoffMs = backoffDelayMs(retriesConsumed, budget);
  const decision = retryDecision(error, backoffMs, {
    deadlineAt: budget.deadlineAt,
    maxRetryAfterMs: budget.maxRetryAfterMs,
    aborted: budget.signal?.aborted ?? false,
  });
  if (!decision.retry) return false;
  await wait(backoffMs + decision.extraWaitMs, undefined, { signal: budget.signal }).catch(
    () => undefined,
  );
  return true;
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
