import type OpenAI from "openai";
import { GenerationError } from "../core/errorCodes";
import { boundText } from "../core/safeText";
import { classifyErrorBody, classifyProviderError } from "./classifyProviderError";

/*
 * One `/v1/embeddings` call on one server, LM Studio's way (../shared/LMSTUDIO-WIRE-FORMATS.md):
 * `encoding_format: "float"` always, because the SDK asks for base64 by default and then
 * "decodes" the floats LM Studio sends anyway into vectors a quarter of the length; `usage` is
 * zeros, so nothing is read from it; an empty input fails there, so none is ever sent.
 */

/** Firestore's vector search takes vectors of at most this many dimensions. */
export const MAX_VECTOR_DIMENSIONS = 2048;

export interface EmbeddingResult {
  /** One vector per input, in input order. */
  vectors: number[][];
  /** The model id the server named (or the one asked for). */
  model: string;
  dimensions: number;
}

export async function requestEmbeddings(
  client: OpenAI,
  label: string,
  request: { model: string; inputs: string[] },
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<EmbeddingResult> {
  if (request.inputs.length === 0 || request.inputs.some((text) => text.trim() === "")) {
    // Our bug, never the server's: it must not count against the server or be retried.
    throw new GenerationError("invalid_request", "An empty text was about to be embedded.");
  }
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
  let raw: unknown;
  try {
    raw = await client.embeddings.create(
      { model: request.model, input: request.inputs, encoding_format: "float" },
      { timeout: options.timeoutMs, signal },
    );
  } catch (err) {
    throw classifyProviderError(err, label);
  }
  return readEmbeddings(label, request, raw);
}

/** The body, judged: LM Studio's error-in-a-200 first, then one finite vector per input, one size. */
export function readEmbeddings(
  label: string,
  request: { model: string; inputs: string[] },
  body: unknown,
): EmbeddingResult {
  const bodyError = classifyErrorBody(body, label);
  if (bodyError) throw bodyError;
  const data = (body as { data?: unknown } | null)?.data;
  const invalid = (why: string) =>
    new GenerationError(
      "invalid_response",
      `${label} sent embeddings that cannot be used: ${why}.`,
    );
  if (!Array.isArray(data) || data.length !== request.inputs.length) {
    throw invalid(
      `expected ${request.inputs.length} vectors, got ${Array.isArray(data) ? data.length : "none"}`,
    );
  }
  const vectors: number[][] = new Array(request.inputs.length);
  for (const [position, item] of data.entries()) {
    const entry = item as { embedding?: unknown; index?: unknown };
    const index = typeof entry.index === "number" ? entry.index : position;
    const vector = entry.embedding;
    if (!Array.isArray(vector) || vector.length === 0) {
      throw invalid(`item ${position} has no float vector (was encoding_format "float" sent?)`);
    }
    if (!vector.every((x) => typeof x === "number" && Number.isFinite(x))) {
      throw invalid(`item ${position} holds a value that is not a finite number`);
    }
    if (index < 0 || index >= vectors.length || vectors[index] !== undefined) {
      throw invalid(`item ${position} has index ${index}`);
    }
    vectors[index] = vector as number[];
  }
  const dimensions = vectors[0].length;
  if (vectors.some((v) => v.length !== dimensions)) throw invalid("the vectors differ in size");
  const named = (body as { model?: unknown }).model;
  const model =
    typeof named === "string" && named !== "" ? boundText(named, 200).text : request.model;
  return { vectors, model, dimensions };
}
