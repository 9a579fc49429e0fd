import { Firestore, Timestamp } from "firebase-admin/firestore";
import type { RuntimeConfig } from "../config/runtimeConfig";
import { ERROR_CODES } from "../core/errorCodes";
import { paths } from "../core/paths";
import type { ProviderProbe } from "./probeProviders";
import type { ServerProbe } from "./probeServer";

/**
 * LM Studio's health in bridge mode, from the bridges' presence documents. Only live bridges
 * count: seen within two of their heartbeats and not stopped. A bridge stopped with Ctrl-C, or
 * one whose PC went away, is no server that is down: restarting a bridge must not turn a monitor
 * red. Where a bridge runs (its host) is for admins only, as server URLs are in direct mode. A
 * bridge is not asked anything, so it has no latency: its presence's age is reported apart.
 */
export async function probeBridges(db: Firestore, config: RuntimeConfig): Promise<ProviderProbe> {
  const now = Date.now();
  const snapshot = await db.collection(paths.bridges()).get();
  const servers: ServerProbe[] = [];
  let lastSeenOfAny = 0;
  for (const doc of snapshot.docs) {
    const data = doc.data();
    const lastSeen = data.lastSeen instanceof Timestamp ? data.lastSeen.toMillis() : 0;
    lastSeenOfAny = Math.max(lastSeenOfAny, lastSeen);
    const heartbeatMs =
      typeof data.heartbeatMs === "number" ? data.heartbeatMs : config.bridge.heartbeatMs;
    if (data.stoppedAt || now - lastSeen > 2 * heartbeatMs) continue;
    const models = Array.isArray(data.models)
      ? (data.models as { id: string; state: string; type?: unknown }[])
      : [];
    // A live bridge whose LM Studio does not answer takes no job (bridges before this version
    // said nothing, and count as answering).
    const lmStudio = data.lmStudio as
      { ready?: boolean; code?: string; message?: string } | undefined;
    const answering = lmStudio?.ready !== false;
    const code = ERROR_CODES.find((c) => c === lmStudio?.code) ?? "provider_unreachable";
    servers.push({
      baseUrl: `bridge ${doc.id} on ${String(data.host ?? "?")}`,
      status: answering ? "healthy" : "unhealthy",
      ...(answering
        ? {}
        : {
            error: {
              code,
              message: `The LM Studio beside this bridge does not answer: ${String(lmStudio?.message ?? "")}`,
            },
          }),
      latencyMs: null,
      presenceAgeMs: now - lastSeen,
      models: models.map((m) => ({
        id: m.id,
        state: m.state === "loaded" || m.state === "not-loaded" ? m.state : "unknown",
        // Bridges before this version published no type.
        ...(typeof m.type === "string" ? { type: m.type } : {}),
      })),
      modelSource: "lmstudio",
    });
  }
  const noBridge = {
    code: "bridge_offline" as const,
    message:
      lastSeenOfAny === 0
        ? "No bridge has run yet."
        : `No bridge is running: the last one was seen ${Math.round((now - lastSeenOfAny) / 1000)} s ago.`,
  };
  const answering = servers.filter((server) => server.status === "healthy");
  return {
    lmStudio: {
      status: answering.length > 0 ? "healthy" : "unhealthy",
      servers,
      ...(servers.length > 0 ? {} : { error: noBridge }),
    },
    openai: { status: config.openai.apiKey ? "configured" : "disabled" },
    checkedAt: new Date(now).toISOString(),
  };
}
