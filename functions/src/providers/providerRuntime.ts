import type { Env } from "../config/envValues";
import { parseRuntimeConfig, RuntimeConfig } from "../config/runtimeConfig";
import { ProviderRouter } from "./providerRouter";

export interface ProviderRuntime {
  config: RuntimeConfig;
  router: ProviderRouter;
}

let cached: { key: string; runtime: ProviderRuntime } | undefined;

/**
 * The validated configuration and the provider router for this instance. Both are built once
 * per distinct environment: the router's concurrency limits and circuit breakers must be shared
 * by every event the instance handles, while tests and `npm run dev` may change the environment.
 * Throws `invalid_config` naming the first bad variable.
 */
export function loadProviderRuntime(
  env: Env = process.env,
  lmStudioUnreachable?: string,
): ProviderRuntime {
  // The validated configuration is the cache key: it is exactly what the router depends on, so
  // no list of variable names can fall behind it. Parsing is a few dozen string reads per event.
  const config = parseRuntimeConfig(env);
  // Where LM Studio cannot be reached from this process it fails at once, and OpenAI serves
  // where the workspace allows it.
  if (lmStudioUnreachable) {
    config.lmStudio.unreachable = { code: "bridge_offline", message: lmStudioUnreachable };
  }
  const key = JSON.stringify(config);
  if (cached?.key === key) return cached.runtime;
  const runtime = { config, router: new ProviderRouter(config) };
  cached = { key, runtime };
  return runtime;
}
