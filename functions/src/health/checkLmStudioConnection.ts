import { type Language } from "../core/language";
import { ErrorCode, hintFor } from "../core/errorCodes";
import { safeMessage } from "../core/safeText";
import {
  CompletionResult,
  createChatClient,
  requestChatCompletion,
} from "../providers/chatCompletion";
import { classifyProviderError } from "../providers/classifyProviderError";
import { isLanguageModel, ListedModel, ModelList } from "../providers/lmStudioModels";
import { checkEmbeddingModel, EmbeddingReport } from "./checkEmbeddingModel";
import { CheckMessages, checkMessages } from "./checkMessages";
import { probeServer, ServerProbe, serverLabel } from "./probeServer";

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
  /** The reader's language: diagnoses and fixes in Spanish for `es`. */
  language: Language;
}

/** Listing models should be instant; only generation may take long. */
const LIST_TIMEOUT_MS = 5_000;

function failure(name: StepName, err: unknown, url: string, options: CheckOptions): CheckStep {
  const error = classifyProviderError(err, serverLabel(url));
  const say = checkMessages(options.language);
  const summary = say.diagnosis(error.code, say.serverAt(url), error.message);
  return {
    name,
    status: "fail",
    summary: safeMessage(summary, [options.apiKey]),
    code: error.code,
    fix: hintFor(error.code, options.language),
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
        language: options.language,
      },
    );
  }
  report.ok = report.suggestionsReady && (report.embedding?.ok ?? true);
  return report;
}

/** The chat side of one server, step by step; a failed step ends the checks that need it. */
async function checkChat(url: string, options: CheckOptions): Promise<ServerReport> {
  const say = checkMessages(options.language);
  const report: ServerReport = { url, ok: false, suggestionsReady: false, steps: [], models: [] };
  const probe = await probeServer(
    url,
    options.apiKey,
    Math.min(LIST_TIMEOUT_MS, options.timeoutMs),
  );
  report.steps.push(serverStep(url, probe, options, say));
  if (probe.modelSource === undefined) return report;
  report.models = probe.models;
  report.modelSource = probe.modelSource;
  report.steps.push(modelsStep(probe.models, probe.modelSource, say));
  const model = modelStep(probe.models, options.model, say);
  report.steps.push(model);
  if (model.status === "fail") return report;
  const pong = await completeOnce(url, options, say);
  if (pong.completion) report.completion = pong.completion;
  report.steps.push(pong.step);
  report.suggestionsReady = pong.completion !== undefined;
  return report;
}

/** Whether the server answered the model list, and if not, the engine's code and fix. */
function serverStep(
  url: string,
  probe: ServerProbe,
  options: CheckOptions,
  say: CheckMessages,
): CheckStep {
  if (probe.modelSource !== undefined) {
    return {
      name: "server",
      status: "ok",
      summary: say.answered(say.serverAt(url), options.apiKey !== undefined),
    };
  }
  const error = probe.error;
  return {
    name: "server",
    status: "fail",
    summary: error
      ? say.diagnosis(error.code, say.serverAt(url), error.message)
      : say.didNotAnswer(say.serverAt(url)),
    code: error?.code,
    fix: error ? hintFor(error.code, options.language) : undefined,
  };
}

/** How many chat models the server lists, and (LM Studio's own API) how many are loaded. */
function modelsStep(
  models: ListedModel[],
  source: ModelList["source"],
  say: CheckMessages,
): CheckStep {
  const llms = models.filter(isLanguageModel);
  if (llms.length === 0) {
    return {
      name: "models",
      status: "fail",
      summary: say.noModels,
      code: "model_not_found",
      fix: say.downloadAModel,
    };
  }
  const loaded = llms.filter((m) => m.state === "loaded");
  return {
    name: "models",
    status: "ok",
    summary:
      source === "lmstudio"
        ? say.modelsAvailable(llms.length, loaded.length)
        : say.modelsAvailableUnknownState(llms.length),
  };
}

/** Whether the configured model is there: missing fails, not loaded warns (it loads on use). */
function modelStep(models: ListedModel[], model: string, say: CheckMessages): CheckStep {
  const wanted = models.find((m) => m.id === model);
  if (!wanted) {
    const available =
      models
        .filter(isLanguageModel)
        .map((m) => m.id)
        .join(", ") || say.none;
    return {
      name: "model",
      status: "fail",
      code: "model_not_found",
      summary: say.modelMissing(model, available),
      fix: say.modelMissingFix(model),
    };
  }
  if (wanted.state === "not-loaded") {
    return {
      name: "model",
      status: "warn",
      summary: say.modelNotLoaded(model),
      fix: say.modelNotLoadedFix(model),
    };
  }
  return { name: "model", status: "ok", summary: say.modelReady(model, wanted.state === "loaded") };
}

/** The tiny completion: through the suggestions' own call, so it fails as a suggestion would. */
async function completeOnce(
  url: string,
  options: CheckOptions,
  say: CheckMessages,
): Promise<{ step: CheckStep; completion?: CompletionProbe }> {
  const started = Date.now();
  try {
    const result = await requestChatCompletion(
      createChatClient(url, options.apiKey),
      serverLabel(url),
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
    const completion = completionProbe(result, Date.now() - started);
    const summary = say.completed(completion.latencyMs, result.text.slice(0, 60));
    return { completion, step: { name: "completion", status: "ok", summary } };
  } catch (err) {
    // An empty answer fails here exactly as it fails a suggestion: invalid_response.
    return { step: failure("completion", err, url, options) };
  }
}

/** What the operator reads about the completion: its latency and speed. */
function completionProbe(result: CompletionResult, latencyMs: number): CompletionProbe {
  const completionTokens = result.usage?.completionTokens ?? null;
  return {
    latencyMs,
    completionTokens,
    tokensPerSecond:
      completionTokens !== null && latencyMs > 0
        ? Math.round((completionTokens / latencyMs) * 10_000) / 10
        : null,
    reply: result.text,
    finishReason: result.finishReason,
  };
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
