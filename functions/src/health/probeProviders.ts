import type { RuntimeConfig } from "../config/runtimeConfig";
import { ErrorCode, ERROR_HINTS } from "../errors/errorCodes";
import { createChatClient } from "../providers/chatCompletion";
import { classifyProviderError } from "../providers/classifyProviderError";
import { isLanguageModel, ListedModel, listModels, ModelList } from "../providers/lmStudioModels";

export type LmStudioStatus = "healthy" | "unhealthy" | "disabled";

export interface ServerProbe {
  baseUrl: string;
  status: "healthy" | "unhealthy";
  latencyMs: number;
  models: ListedModel[];
  modelSource?: ModelList["source"];
  error?: { code: ErrorCode; message: string; hint: string };
}

export interface ProviderProbe {
  llmStudio: { status: LmStudioStatus; servers: ServerProbe[] };
  /** OpenAI is not called: a probe would cost the customer requests for nothing. */
  openai: { status: "configured" | "disabled" };
  checkedAt: string;
}

async function probeServer(
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
              hint: ERROR_HINTS.model_not_found,
            },
          }),
    };
  } catch (err) {
    const error = classifyProviderError(err, `LM Studio at ${baseUrl}`);
    return {
      baseUrl,
      status: "unhealthy",
      latencyMs: Date.now() - started,
      models: [],
      error: { code: error.code, message: error.message, hint: error.hint },
    };
  }
}

/** Asks every LM Studio server for its models (cheap, no generation); OpenAI only by config. */
export async function probeProviders(config: RuntimeConfig): Promise<ProviderProbe> {
  const { lmStudio, openai, health } = config;
  const servers = lmStudio.enabled
    ? await Promise.all(
        lmStudio.baseUrls.map((url) => probeServer(url, lmStudio.apiKey, health.probeTimeoutMs)),
      )
    : [];
  return {
    llmStudio: {
      status: !lmStudio.enabled
        ? "disabled"
        : servers.some((s) => s.status === "healthy")
          ? "healthy"
          : "unhealthy",
      servers,
    },
    openai: { status: openai.apiKey ? "configured" : "disabled" },
    checkedAt: new Date().toISOString(),
  };
}

/**
 * A dashboard polling the endpoint must not turn into load on the GPU box: one probe per
 * `cacheMs` per instance, shared by every caller, including those that arrive while it runs.
 */
export class ProbeCache {
  private entry: { key: RuntimeConfig; at: number; probe: Promise<ProviderProbe> } | undefined;

  get(config: RuntimeConfig): Promise<ProviderProbe> {
    const now = Date.now();
    if (!this.entry || this.entry.key !== config || now - this.entry.at >= config.health.cacheMs) {
      this.entry = { key: config, at: now, probe: probeProviders(config) };
    }
    return this.entry.probe;
  }
}
