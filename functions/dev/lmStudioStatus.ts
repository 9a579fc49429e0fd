import { oneLine } from "../src/core/safeText";
import { parseRuntimeConfig } from "../src/config/runtimeConfig";
import { probeProviders } from "../src/health/probeProviders";

/*
 * The local stacks' LM Studio line (`npm run dev`, `npm run emulators`): what the configured
 * servers answer now, reprinted whenever that changes.
 */

/** What every local command says when LM Studio cannot be reached. */
export const NO_LM_STUDIO_ADVICE =
  "No LM Studio on this machine? Restart with --simulate-lm-studio (bash scripts/start.sh --simulate-lm-studio) for canned replies.";

export async function describeLmStudio(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  let config;
  try {
    config = parseRuntimeConfig(env);
  } catch (err) {
    return `✗ configuration: ${(err as Error).message}`;
  }
  if (!config.lmStudio.enabled) return "LM Studio: disabled (LLM_STUDIO_ENABLED=false)";
  const { servers } = (await probeProviders(config)).lmStudio;
  return servers
    .map((s) => {
      // Listed, even without a language model: the count says enough at startup.
      if (s.modelSource !== undefined) {
        const loaded = s.models.filter((m) => m.state === "loaded").map((m) => m.id);
        return `✓ LM Studio at ${s.baseUrl}: ${s.models.length} model(s)${loaded.length ? `, loaded: ${loaded.join(", ")}` : ""}`;
      }
      return `✗ ${oneLine(s.error?.message ?? "")} [${s.error?.code}] — suggestions will end in error until it is up (npm run llm:check). ${NO_LM_STUDIO_ADVICE}`;
    })
    .join("\n");
}

/**
 * Reprints the LM Studio line whenever it changes (a server started, stopped, loaded a model),
 * so the screen never shows a start-up ✗ for a server that has come up since.
 */
export function watchLmStudio(
  first: string,
  intervalMs: number,
  env: NodeJS.ProcessEnv = process.env,
): () => void {
  let last = first;
  let probing = false;
  const timer = setInterval(() => {
    if (probing) return;
    probing = true;
    void describeLmStudio(env)
      .then((line) => {
        if (line !== last) console.log(`${new Date().toISOString().slice(11, 19)}  ${line}`);
        last = line;
      })
      .finally(() => (probing = false));
  }, intervalMs);
  return () => clearInterval(timer);
}
