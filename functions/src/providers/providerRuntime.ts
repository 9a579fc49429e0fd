import type { Env } from "../config/envValues";
import { parseRuntimeConfig, RuntimeConfig } from "../config/runtimeConfig";
import { ProviderRouter } from "./providerRouter";

export interface ProviderRuntime {
  config: RuntimeConfig;
  router: ProviderRouter;
}

/**
 * Routers by configuration. A router's concurrency limits and circuit breakers must outlive
 * every event the instance handles, while one instance may see several configurations: the two
 * sides of bridge mode (LM Studio reachable or not), tests and `npm run dev` changing the
 * environment. A handful is all there ever is; the oldest goes first beyond that.
 */
const runtimes = new Map<string, ProviderRuntime>();
const MAX_RUNTIMES = 8;

/** Where LM Studio is reached from (bridge mode): not from the functions, only by the bridge. */
export const BRIDGE_ONLY =
  "LM Studio is reached through the bridge (LLM_STUDIO_MODE=bridge), not from the functions.";

/**
 * The validated configuration and the provider router for this instance, built once per
 * distinct configuration and kept. `cloudSide`: this process is the functions, so in bridge mode
 * LM Studio fails at once here (as `bridge_offline`, which falls back to OpenAI where allowed)
 * and only OpenAI is asked. Throws `invalid_config` naming the first bad variable.
 */
export function loadProviderRuntime(
  env: Env = process.env,
  options: { cloudSide?: boolean; lmStudioUnreachable?: string } = {},
): ProviderRuntime {
  // The validated configuration is the cache key: it is exactly what the router depends on, so
  // no list of variable names can fall behind it. Parsing is a few dozen string reads per event.
  const config = parseRuntimeConfig(env);
  const unreachable =
    options.lmStudioUnreachable ??
    (options.cloudSide && config.lmStudio.mode === "bridge" ? BRIDGE_ONLY : undefined);
  if (unreachable) config.lmStudio.unreachable = { code: "bridge_offline", message: unreachable };
  const key = JSON.stringify(config);
  const kept = runtimes.get(key);
  if (kept) {
    // Most recently used last, so that the oldest is the one to go.
    runtimes.delete(key);
    runtimes.set(key, kept);
    return kept;
  }
  const runtime = { config, router: new ProviderRouter(config) };
  runtimes.set(key, runtime);
  if (runtimes.size > MAX_RUNTIMES) runtimes.delete(runtimes.keys().next().value as string);
  return runtime;
}

/** A new function instance, as far as the providers go: tests start each case with one. */
export function forgetProviderRuntimes(): void {
  runtimes.clear();
}
