import OpenAI, { APIUserAbortError } from "openai";
import { GenerationError } from "../core/errorCodes";
import { boundText, isBlank } from "../core/safeText";
import type { ChatMessage, TokenUsage } from "../core/vocabulary";
import { extractReplyText, visibleStreamingText } from "./extractReplyText";
import { classifyErrorBody, classifyProviderError } from "./classifyProviderError";
import {
  isSchemaRefusal,
  readStructured,
  responseFormatOf,
  SchemaUnsupportedError,
  StructuredOutput,
} from "./structuredOutput";

export interface CompletionRequest {
  model: string;
  messages: ChatMessage[];
  temperature: number;
  maxTokens: number;
  /** Ask for JSON with this schema (never streamed). */
  structured?: StructuredOutput;
}

export interface CompletionResult {
  text: string;
  model: string;
  /** As the server reported it; estimated (and marked so) when it reported none. */
  usage: TokenUsage;
  finishReason: string | null;
  /** Cut short: the server stopped at maxTokens (`finish_reason: "length"`), or sent more text
   * than maxTokens can produce and it was cut to the bound below. */
  truncated: boolean;
  /** The validated JSON value, when a schema was asked for and honoured. */
  structured?: { value: unknown };
}

export interface AttemptOptions {
  /** Bound on the whole attempt. */
  timeoutMs: number;
  signal?: AbortSignal;
  /**
   * Streams the answer: called with the visible text so far (reasoning hidden) each time it
   * grows. A stream that sends nothing for `idleTimeoutMs` fails as provider_timeout.
   */
  onText?: (visibleSoFar: string) => void;
  idleTimeoutMs?: number;
}

/**
 * The most text `maxTokens` tokens can honestly make (a token rarely exceeds a dozen
 * characters): a server that sends more is broken or hostile, and what is stored stays well
 * inside Firestore's 1 MiB per document.
 */
export function answerCharCap(maxTokens: number): number {
  return Math.max(maxTokens * 16, 2_000);
}

/** Model ids are short; a server-reported one is stored and used in metrics. */
const MAX_MODEL_ID_CHARS = 200;

/**
 * An OpenAI SDK client for one OpenAI-compatible server. The SDK's own retries are off: the
 * router owns retrying, and two layers of retries would multiply the attempts on a busy GPU.
 */
export function createChatClient(baseUrl: string, apiKey: string | undefined): OpenAI {
  return new OpenAI({
    baseURL: baseUrl,
    // LM Studio without "Require Authentication" accepts any bearer value; the SDK needs one.
    apiKey: apiKey ?? "lm-studio",
    maxRetries: 0,
  });
}

/** llama.cpp's own server sends `timings` beside `usage`; `cache_n` is the prompt it reused. */
interface LlamaTimings {
  cache_n?: unknown;
}

/**
 * The server's token counts. Cached prompt tokens where it reports them:
 * `usage.prompt_tokens_details.cached_tokens` (OpenAI, llama-server since early 2026) or
 * llama-server's `timings.cache_n`. LM Studio reports neither (../shared/LMSTUDIO-WIRE-FORMATS.md).
 */
function readUsage(
  usage: OpenAI.CompletionUsage | undefined | null,
  timings?: LlamaTimings | null,
): TokenUsage | null {
  if (!usage || typeof usage.prompt_tokens !== "number") return null;
  const cached = usage.prompt_tokens_details?.cached_tokens ?? timings?.cache_n;
  return {
    promptTokens: usage.prompt_tokens,
    completionTokens: usage.completion_tokens ?? 0,
    totalTokens: usage.total_tokens ?? usage.prompt_tokens + (usage.completion_tokens ?? 0),
    ...(typeof cached === "number" && cached >= 0 ? { cachedPromptTokens: cached } : {}),
  };
}

const timingsOf = (body: unknown) => (body as { timings?: LlamaTimings } | undefined)?.timings;

const isAbort = (err: unknown) => err instanceof Error && err.name === "AbortError";

/** About four characters a token: what the agent's dashboard shows when a server counts nothing. */
function estimateUsage(request: CompletionRequest, content: string): TokenUsage {
  const tokens = (text: string) => Math.ceil(text.length / 4);
  const promptTokens = tokens(request.messages.map((m) => m.content).join("\n"));
  const completionTokens = tokens(content);
  return {
    promptTokens,
    completionTokens,
    totalTokens: promptTokens + completionTokens,
    estimated: true,
  };
}

/**
 * The SDK hands back the raw text when a server sends JSON under another content type
 * (`text/plain`): parse it rather than throw a valid answer away.
 */
function asBody(response: unknown): unknown {
  if (typeof response !== "string") return response;
  try {
    return JSON.parse(response);
  } catch {
    return response;
  }
}

interface RawAnswer {
  content: unknown;
  model: unknown;
  usage: TokenUsage | null;
  finishReason: unknown;
}

/**
 * One judge for every answer, streamed or not: no reply text left after removing reasoning is
 * invalid_response; text and model id are bounded; `length` means truncated.
 */
function judgeAnswer(label: string, request: CompletionRequest, raw: RawAnswer): CompletionResult {
  const text = extractReplyText(raw.content);
  if (isBlank(text)) {
    const why =
      raw.finishReason === "length"
        ? `it ran out of tokens (finish_reason "length") before writing a reply`
        : "the reply was empty";
    throw new GenerationError("invalid_response", `${label} returned no reply text: ${why}.`);
  }
  const bounded = boundText(text, answerCharCap(request.maxTokens));
  const model = typeof raw.model === "string" && raw.model !== "" ? raw.model : request.model;
  const finishReason = typeof raw.finishReason === "string" ? raw.finishReason : null;
  return {
    text: bounded.text,
    model: boundText(model, MAX_MODEL_ID_CHARS).text,
    usage: raw.usage ?? estimateUsage(request, typeof raw.content === "string" ? raw.content : ""),
    finishReason,
    truncated: bounded.cut || finishReason === "length",
  };
}

/**
 * One attempt: a chat completion, streamed when `onText` is given, bounded by `timeoutMs`, and
 * classified on failure.
 */
export async function requestChatCompletion(
  client: OpenAI,
  label: string,
  request: CompletionRequest,
  options: AttemptOptions,
): Promise<CompletionResult> {
  if (options.onText && !request.structured) {
    return streamChatCompletion(client, label, request, options);
  }
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  let raw: unknown;
  try {
    raw = await client.chat.completions.create(
      {
        model: request.model,
        messages: request.messages,
        temperature: request.temperature,
        max_tokens: request.maxTokens,
        stream: false,
        ...(request.structured ? { response_format: responseFormatOf(request.structured) } : {}),
      },
      { timeout: options.timeoutMs, signal },
    );
  } catch (err) {
    if (request.structured && isSchemaRefusal(err)) {
      throw new SchemaUnsupportedError("the server refused response_format");
    }
    throw classifyProviderError(err, label);
  }

  const result = answerFromBody(label, request, asBody(raw));
  if (!request.structured) return result;
  return { ...result, structured: { value: readStructured(request.structured, result.text) } };
}

/** A whole (non-streamed) answer body: LM Studio's error-in-a-200 first, then the completion. */
function answerFromBody(
  label: string,
  request: CompletionRequest,
  body: unknown,
): CompletionResult {
  const bodyError = classifyErrorBody(body, label);
  if (bodyError) throw bodyError;
  const response = body as Partial<OpenAI.ChatCompletion> | undefined;
  const choice = Array.isArray(response?.choices) ? response.choices[0] : undefined;
  if (!choice || typeof choice.message !== "object" || choice.message === null) {
    throw new GenerationError("invalid_response", `${label} answered without a choice to read.`);
  }
  return judgeAnswer(label, request, {
    content: choice.message.content,
    model: response?.model,
    usage: readUsage(response?.usage, timingsOf(response)),
    finishReason: choice.finish_reason,
  });
}

/**
 * A streamed attempt (`stream: true`, with the final usage chunk). Only `delta.content` is
 * answer text: `delta.reasoning` and `delta.reasoning_content` never show, and an inline
 * `<think>` block shows nothing until it closes. The SDK's timeout ends once the headers arrive,
 * so a stream that stalls mid-body is caught by our own idle timer.
 */
async function streamChatCompletion(
  client: OpenAI,
  label: string,
  request: CompletionRequest,
  options: AttemptOptions,
): Promise<CompletionResult> {
  const idleMs = options.idleTimeoutMs ?? options.timeoutMs;
  const idle = new AbortController();
  let idleTimer = setTimeout(() => idle.abort(), idleMs);
  const stillAlive = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => idle.abort(), idleMs);
  };
  const signals = [idle.signal, AbortSignal.timeout(options.timeoutMs)];
  if (options.signal) signals.push(options.signal);
  const cap = answerCharCap(request.maxTokens);

  let content = "";
  let shown = "";
  let chunks = 0;
  let model: unknown;
  let usage: TokenUsage | null = null;
  let finishReason: unknown = null;
  try {
    const { data: stream, response } = await client.chat.completions
      .create(
        {
          model: request.model,
          messages: request.messages,
          temperature: request.temperature,
          max_tokens: request.maxTokens,
          stream: true,
          stream_options: { include_usage: true },
        },
        { timeout: options.timeoutMs, signal: AbortSignal.any(signals) },
      )
      .withResponse();
    if (!/event-stream/i.test(response.headers.get("content-type") ?? "")) {
      // Not a stream: LM Studio's 200 with an error body, or a whole answer as JSON.
      return answerFromBody(label, request, asBody(await response.text()));
    }
    for await (const chunk of stream) {
      stillAlive();
      chunks += 1;
      const bodyError = classifyErrorBody(chunk, label);
      if (bodyError) throw bodyError;
      if (typeof chunk.model === "string") model = chunk.model;
      usage = readUsage(chunk.usage, timingsOf(chunk)) ?? usage;
      const choice = Array.isArray(chunk.choices) ? chunk.choices[0] : undefined;
      if (!choice) continue;
      if (typeof choice.delta?.content === "string") content += choice.delta.content;
      if (choice.finish_reason) finishReason = choice.finish_reason;
      if (content.length > cap * 2) {
        // A server that will not stop: more would only be cut away. Close the connection.
        stream.controller.abort();
        break;
      }
      const visible = visibleStreamingText(content);
      if (visible !== shown && !isBlank(visible)) {
        shown = visible;
        options.onText?.(visible);
      }
    }
    // An aborted stream may simply stop iterating instead of throwing: what arrived is partial.
    if (AbortSignal.any(signals).aborted) throw new DOMException("aborted", "AbortError");
  } catch (err) {
    if (idle.signal.aborted && !options.signal?.aborted) {
      throw new GenerationError(
        "provider_timeout",
        `${label} stopped sending its answer: nothing for ${idleMs} ms.`,
      );
    }
    throw classifyProviderError(isAbort(err) ? new APIUserAbortError() : err, label);
  } finally {
    clearTimeout(idleTimer);
  }
  if (chunks > 0 && finishReason === null && content.length <= cap * 2) {
    // Every server we speak to ends a complete answer with a finish_reason: this one broke off.
    throw new GenerationError(
      "provider_unreachable",
      `The stream from ${label} ended before the answer was complete.`,
    );
  }
  return judgeAnswer(label, request, { content, model, usage, finishReason });
}
