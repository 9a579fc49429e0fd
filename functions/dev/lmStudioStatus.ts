import { parseRuntimeConfig } from "../src/config/runtimeConfig";
import { probeProviders } from "../src/health/probeProviders";
import { stackMessages } from "./stackMessages";
import { type Language } from "../src/core/language";

/*
 * The local stacks' LM Studio line (`npm run dev`, `npm run emulators`): what the configured
 * servers answer now, reprinted whenever that changes.
 */

export async function describeLmStudio(
  env: NodeJS.ProcessEnv = process.env,
  language: Language = "en",
): Promise<string> {
  const say = stackMessages(language);
  let config;
  try {
    config = parseRuntimeConfig(env);
  } catch (err) {
    return say.configuration((err as Error).message);
  }
  if (!config.lmStudio.enabled) return say.lmStudioDisabled;
  const { servers } = (await probeProviders(config)).lmStudio;
  return servers
    .map((s) => {
      // Listed, even without a language model: the count says enough at startup.
      if (s.modelSource !== undefined) {
        const loaded = s.models.filter((m) => m.state === "loaded").map((m) => m.id);
        return say.lmStudioUp(s.baseUrl, s.models.length, loaded);
      }
      return say.lmStudioDown(
        s.baseUrl,
        s.error?.code ?? "provider_unreachable",
        s.error?.message ?? "",
      );
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
  language: Language = "en",
): () => void {
  let last = first;
  let probing = false;
  const timer = setInterval(() => {
    if (probing) return;
    probing = true;
    void describeLmStudio(env, language)
      .then((line) => {
        if (line !== last) console.log(`${new Date().toISOString().slice(11, 19)}  ${line}`);
        last = line;
      })
      .finally(() => (probing = false));
  }, intervalMs);
  return () => clearInterval(timer);
}
