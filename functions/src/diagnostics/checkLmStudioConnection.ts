import { ErrorCode, ERROR_HINTS } from "../errors/errorCodes";
import { createChatClient } from "../providers/chatCompletion";
import { classifyProviderError } from "../providers/classifyProviderError";
import { isLanguageModel, ListedModel, listModels, ModelList } from "../providers/lmStudioModels";
import { extractReplyText } from "../prompt/extractReplyText";

/*
 * The connection test from the team's guide: reachability, authentication, the model list with
 * load state, the configured model, then one tiny completion. Each failure carries the error code
 * the pipeline would record and the operator's fix, so the check and the suggestions agree.
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

function failure(name: StepName, err: unknown, label: string): CheckStep {
  const error = classifyProviderError(err, label);
  return {
    name,
    status: "fail",
    summary: error.message,
    code: error.code,
    fix: ERROR_HINTS[error.code],
  };
}

async function checkServer(url: string, options: CheckOptions): Promise<ServerReport> {
  const label = `LM Studio at ${url}`;
  const client = createChatClient(url, options.apiKey);
  const report: ServerReport = { url, ok: false, steps: [], models: [] };

  let list: ModelList;
  try {
    list = await listModels(client, url, {
      timeoutMs: Math.min(LIST_TIMEOUT_MS, options.timeoutMs),
    });
  } catch (err) {
    report.steps.push(failure("server", err, label));
    return report;
  }
  report.models = list.models;
  report.modelSource = list.source;
  report.steps.push({
    name: "server",
    status: "ok",
    summary: `${label} answered${options.apiKey ? " (authenticated with LLM_STUDIO_API_KEY)" : ""}.`,
  });
  const llms = list.models.filter(isLanguageModel);
  const loaded = llms.filter((m) => m.state === "loaded");
  report.steps.push({
    name: "models",
    status: llms.length > 0 ? "ok" : "fail",
    summary:
      llms.length === 0
        ? "The server lists no language models."
        : list.source === "lmstudio"
          ? `${llms.length} model(s) available, ${loaded.length} loaded.`
          : `${llms.length} model(s) available (load state unknown: not LM Studio's native API).`,
    ...(llms.length === 0
      ? {
          code: "model_not_found" as const,
          fix: "Download a model: `lms get gpt-oss-20b`, or in LM Studio's Discover tab.",
        }
      : {}),
  });

  const wanted = list.models.find((m) => m.id === options.model);
  if (!wanted) {
    const available = llms.map((m) => m.id).join(", ") || "none";
    report.steps.push({
      name: "model",
      status: "fail",
      code: "model_not_found",
      summary: `Model "${options.model}" is not available. Available: ${available}.`,
      fix: `Download and load it (\`lms get ${options.model}\`, \`lms load ${options.model}\`), or set LLM_STUDIO_MODEL / settings/ai.defaultModel to one of the available models.`,
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
    const response = await client.chat.completions.create(
      {
        model: options.model,
        messages: [
          { role: "system", content: "You are a connection test. Answer with one word." },
          { role: "user", content: "Reply with the word: pong" },
        ],
        max_tokens: 256,
        temperature: 0,
      },
      { timeout: options.timeoutMs, signal: AbortSignal.timeout(options.timeoutMs) },
    );
    const latencyMs = Date.now() - started;
    const choice = response.choices?.[0];
    const completionTokens = response.usage?.completion_tokens ?? null;
    const reply = extractReplyText(choice?.message?.content);
    report.completion = {
      latencyMs,
      completionTokens,
      tokensPerSecond:
        completionTokens !== null && latencyMs > 0
          ? Math.round((completionTokens / latencyMs) * 10_000) / 10
          : null,
      reply,
      finishReason: choice?.finish_reason ?? null,
    };
    report.steps.push(
      reply === ""
        ? {
            name: "completion",
            status: "warn",
            summary: `A completion came back in ${latencyMs} ms but with no reply text (finish_reason ${choice?.finish_reason ?? "none"}).`,
            fix: ERROR_HINTS.invalid_response,
          }
        : {
            name: "completion",
            status: "ok",
            summary: `Completion in ${latencyMs} ms: "${reply.slice(0, 60)}".`,
          },
    );
    report.ok = true;
  } catch (err) {
    report.steps.push(failure("completion", err, label));
  }
  return report;
}

export async function checkLmStudioConnection(options: CheckOptions): Promise<ConnectionReport> {
  const servers = await Promise.all(options.baseUrls.map((url) => checkServer(url, options)));
  return { ok: servers.every((s) => s.ok), model: options.model, servers };
}
