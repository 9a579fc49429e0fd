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

/**
 * The text of an error body, whichever server sent it: LM Studio answers either
 * `{"error":{"message":…}}` or `{"error":"plain text"}`; Ollama, llama.cpp and vLLM the former.
 */
function errorBodyMessage(err: APIError): string {
  const body: unknown = err.error;
  if (typeof body === "string") return body;
  if (typeof body === "object" && body !== null) {
    const message = (body as Record<string, unknown>).message;
    if (typeof message === "string") return message;
  }
  return err.message;
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

function isMissingModel(err: APIError, message: string): boolean {
  if (/unexpected endpoint/i.test(message)) return false;
  return err.code === "model_not_found" || err.param === "model" || /model/i.test(message);
}

/**
 * Turns whatever a provider call threw into a GenerationError with the code the suggestion
 * records and whether another attempt could help. Classification goes by the SDK's error
 * classes and HTTP status; message text is read only where servers give nothing better.
 */
export function classifyProviderError(err: unknown, label: string): GenerationError {
  if (err instanceof GenerationError) return err;
  if (err instanceof APIUserAbortError || err instanceof APIConnectionTimeoutError) {
    return new GenerationError("provider_timeout", `${label} did not answer in time.`, {
      retryable: true,
    });
  }
  if (err instanceof APIConnectionError) {
    const why = networkErrorCode(err) ?? err.message;
    return new GenerationError("provider_unreachable", `Could not connect to ${label} (${why}).`, {
      retryable: true,
    });
  }
  if (err instanceof APIError) {
    const status = err.status;
    const message = errorBodyMessage(err);
    const said = `${label} answered${status ? ` ${status}` : ""}: ${message}`;
    const details = { status, retryAfterMs: retryAfterMs(err.headers) };
    if (err instanceof AuthenticationError || err instanceof PermissionDeniedError) {
      return new GenerationError("provider_auth", said, details);
    }
    if (err instanceof RateLimitError) {
      return new GenerationError("provider_rate_limited", said, { ...details, retryable: true });
    }
    if (err instanceof NotFoundError && isMissingModel(err, message)) {
      return new GenerationError("model_not_found", said, details);
    }
    if (isContextOverflow(err, message)) {
      return new GenerationError("context_too_long", said, details);
    }
    const transient = status !== undefined && (status >= 500 || status === 408 || status === 409);
    return new GenerationError("provider_error", said, { ...details, retryable: transient });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new GenerationError(
    "invalid_response",
    `${label} sent a response that could not be read: ${message}`,
  );
}
