import { APIError } from "openai";
import type OpenAI from "openai";

/** A model as the server lists it; `state` is known only from LM Studio's native API. */
export interface ListedModel {
  id: string;
  state: "loaded" | "not-loaded" | "unknown";
  type?: string;
  quantization?: string;
  maxContextLength?: number;
}

/** Chat-capable entries of a model list; embeddings models cannot answer a customer. */
export function isLanguageModel(model: ListedModel): boolean {
  return model.type === undefined || model.type === "llm" || model.type === "vlm";
}

export interface ModelList {
  models: ListedModel[];
  /** `lmstudio` when LM Studio's native /api/v0/models answered, else the plain /v1/models. */
  source: "lmstudio" | "openai-compatible";
}

interface NativeModel {
  id?: unknown;
  type?: unknown;
  state?: unknown;
  quantization?: unknown;
  max_context_length?: unknown;
}

function fromNative(entry: NativeModel): ListedModel | undefined {
  if (typeof entry.id !== "string") return undefined;
  return {
    id: entry.id,
    state: entry.state === "loaded" || entry.state === "not-loaded" ? entry.state : "unknown",
    type: typeof entry.type === "string" ? entry.type : undefined,
    quantization: typeof entry.quantization === "string" ? entry.quantization : undefined,
    maxContextLength:
      typeof entry.max_context_length === "number" ? entry.max_context_length : undefined,
  };
}

/**
 * Lists the server's models with their load state. LM Studio (0.3.6+) answers its native
 * `/api/v0/models` with `state`; Ollama, llama.cpp and vLLM do not, so `/v1/models` is the
 * fallback. Errors (refused, timeout, 401) are thrown as the SDK's, for classifyProviderError.
 */
export async function listModels(
  client: OpenAI,
  baseUrl: string,
  options: { timeoutMs: number },
): Promise<ModelList> {
  const serverRoot = baseUrl.replace(/\/v1$/, "");
  try {
    const native = await client.get<{ data?: NativeModel[] }>(`${serverRoot}/api/v0/models`, {
      timeout: options.timeoutMs,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    if (Array.isArray(native?.data)) {
      const models = native.data.map(fromNative).filter((m): m is ListedModel => m !== undefined);
      return { models, source: "lmstudio" };
    }
  } catch (err) {
    // A server without the native API answers 404 (or LM Studio-style 200 with an error);
    // anything else (refused, timeout, auth) is the real answer.
    if (
      !(err instanceof APIError) ||
      err.status === undefined ||
      err.status === 401 ||
      err.status === 403
    ) {
      throw err;
    }
  }
  const page = await client.models.list({
    timeout: options.timeoutMs,
    signal: AbortSignal.timeout(options.timeoutMs),
  });
  return {
    models: page.data.map((m) => ({ id: m.id, state: "unknown" as const })),
    source: "openai-compatible",
  };
}
