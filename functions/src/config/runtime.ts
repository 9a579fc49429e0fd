import { ProviderRouter } from "../providers/providerRouter";
import { Env, readInt } from "./envValues";
import { parseRuntimeConfig, RuntimeConfig } from "./runtimeConfig";
import { DEFAULT_RETRY_POLICY } from "../providers/providerRouter";

export interface Runtime {
  config: RuntimeConfig;
  router: ProviderRouter;
}

let cached: { key: string; runtime: Runtime } | undefined;

/**
 * The validated configuration and the provider router for this instance. Both are built once
 * per distinct environment: the router's concurrency limits must be shared by every event the
 * instance handles, while tests and `npm run dev` may change the environment between runs.
 */
export function loadRuntime(env: Env = process.env): Runtime {
  const key = JSON.stringify(
    Object.entries(env)
      .filter(([name]) => /^(LLM_|OPENAI_|CONTEXT_)/.test(name))
      .sort(([a], [b]) => a.localeCompare(b)),
  );
  if (cached?.key === key) return cached.runtime;
  const config = parseRuntimeConfig(env);
  const retryPolicy = {
    ...DEFAULT_RETRY_POLICY,
    baseDelayMs: readInt(env, "LLM_RETRY_BASE_DELAY_MS", {
      default: DEFAULT_RETRY_POLICY.baseDelayMs,
      min: 0,
      max: 60_000,
    }),
  };
  const runtime = { config, router: new ProviderRouter(config, retryPolicy) };
  cached = { key, runtime };
  return runtime;
}
