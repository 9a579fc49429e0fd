import { ProviderRouter } from "../providers/providerRouter";
import type { Env } from "./envValues";
import { parseRuntimeConfig, RuntimeConfig } from "./runtimeConfig";

export interface Runtime {
  config: RuntimeConfig;
  router: ProviderRouter;
}

let cached: { key: string; runtime: Runtime } | undefined;

/**
 * The validated configuration and the provider router for this instance. Both are built once
 * per distinct environment: the router's concurrency limits and circuit breakers must be shared
 * by every event the instance handles, while tests and `npm run dev` may change the environment.
 */
export function loadRuntime(env: Env = process.env): Runtime {
  const key = JSON.stringify(
    Object.entries(env)
      .filter(([name]) => /^(LLM_|OPENAI_|CONTEXT_|BREAKER_|HEALTH_|CLOUD_PRICE_)/.test(name))
      .sort(([a], [b]) => a.localeCompare(b)),
  );
  if (cached?.key === key) return cached.runtime;
  const config = parseRuntimeConfig(env);
  const runtime = { config, router: new ProviderRouter(config) };
  cached = { key, runtime };
  return runtime;
}
