import { createHash } from "node:crypto";
import type { WorkspaceAiSettings } from "../config/workspaceAiSettings";
import type { ProviderId } from "../core/vocabulary";
import { DEFAULT_OPENAI_FALLBACK_MODEL } from "./fallbackPolicy";

/*
 * The guide's migration on real traffic: `rollout.llm_studio` percent of conversations go to LM
 * Studio, the rest to OpenAI, so that both providers answer the same kind of traffic side by
 * side. Sticky by conversation: every message, rewrite and report of a conversation goes to the
 * same provider, so an agent never sees one conversation answered by two models in turn. Pure.
 */

/** Where a conversation falls on the 0–100 scale: the same every time, spread evenly. */
export function rolloutPosition(workspaceId: string, conversationId: string): number {
  const digest = createHash("sha256").update(`${workspaceId}/${conversationId}`).digest();
  return (digest.readUInt32BE(0) / 0x1_0000_0000) * 100;
}

/** Which provider answers this conversation first. */
export function providerForConversation(
  settings: Pick<WorkspaceAiSettings, "rollout">,
  workspaceId: string,
  conversationId: string,
): ProviderId {
  return rolloutPosition(workspaceId, conversationId) < settings.rollout.llmStudio
    ? "llm_studio"
    : "openai";
}

/**
 * The settings as this conversation sees them. Rolled over to the other provider, the roles of
 * the two models swap: the other provider answers with `fallbackModel` (OpenAI's default
 * `gpt-4o-mini` when absent), and the configured provider becomes its fallback with the task's
 * model, so fallback works both ways as before. The provider chain, the metrics' model keys and,
 * in bridge mode, queue-or-direct all read the provider from here.
 */
export function settingsForConversation(
  settings: WorkspaceAiSettings,
  workspaceId: string,
  conversationId: string,
): WorkspaceAiSettings {
  const provider = providerForConversation(settings, workspaceId, conversationId);
  if (provider === settings.provider) return settings;
  // An LM Studio share of an OpenAI-first workspace is validated to name its model.
  const model = settings.fallbackModel ?? DEFAULT_OPENAI_FALLBACK_MODEL;
  return {
    ...settings,
    provider,
    defaultModel: model,
    fallbackModel: settings.tasks.suggestions.model,
    tasks: {
      suggestions: { ...settings.tasks.suggestions, model },
      reports: { ...settings.tasks.reports, model },
    },
  };
}
