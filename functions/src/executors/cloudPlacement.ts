import type { Placement } from "../engine/executor";
import { directExecutor } from "./directExecutor";
import { queueExecutor } from "./queueExecutor";

/**
 * Where the functions carry a run out. Directly, unless LM Studio is reached through the bridge
 * (LLM_STUDIO_MODE=bridge) and the conversation's provider is LM Studio (the workspace's
 * `provider`, or the other one for the conversations `rollout.llm_studio` moves; the engine hands
 * over the settings as the conversation sees them): then as a job for the bridge.
 * OpenAI-primary workspaces are served here either way.
 */
export function cloudPlacement(): Placement {
  const bridged = (mode: string | undefined) => mode === "bridge";
  return {
    runtime: { cloudSide: true },
    // In bridge mode nearly every run is queued: the context is read by the bridge, not here.
    mayRunHere: (config) => !bridged(config.lmStudio.mode),
    executorFor: (config, settings) =>
      bridged(config?.lmStudio.mode) && settings?.provider === "llm_studio"
        ? queueExecutor
        : directExecutor,
  };
}
