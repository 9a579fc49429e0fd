import type OpenAI from "openai";
import pLimit, { type LimitFunction } from "p-limit";
import type { ProviderId } from "../config/workspaceAiSettings";
import { createChatClient } from "./chatCompletion";

/** One server the router can send completions to, with its own per-instance concurrency limit. */
export interface ProviderEndpoint {
  provider: ProviderId;
  baseUrl: string;
  /** How errors name this server: never includes credentials. */
  label: string;
  client: OpenAI;
  limit: LimitFunction;
}

export const PROVIDER_LABELS: Record<ProviderId, string> = {
  llm_studio: "LM Studio",
  openai: "OpenAI",
};

export function createProviderEndpoint(
  provider: ProviderId,
  baseUrl: string,
  apiKey: string | undefined,
  concurrency: number,
): ProviderEndpoint {
  return {
    provider,
    baseUrl,
    label: `${PROVIDER_LABELS[provider]} at ${baseUrl}`,
    client: createChatClient(baseUrl, apiKey),
    limit: pLimit(concurrency),
  };
}
