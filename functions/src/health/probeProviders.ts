import type { RuntimeConfig } from "../config/runtimeConfig";
import { type ProbeError, probeServer, ServerProbe } from "./probeServer";

export type LmStudioStatus = "healthy" | "unhealthy" | "disabled";

export interface ProviderProbe {
  lmStudio: {
    status: LmStudioStatus;
    servers: ServerProbe[];
    /** Why LM Studio cannot serve when no server says it (bridge mode with no live bridge). */
    error?: ProbeError;
  };
  /** OpenAI is not called: a probe would cost the customer requests for nothing. */
  openai: { status: "configured" | "disabled" };
  checkedAt: string;
}

/** Asks every LM Studio server for its models (cheap, no generation); OpenAI only by config. */
export async function probeProviders(config: RuntimeConfig): Promise<ProviderProbe> {
  const { lmStudio, openai, health } = config;
  const servers = lmStudio.enabled
    ? await Promise.all(
        lmStudio.baseUrls.map((url) => probeServer(url, lmStudio.apiKey, health.probeTimeoutMs)),
      )
    : [];
  return {
    lmStudio: {
      status: !lmStudio.enabled
        ? "disabled"
        : servers.some((s) => s.status === "healthy")
          ? "healthy"
          : "unhealthy",
      servers,
    },
    openai: { status: openai.apiKey ? "configured" : "disabled" },
    checkedAt: new Date().toISOString(),
  };
}

/**
 * A dashboard polling the endpoint must not turn into load on the GPU box: one probe per
 * `cacheMs` per instance, shared by every caller, including those that arrive while it runs.
 */
export class ProbeCache {
  private entry: { key: RuntimeConfig; at: number; probe: Promise<ProviderProbe> } | undefined;

  get(
    config: RuntimeConfig,
    probe: () => Promise<ProviderProbe> = () => probeProviders(config),
  ): Promise<ProviderProbe> {
    const now = Date.now();
    if (!this.entry || this.entry.key !== config || now - this.entry.at >= config.health.cacheMs) {
      this.entry = { key: config, at: now, probe: probe() };
    }
    return this.entry.probe;
  }
}
