import OpenAI from "openai";
import { GenerationError } from "../core/errorCodes";
import { boundText, isBlank } from "../core/safeText";
import type { ChatMessage, TokenUsage } from "../core/vocabulary";
import { extractReplyText } from "../prompt/extractReplyText";
import { classifyErrorBody, classifyProviderError } from "./classifyProviderError";

export interface CompletionRequest {
  model: string;
  messages: ChatMessage[];
  temperature: number;
  maxTokens: number;
}

export interface CompletionResult {
  text: string;
  model: string;
  usage: TokenUsage | null;
  finishReason: string | null;
  /** The text was cut to the bound below: the server sent more than maxTokens can produce. */
  truncated: boolean;
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

function readUsage(usage: OpenAI.CompletionUsage | undefined | null): TokenUsage | null {
  if (!usage || typeof usage.prompt_tokens !== "number") return null;
  return {
    promptTokens: usage.prompt_tokens,
    completionTokens: usage.completion_tokens ?? 0,
    totalTokens: usage.total_tokens ?? usage.prompt_tokens + (usage.completion_tokens ?? 0),
  };
}

/**
 * One attempt: a chat completion bounded by `timeoutMs` from start to last byte, classified on
 * failure. An answer with no reply text left after removing reasoning is `invalid_response`.
 */
export async function requestChatCompletion(
  client: OpenAI,
  label: string,
  request: CompletionRequest,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<CompletionResult> {
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
      },
      { timeout: options.timeoutMs, signal },
    );
  } catch (err) {
    throw classifyProviderError(err, label);
  }

  const body = asBody(raw);
  const bodyError = classifyErrorBody(body, label);
  if (bodyError) throw bodyError;
  const response = body as Partial<OpenAI.ChatCompletion> | undefined;
  const choice = Array.isArray(response?.choices) ? response.choices[0] : undefined;
  if (!choice || typeof choice.message !== "object" || choice.message === null) {
    throw new GenerationError("invalid_response", `${label} answered without a choice to read.`);
  }
  const text = extractReplyText(choice.message.content);
  if (isBlank(text)) {
    const why =
      choice.finish_reason === "length"
        ? `it ran out of tokens (finish_reason "length") before writing a reply`
        : "the reply was empty";
    throw new GenerationError("invalid_response", `${label} returned no reply text: ${why}.`);
  }
  const bounded = boundText(text, answerCharCap(request.maxTokens));
  const model =
    typeof response?.model === "string" && response.model !== "" ? response.model : request.model;
  return {
    text: bounded.text,
    model: boundText(model, MAX_MODEL_ID_CHARS).text,
    usage: readUsage(response?.usage),
    finishReason: typeof choice.finish_reason === "string" ? choice.finish_reason : null,
    truncated: bounded.cut,
  };
}
