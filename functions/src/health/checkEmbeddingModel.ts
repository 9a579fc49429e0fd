import { hintFor } from "../core/errorCodes";
import { safeMessage } from "../core/safeText";
import { createChatClient } from "../providers/chatCompletion";
import { classifyProviderError } from "../providers/classifyProviderError";
import { MAX_VECTOR_DIMENSIONS, requestEmbeddings } from "../providers/embeddingRequest";
import { isLanguageModel, type ListedModel, type ModelList } from "../providers/lmStudioModels";
import type { CheckStep } from "./checkLmStudioConnection";
import { checkMessages } from "./checkMessages";
import { serverLabel } from "./probeServer";
import { type Language } from "../core/language";

/*
 * The knowledge base's half of the connection test: the embedding model is in the server's list
 * and is one (`type: "embeddings"`, not a chat model), one tiny embedding comes back through the
 * same call the indexing uses, with dimensions Firestore's vector search accepts; and, on LM
 * Studio, a warning that JIT Auto-Evict makes the chat and embedding models evict each other
 * unless both are loaded.
 */

export interface EmbeddingProbe {
  latencyMs: number;
  dimensions: number;
}

export interface EmbeddingReport {
  model: string;
  ok: boolean;
  steps: CheckStep[];
  probe?: EmbeddingProbe;
}

export interface EmbeddingCheckOptions {
  model: string;
  /** The chat model checked on the same server: the one the embedding model competes with. */
  chatModel: string;
  apiKey?: string;
  timeoutMs: number;
  language: Language;
}

export async function checkEmbeddingModel(
  url: string,
  listing: { models: ListedModel[]; source: ModelList["source"] },
  options: EmbeddingCheckOptions,
): Promise<EmbeddingReport> {
  const say = checkMessages(options.language);
  const report: EmbeddingReport = { model: options.model, ok: false, steps: [] };
  const listed = listing.models.find((m) => m.id === options.model);
  if (!listed) {
    const available = listing.models.filter((m) => m.type === "embeddings").map((m) => m.id);
    report.steps.push({
      name: "embedding_model",
      status: "fail",
      code: "model_not_found",
      summary: say.embeddingModelMissing(options.model, available.join(", ") || say.none),
      fix: say.embeddingModelMissingFix(options.model),
    });
    return report;
  }
  if (listed.type !== undefined && isLanguageModel(listed)) {
    report.steps.push({
      name: "embedding_model",
      status: "fail",
      code: "wrong_model_type",
      summary: say.embeddingModelIsChat(options.model, listed.type),
      fix: hintFor("wrong_model_type", options.language),
    });
    return report;
  }
  report.steps.push({
    name: "embedding_model",
    status: "ok",
    summary: say.embeddingModelReady(options.model, listed.state),
  });

  const started = Date.now();
  try {
    const result = await requestEmbeddings(
      createChatClient(url, options.apiKey),
      serverLabel(url),
      { model: options.model, inputs: ["ping"] },
      { timeoutMs: options.timeoutMs },
    );
    report.probe = { latencyMs: Date.now() - started, dimensions: result.dimensions };
    report.steps.push(
      result.dimensions > MAX_VECTOR_DIMENSIONS
        ? {
            name: "embedding",
            status: "fail",
            summary: say.tooManyDimensions(result.dimensions, MAX_VECTOR_DIMENSIONS),
            fix: say.tooManyDimensionsFix(MAX_VECTOR_DIMENSIONS),
          }
        : {
            name: "embedding",
            status: "ok",
            summary: say.embedded(report.probe.latencyMs, result.dimensions),
          },
    );
  } catch (err) {
    const error = classifyProviderError(err, serverLabel(url));
    report.steps.push({
      name: "embedding",
      status: "fail",
      code: error.code,
      summary: safeMessage(say.diagnosis(error.code, say.serverAt(url), error.message), [
        options.apiKey,
      ]),
      // The same server listed its models a moment ago: not "start the server", but why this
      // request broke (most often the model failed to load).
      fix:
        error.code === "provider_unreachable"
          ? say.embeddingDroppedFix(options.model)
          : hintFor(error.code, options.language),
    });
  }

  if (listing.source === "lmstudio") {
    const chat = listing.models.find((m) => m.id === options.chatModel);
    // Both loaded at once: they already coexist (loaded with `lms load`, or Auto-Evict is off).
    if (!(chat?.state === "loaded" && listed.state === "loaded")) {
      report.steps.push({
        name: "auto_evict",
        status: "warn",
        summary: say.autoEvict,
        fix: say.autoEvictFix(options.chatModel, options.model),
      });
    }
  }
  report.ok = report.steps.every((s) => s.status !== "fail");
  return report;
}
