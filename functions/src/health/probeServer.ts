import { type ErrorCode, hintFor } from "../core/errorCodes";
import type { Language } from "../core/language";
import { safeMessage } from "../core/safeText";
import { createChatClient } from "../providers/chatCompletion";
import { classifyProviderError } from "../providers/classifyProviderError";
import { isLanguageModel, ListedModel, listModels, ModelList } from "../providers/lmStudioModels";

/**
 * One LM Studio server as the health endpoint, `npm run llm:check` and `npm run dev`'s banner
 * see it: reachable, authenticated, and which models it lists with their load state. Cheap: no
 * generation, nothing spent.
 */
export interface ServerProbe {
  baseUrl: string;
  /** Healthy when the server answered and lists a language model. */
  status: "healthy" | "unhealthy";
  /** The model list's round trip; null for a bridge, which is not asked (see presenceAgeMs). */
  latencyMs: number | null;
  /** A bridge's: how long ago its presence was last written. */
  presenceAgeMs?: number;
  models: ListedModel[];
  /** Set when the model list was read; absent when the server could not be asked. */
  modelSource?: ModelList["source"];
  /**
   * Why it is unhealthy. No hint: a probe is cached and shared by every reader, and each reads the
   * hint in their own language (withHint, where the probe is shown).
   */
  error?: ProbeError;
}

export interface ProbeError {
  code: ErrorCode;
  message: string;
}

/** A probed server as a reader sees it: its error with the table's hint in their language. */
export function withHint(server: ServerProbe, language: Language) {
  const { error, ...rest } = server;
  return error ? { ...rest, error: { ...error, hint: hintFor(error.code, language) } } : rest;
}

export const serverLabel = (baseUrl: string) => `LM Studio at ${baseUrl}`;

export async function probeServer(
  baseUrl: string,
  apiKey: string | undefined,
  timeoutMs: number,
): Promise<ServerProbe> {
  const started = Date.now();
  try {
    const list = await listModels(createChatClient(baseUrl, apiKey), baseUrl, { timeoutMs });
    const usable = list.models.some(isLanguageModel);
    return {
      baseUrl,
      status: usable ? "healthy" : "unhealthy",
      latencyMs: Date.now() - started,
      models: list.models,
      modelSource: list.source,
      ...(usable
        ? {}
        : {
            error: {
              code: "model_not_found" as const,
              message: "The server lists no language model.",
            },
          }),
    };
  } catch (err) {
    const error = classifyProviderError(err, serverLabel(baseUrl));
    return {
      baseUrl,
      status: "unhealthy",
      latencyMs: Date.now() - started,
      models: [],
      error: { code: error.code, message: safeMessage(error.message, [apiKey]) },
    };
  }
}
