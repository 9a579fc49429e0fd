import type OpenAI from "openai";
import pLimit, { type LimitFunction } from "p-limit";
import type { ProviderId } from "../core/vocabulary";
import { createChatClient } from "./chatCompletion";
import { BreakerOptions, CircuitBreaker } from "./circuitBreaker";

/**
 * One server the router can send completions to, with its own per-instance concurrency limit
 * and circuit breaker.
 */
export interface ProviderEndpoint {
  provider: ProviderId;
  baseUrl: string;
  /** How errors name this server: never includes credentials. */
  label: string;
  client: OpenAI;
  limit: LimitFunction;
  /**
   * Embedding calls' own slots: LM Studio serves the embedding model beside the chat model, and a
   * 20 ms lookup must not queue behind two streaming answers (it would miss RAG_TIMEOUT_MS).
   */
  embedLimit: LimitFunction;
  breaker: CircuitBreaker;
  /** This server refused a JSON schema or its model ignored one: ask it for plain text. */
  schemaUnsupported: boolean;
}

export const PROVIDER_LABELS: Record<ProviderId, string> = {
  llm_studio: "LM Studio",
  openai: "OpenAI",
};

export function createProviderEndpoint(
  provider: ProviderId,
  baseUrl: string,
  apiKey: string | undefined,
  options: { concurrency: number; breaker: BreakerOptions },
): ProviderEndpoint {
  return {
    provider,
    baseUrl,
    label: `${PROVIDER_LABELS[provider]} at ${baseUrl}`,
    client: createChatClient(baseUrl, apiKey),
    limit: pLimit(options.concurrency),
    embedLimit: pLimit(options.concurrency),
    breaker: new CircuitBreaker(options.breaker),
    schemaUnsupported: false,
  };
}

/** Requests running or queued on the endpoint in this instance. */
export function endpointLoad(endpoint: ProviderEndpoint): number {
  return endpoint.limit.activeCount + endpoint.limit.pendingCount;
}
