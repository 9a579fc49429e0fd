import { ERROR_HINTS, ErrorCode } from "../core/errorCodes";
import { safeMessage } from "../core/safeText";
import { createChatClient, requestChatCompletion } from "../providers/chatCompletion";
import { classifyProviderError } from "../providers/classifyProviderError";
import { isLanguageModel, ListedModel, ModelList } from "../providers/lmStudioModels";
import { probeServer, serverLabel } from "./probeServer";

/*
 * The connection test from the team's guide: reachability, authentication, the model list with
 * load state (the health probe's), the configured model, then one tiny completion through the
 * same completion call as the suggestions. Each failure carries the error code the engine would
 * record and the operator's fix, so the check and the suggestions agree.
 */

export type StepName = "server" | "models" | "model" | "completion";

export interface CheckStep {
  name: StepName;
  status: "ok" | "warn" | "fail";
  summary: string;
  code?: ErrorCode;
  fix?: string;
}

export interface CompletionProbe {
  latencyMs: number;
  completionTokens: number | null;
  tokensPerSecond: number | null;
  reply: string;
  finishReason: string | null;
}

export interface ServerReport {
  url: string;
  ok: boolean;
  steps: CheckStep[];
  models: ListedModel[];
  modelSource?: ModelList["source"];
  completion?: CompletionProbe;
}

export interface ConnectionReport {
  ok: boolean;
  model: string;
  servers: ServerReport[];
}

export interface CheckOptions {
  baseUrls: string[];
  apiKey?: string;
  model: string;
  timeoutMs: number;
}

/** Listing models should be instant; only generation may take long. */
const LIST_TIMEOUT_MS = 5_000;

function failure(name: StepName, err: unknown, label: string, apiKey?: string): CheckStep {
  const error = classifyProviderError(err, label);
  return {
    name,
    status: "fail",
    summary: safeMessage(error.message, [apiKey]),
    code: error.code,
    fix: ERROR_HINTS[error.code],
  };
}

async function checkServer(url: string, options: CheckOptions): Promise<ServerReport> {
  const label = serverLabel(url);
  const report: ServerReport = { url, ok: false, steps: [], models: [] };

  const probe = await probeServer(
    url,
    options.apiKey,
    Math.min(LIST_TIMEOUT_MS, options.timeoutMs),
  );
  if (probe.modelSource === undefined) {
    const error = probe.error;
    report.steps.push({
      name: "server",
      status: "fail",
      summary: error?.message ?? `${label} did not answer.`,
      code: error?.code,
      fix: error?.hint,
    });
    return report;
  }
  report.models = probe.models;
  report.modelSource = probe.modelSource;
  report.steps.push({
    name: "server",
    status: "ok",
    summary: `${label} answered${options.apiKey ? " (authenticated with LLM_STUDIO_API_KEY)" : ""}.`,
  });
  const llms = probe.models.filter(isLanguageModel);
  const loaded = llms.filter((m) => m.state === "loaded");
  report.steps.push({
    name: "models",
    status: llms.length > 0 ? "ok" : "fail",
    summary:
      llms.length === 0
        ? "The server lists no language models."
        : probe.modelSource === "lmstudio"
          ? `${llms.length} model(s) available, ${loaded.length} loaded.`
          : `${llms.length} model(s) available (load state unknown: not LM Studio's native API).`,
    ...(llms.length === 0
      ? {
          code: "model_not_found" as const,
          fix: "Download a model: `lms get gpt-oss-20b`, or in LM Studio's Discover tab.",
        }
      : {}),
  });

  const wanted = probe.models.find((m) => m.id === options.model);
  if (!wanted) {
    const available = llms.map((m) => m.id).join(", ") || "none";
    report.steps.push({
      name: "model",
      status: "fail",
      code: "model_not_found",
      summary: `Model "${options.model}" is not available. Available: ${available}.`,
      fix: `Download and load it (\`lms get ${options.model}\`, \`lms load ${options.model}\`), or set LLM_STUDIO_CHECK_MODEL / settings/ai.defaultModel to one of the available models.`,
    });
    return report;
  }
  report.steps.push(
    wanted.state === "not-loaded"
      ? {
          name: "model",
          status: "warn",
          summary: `Model "${options.model}" is downloaded but not loaded: the first request loads it, which can take tens of seconds.`,
          fix: `Load it ahead of time with \`lms load ${options.model}\`, or raise LLM_TIMEOUT_MS.`,
        }
      : {
          name: "model",
          status: "ok",
          summary: `Model "${options.model}" is ${wanted.state === "loaded" ? "loaded" : "available"}.`,
        },
  );

  const started = Date.now();
  try {
    const completion = await requestChatCompletion(
      createChatClient(url, options.apiKey),
      label,
      {
        model: options.model,
        messages: [
          { role: "system", content: "You are a connection test. Answer with one word." },
          { role: "user", content: "Reply with the word: pong" },
        ],
        maxTokens: 256,
        temperature: 0,
      },
      { timeoutMs: options.timeoutMs },
    );
    const latencyMs = Date.now() - started;
    const completionTokens = completion.usage?.completionTokens ?? null;
    report.completion = {
      latencyMs,
      completionTokens,
      tokensPerSecond:
        completionTokens !== null && latencyMs > 0
          ? Math.round((completionTokens / latencyMs) * 10_000) / 10
          : null,
      reply: completion.text,
      finishReason: completion.finishReason,
    };
    report.steps.push({
      name: "completion",
      status: "ok",
      summary: `Completion in ${latencyMs} ms: "${completion.text.slice(0, 60)}".`,
    });
    report.ok = true;
  } catch (err) {
    // An empty answer fails here exactly as it fails a suggestion: invalid_response.
    report.steps.push(failure("completion", err, label, options.apiKey));
  }
  return report;
}

export async function checkLmStudioConnection(options: CheckOptions): Promise<ConnectionReport> {
  const servers = await Promise.all(options.baseUrls.map((url) => checkServer(url, options)));
  return { ok: servers.every((s) => s.ok), model: options.model, servers };
}
