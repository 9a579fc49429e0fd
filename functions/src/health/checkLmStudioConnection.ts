import { ErrorCode, HintLanguage, hintFor } from "../core/errorCodes";
import { safeMessage } from "../core/safeText";
import { createChatClient, requestChatCompletion } from "../providers/chatCompletion";
import { classifyProviderError } from "../providers/classifyProviderError";
import { isLanguageModel, ListedModel, ModelList } from "../providers/lmStudioModels";
import { checkEmbeddingModel, EmbeddingReport } from "./checkEmbeddingModel";
import { checkMessages } from "./checkMessages";
import { probeServer, serverLabel } from "./probeServer";

/*
 * The connection test from the team's guide: reachability, authentication, the model list with
 * load state (the health probe's), the configured model, then one tiny completion through the
 * same completion call as the suggestions; then, when asked, the embedding model of the knowledge
 * base (checkEmbeddingModel). Each failure carries the error code the engine would record and the
 * operator's fix, so the check and the suggestions agree.
 */

export type StepName =
  "server" | "models" | "model" | "completion" | "embedding_model" | "embedding" | "auto_evict";

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
  /** Suggestions work (a completion came back) and, when checked, so do embeddings. */
  ok: boolean;
  /** A completion came back: the suggestions work. */
  suggestionsReady: boolean;
  steps: CheckStep[];
  models: ListedModel[];
  modelSource?: ModelList["source"];
  completion?: CompletionProbe;
  /** The embedding model's checks, when one was named and the server answered. */
  embedding?: EmbeddingReport;
}

export interface ConnectionReport {
  ok: boolean;
  model: string;
  embeddingModel?: string;
  servers: ServerReport[];
}

export interface CheckOptions {
  baseUrls: string[];
  apiKey?: string;
  model: string;
  /** The knowledge base's embedding model; absent: not checked. */
  embeddingModel?: string;
  timeoutMs: number;
  /** Diagnoses and fixes in Spanish for `es`. */
  language?: HintLanguage;
}

/** Listing models should be instant; only generation may take long. */
const LIST_TIMEOUT_MS = 5_000;

function failure(name: StepName, err: unknown, url: string, options: CheckOptions): CheckStep {
  const error = classifyProviderError(err, serverLabel(url));
  const say = checkMessages(options.language ?? "en");
  const summary = say.diagnosis(error.code, say.serverAt(url), error.message);
  return {
    name,
    status: "fail",
    summary: safeMessage(summary, [options.apiKey]),
    code: error.code,
    fix: hintFor(error.code, options.language ?? "en"),
  };
}

async function checkServer(url: string, options: CheckOptions): Promise<ServerReport> {
  const report = await checkChat(url, options);
  if (options.embeddingModel !== undefined && report.modelSource !== undefined) {
    report.embedding = await checkEmbeddingModel(
      url,
      { models: report.models, source: report.modelSource },
      {
        model: options.embeddingModel,
        chatModel: options.model,
        apiKey: options.apiKey,
        timeoutMs: options.timeoutMs,
        language: options.language ?? "en",
      },
    );
  }
  report.ok = report.suggestionsReady && (report.embedding?.ok ?? true);
  return report;
}

async function checkChat(url: string, options: CheckOptions): Promise<ServerReport> {
  const label = serverLabel(url);
  const language = options.language ?? "en";
  const say = checkMessages(language);
  const report: ServerReport = { url, ok: false, suggestionsReady: false, steps: [], models: [] };

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
      summary: error
        ? say.diagnosis(error.code, say.serverAt(url), error.message)
        : say.didNotAnswer(say.serverAt(url)),
      code: error?.code,
      fix: error ? hintFor(error.code, language) : undefined,
    });
    return report;
  }
  report.models = probe.models;
  report.modelSource = probe.modelSource;
  report.steps.push({
    name: "server",
    status: "ok",
    summary: say.answered(say.serverAt(url), options.apiKey !== undefined),
  });
  const llms = probe.models.filter(isLanguageModel);
  const loaded = llms.filter((m) => m.state === "loaded");
  report.steps.push({
    name: "models",
    status: llms.length > 0 ? "ok" : "fail",
    summary:
      llms.length === 0
        ? say.noModels
        : probe.modelSource === "lmstudio"
          ? say.modelsAvailable(llms.length, loaded.length)
          : say.modelsAvailableUnknownState(llms.length),
    ...(llms.length === 0
      ? {
          code: "model_not_found" as const,
          fix: say.downloadAModel,
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
      summary: say.modelMissing(options.model, available),
      fix: say.modelMissingFix(options.model),
    });
    return report;
  }
  report.steps.push(
    wanted.state === "not-loaded"
      ? {
          name: "model",
          status: "warn",
          summary: say.modelNotLoaded(options.model),
          fix: say.modelNotLoadedFix(options.model),
        }
      : {
          name: "model",
          status: "ok",
          summary: say.modelReady(options.model, wanted.state === "loaded"),
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
      summary: say.completed(latencyMs, completion.text.slice(0, 60)),
    });
    report.suggestionsReady = true;
  } catch (err) {
    // An empty answer fails here exactly as it fails a suggestion: invalid_response.
    report.steps.push(failure("completion", err, url, options));
  }
  return report;
}

export async function checkLmStudioConnection(options: CheckOptions): Promise<ConnectionReport> {
  const servers = await Promise.all(options.baseUrls.map((url) => checkServer(url, options)));
  return {
    ok: servers.every((s) => s.ok),
    model: options.model,
    ...(options.embeddingModel !== undefined ? { embeddingModel: options.embeddingModel } : {}),
    servers,
  };
}
