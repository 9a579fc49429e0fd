import type { RuntimeConfig } from "../config/runtimeConfig";
import type { ProviderId } from "../core/vocabulary";
import type { ErrorCode } from "../core/errorCodes";
import type { ProviderProbe } from "./probeProviders";

/*
 * The health answer, in two views. Everyone sees whether suggestions can be served, the model
 * ids and error codes. Only a workspace admin sees where the servers are, how the breakers
 * stand, the effective configuration (secrets only as set / not set) and the metrics.
 */

export type OverallStatus = "healthy" | "degraded" | "unhealthy";

export interface PublicHealth {
  status: OverallStatus;
  primaryProvider: ProviderId;
  /** How LM Studio is reached: `bridge` means `llm_studio.servers` counts bridges. */
  mode: RuntimeConfig["lmStudio"]["mode"];
  llm_studio: {
    status: ProviderProbe["lmStudio"]["status"];
    models: { id: string; state: string }[];
    latencyMs: number | null;
    presenceAgeMs?: number;
    servers: { healthy: number; total: number };
    error?: { code: ErrorCode };
  };
  openai: { status: ProviderProbe["openai"]["status"] };
  checkedAt: string;
}

/** The provider a caller's suggestions depend on first. */
export function primaryProviderFor(
  config: RuntimeConfig,
  workspaceProvider?: ProviderId,
): ProviderId {
  if (workspaceProvider) return workspaceProvider;
  return config.lmStudio.enabled ? "llm_studio" : "openai";
}

export function publicHealth(
  probe: ProviderProbe,
  primary: ProviderId,
  config: RuntimeConfig,
): PublicHealth {
  const { servers } = probe.lmStudio;
  const healthy = servers.filter((s) => s.status === "healthy");
  const models = new Map<string, string>();
  for (const server of healthy)
    for (const m of server.models) if (!models.has(m.id)) models.set(m.id, m.state);
  const firstError = servers.find((s) => s.error)?.error ?? probe.lmStudio.error;
  const latencies = servers.flatMap((s) => (s.latencyMs === null ? [] : [s.latencyMs]));
  const presenceAges = servers.flatMap((s) =>
    s.presenceAgeMs === undefined ? [] : [s.presenceAgeMs],
  );

  const primaryUp =
    primary === "llm_studio"
      ? probe.lmStudio.status === "healthy"
      : probe.openai.status === "configured";
  // Bridges come and go with the office PCs: one alive is all health asks. Configured servers
  // of a pool are expected up, and one down degrades it.
  const allUp = config.lmStudio.mode === "bridge" || healthy.length === servers.length;
  return {
    status: !primaryUp ? "unhealthy" : allUp ? "healthy" : "degraded",
    primaryProvider: primary,
    mode: config.lmStudio.mode,
    llm_studio: {
      status: probe.lmStudio.status,
      models: [...models].map(([id, state]) => ({ id, state })),
      latencyMs: latencies.length > 0 ? Math.max(...latencies) : null,
      // Bridge mode: how long ago the staler of the live bridges was seen (latency is null).
      ...(presenceAges.length > 0 ? { presenceAgeMs: Math.max(...presenceAges) } : {}),
      servers: { healthy: healthy.length, total: servers.length },
      ...(firstError ? { error: { code: firstError.code } } : {}),
    },
    openai: { status: probe.openai.status },
    checkedAt: probe.checkedAt,
  };
}

/** HTTP status: 200 while the primary provider can serve, 503 otherwise. */
export function httpStatusFor(health: PublicHealth): number {
  return health.status === "unhealthy" ? 503 : 200;
}

/** The effective configuration as an admin may see it: URLs yes, secrets never. */
export function describeConfig(config: RuntimeConfig) {
  return {
    llm_studio: {
      enabled: config.lmStudio.enabled,
      mode: config.lmStudio.mode,
      urls: config.lmStudio.baseUrls,
      apiKey: config.lmStudio.apiKey ? "set" : "not set",
      checkModel: config.checkModel,
    },
    openai: { baseUrl: config.openai.baseUrl, apiKey: config.openai.apiKey ? "set" : "not set" },
    timeoutMs: config.timeoutMs,
    concurrency: config.concurrency,
    maxAttempts: config.maxAttempts,
    retryBaseDelayMs: config.retryBaseDelayMs,
    contextMessages: config.contextMessages,
    contextCharBudget: config.contextCharBudget,
    streaming: config.streaming,
    streamFlushMs: config.streamFlushMs,
    burstWindowMs: config.burstWindowMs,
    breaker: config.breaker,
    health: config.health,
    cloudPrices: config.cloudPrices,
  };
}
