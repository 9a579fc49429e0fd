import type { RuntimeConfig } from "../config/runtimeConfig";
import type { WorkspaceAiSettings } from "../config/workspaceAiSettings";
import type { GenerationError } from "../core/errorCodes";
import type { ProviderId } from "../core/vocabulary";

/*
 * How we decide to fall back, in one place: which providers a workspace's suggestion may try, in
 * which order, with which model; and which failures hand over to the next one.
 */

/** OpenAI's small model, the team's guide's choice for the cloud backup. */
export const DEFAULT_OPENAI_FALLBACK_MODEL = "gpt-4o-mini";

export interface ProviderStep {
  provider: ProviderId;
  model: string;
}

/**
 * The primary provider from the settings, then the other one where it can serve: OpenAI when a
 * key is set and the workspace allows its conversations in the cloud (`flags.cloud_fallback`),
 * LM Studio when enabled and the workspace names a `fallbackModel` for it.
 */
export function planProviderChain(
  settings: WorkspaceAiSettings,
  config: RuntimeConfig,
  primaryModel: string = settings.defaultModel,
): ProviderStep[] {
  const primary: ProviderStep = { provider: settings.provider, model: primaryModel };
  if (settings.provider === "llm_studio") {
    if (!config.openai.apiKey || !settings.flags.cloudFallback) return [primary];
    return [
      primary,
      { provider: "openai", model: settings.fallbackModel ?? DEFAULT_OPENAI_FALLBACK_MODEL },
    ];
  }
  if (!config.lmStudio.enabled || !settings.fallbackModel) return [primary];
  return [primary, { provider: "llm_studio", model: settings.fallbackModel }];
}

/**
 * Whether a failed provider hands over to the next one of the chain: the one home of that
 * decision, one reason a line. The rule per code is in core/errorCodes' table: provider-side
 * failures fall back (down, slow, overloaded, lacking the model, refusing our credentials,
 * switched off); failures of our own request or settings would fail the same way anywhere.
 */
export function fallbackDecision(
  error: GenerationError,
  situation: { hasNext: boolean; aborted: boolean; remainingMs: number; minAttemptMs: number },
): boolean {
  if (!situation.hasNext) return false; // the chain is over
  if (!error.fallsBack) return false; // the next provider would fail the same way
  if (situation.aborted) return false; // nobody wants the answer any more
  if (situation.remainingMs < situation.minAttemptMs) return false; // too late to answer in time
  return true;
}
