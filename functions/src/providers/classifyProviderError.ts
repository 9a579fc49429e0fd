import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
} from "openai";
import { GenerationError } from "../core/errorCodes";
import { boundText, MAX_MESSAGE_CHARS } from "../core/safeText";

/**
 * The text of an error body's `error` member, whichever server sent it: LM Studio answers either
 * `{"error":{"message":…}}` or `{"error":"plain text"}`; Ollama, llama.cpp and vLLM the former.
 */
function errorText(error: unknown): string | undefined {
  if (typeof error === "string") return error;
  if (typeof error === "object" && error !== null) {
    const message = (error as Record<string, unknown>).message;
    if (typeof message === "string") return message;
  }
  return undefined;
}

/** Reads `retry-after-ms`, then `retry-after` (seconds or an HTTP date), as the OpenAI API sends them. */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = Number(headers.get("retry-after-ms"));
  if (headers.get("retry-after-ms") !== null && Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headers.get("retry-after");
  if (raw === null) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(date - now, 0);
}

/**
 * fetch wraps the socket error (`ECONNREFUSED`, `ENOTFOUND`, `UND_ERR_SOCKET`…) a cause or two
 * below the SDK's APIConnectionError; that code is what tells an operator what went wrong.
 */
function networkErrorCode(err: Error): string | undefined {
  let cause: unknown = err.cause;
  for (let depth = 0; depth < 5 && typeof cause === "object" && cause !== null; depth += 1) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === "string") return code;
    cause = (cause as { cause?: unknown }).cause;
  }
  return undefined;
}

const CONTEXT_OVERFLOW =
  /context[ _](length|window|size)|tokens to keep|keep the first \d+ tokens|maximum context|exceeds? (the )?(available )?context|too many tokens/i;

function isContextOverflow(err: APIError, message: string): boolean {
  return (
    err.code === "context_length_exceeded" ||
    err.type === "exceed_context_size_error" ||
    CONTEXT_OVERFLOW.test(message)
  );
}

/**
 * LM Studio refuses a model of the wrong kind with a model_not_found body: "Failed to load model
 * "x". Error: Model is not embedding." for a chat model asked for embeddings, "Model is not an
 * LLM." the other way round. Told apart because the fix differs: change the setting, not load.
 */
const WRONG_MODEL_TYPE = /model is not (an? )?(embedding|llm)|not an? (embedding|chat|llm) model/i;

function isMissingModel(err: APIError, message: string): boolean {
  if (/unexpected endpoint/i.test(message)) return false;
  // The word "model" alone is not enough: another web server's 404 page for a wrong address
  // ("Cannot GET /v1/models") names the path, not a missing model.
  return (
    err.code === "model_not_found" ||
    err.param === "model" ||
    /model\b.*\b(not found|does not exist|not loaded)|no models? loaded/i.test(message)
  );
}

/**
 * A connection that broke after the response headers: undici rejects the body read with
 * `TypeError: terminated` (its cause a socket error), which the SDK does not wrap. As transient
 * as a connection refused before the headers.
 */
function isBrokenConnection(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.message === "terminated") return true;
  const code = networkErrorCode(err);
  return code !== undefined && /^(UND_ERR_|E(CONNRESET|PIPE|CONNABORTED|TIMEDOUT))/.test(code);
}

/**
 * LM Studio answers some failures with HTTP 200 and an error body instead of a completion
 * (`{"error":"Unexpected endpoint or method. (POST /v1/x)"}`, a model that is not loaded).
 * Classified by what the server said, like the same body under an error status.
 */
export function classifyErrorBody(body: unknown, label: string): GenerationError | undefined {
  if (typeof body !== "object" || body === null || !("error" in body)) return undefined;
  const error = (body as { error: unknown }).error;
  const message = errorText(error) ?? JSON.stringify(error);
  const said = `${label} answered with an error: ${boundText(message, MAX_MESSAGE_CHARS).text}`;
  if (/unexpected endpoint/i.test(message)) {
    // A wrong path in the configured URL: the same on every attempt.
    return new GenerationError("provider_error", said, { status: 404 });
  }
  if (CONTEXT_OVERFLOW.test(message)) return new GenerationError("context_too_long", said);
  if (WRONG_MODEL_TYPE.test(message)) return new GenerationError("wrong_model_type", said);
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "model_not_found" || /model.*not found|no models? loaded/i.test(message)) {
    return new GenerationError("model_not_found", said);
  }
  return new GenerationError("provider_error", said);
}

/**
 * Turns whatever a provider call threw into a GenerationError with the code the suggestion
 * records and whether another attempt could help. Classification goes by the SDK's error
 * classes and HTTP status; message text is read only where servers give nothing better.
 */
export function classifyProviderError(err: unknown, label: string): GenerationError {
  if (err instanceof GenerationError) return err;
  if (err instanceof APIUserAbortError || err instanceof APIConnectionTimeoutError) {
    return new GenerationError("provider_timeout", `${label} did not answer in time.`);
  }
  if (err instanceof APIConnectionError) {
    const why = networkErrorCode(err) ?? err.message;
    return new GenerationError("provider_unreachable", `Could not connect to ${label} (${why}).`);
  }
  if (err instanceof APIError) {
    const status = err.status;
    const message = boundText(errorText(err.error) ?? err.message, MAX_MESSAGE_CHARS).text;
    const said = `${label} answered${status ? ` ${status}` : ""}: ${message}`;
    const details = { status, retryAfterMs: retryAfterMs(err.headers) };
    if (err instanceof AuthenticationError || err instanceof PermissionDeniedError) {
      return new GenerationError("provider_auth", said, details);
    }
    if (err instanceof RateLimitError) {
      return new GenerationError("provider_rate_limited", said, details);
    }
    if (WRONG_MODEL_TYPE.test(message)) {
      return new GenerationError("wrong_model_type", said, details);
    }
    if (err instanceof NotFoundError && isMissingModel(err, message)) {
      return new GenerationError("model_not_found", said, details);
    }
    if (isContextOverflow(err, message)) {
      return new GenerationError("context_too_long", said, details);
    }
    // Retried, and handed to the fallback, when the failure is the server's: the error table.
    return new GenerationError("provider_error", said, details);
  }
  if (isBrokenConnection(err)) {
    const why = networkErrorCode(err as Error) ?? "connection closed mid-response";
    return new GenerationError(
      "provider_unreachable",
      `The connection to ${label} broke while it was answering (${why}).`,
    );
  }
  const message = err instanceof Error ? err.message : String(err);
  return new GenerationError(
    "invalid_response",
    `${label} sent a response that could not be read: ${message}`,
  );
}
