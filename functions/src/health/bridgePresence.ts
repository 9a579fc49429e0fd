import { Firestore, Timestamp } from "firebase-admin/firestore";
import type { RuntimeConfig } from "../config/runtimeConfig";
import { hintFor } from "../core/errorCodes";
import { paths } from "../core/paths";
import type { ProviderProbe } from "./probeProviders";
import type { ServerProbe } from "./probeServer";

/** A bridge that stopped beating a day ago is history, not a server that is down. */
const FORGET_AFTER_MS = 24 * 3_600_000;

/**
 * LM Studio's health in bridge mode, from the bridges' presence documents: a bridge seen within
 * two of its heartbeats is healthy. Where it runs (its host) is for admins only, as server URLs
 * are in direct mode.
 */
export async function probeBridges(db: Firestore, config: RuntimeConfig): Promise<ProviderProbe> {
  const now = Date.now();
  const snapshot = await db.collection(paths.bridges()).get();
  const servers: ServerProbe[] = [];
  for (const doc of snapshot.docs) {
    const data = doc.data();
    const lastSeen = data.lastSeen instanceof Timestamp ? data.lastSeen.toMillis() : 0;
    if (now - lastSeen > FORGET_AFTER_MS) continue;
    const heartbeatMs =
      typeof data.heartbeatMs === "number" ? data.heartbeatMs : config.bridge.heartbeatMs;
    const alive = !data.stoppedAt && now - lastSeen <= 2 * heartbeatMs;
    const models = Array.isArray(data.models)
      ? (data.models as { id: string; state: string; type?: unknown }[])
      : [];
    servers.push({
      baseUrl: `bridge ${doc.id} on ${String(data.host ?? "?")}`,
      status: alive ? "healthy" : "unhealthy",
      latencyMs: now - lastSeen,
      models: models.map((m) => ({
        id: m.id,
        state: m.state === "loaded" || m.state === "not-loaded" ? m.state : "unknown",
        // Bridges before this version published no type.
        ...(typeof m.type === "string" ? { type: m.type } : {}),
      })),
      modelSource: "lmstudio",
      ...(alive
        ? {}
        : {
            error: {
              code: "bridge_offline" as const,
              message: data.stoppedAt
                ? "The bridge was stopped."
                : `The bridge was last seen ${Math.round((now - lastSeen) / 1000)} s ago.`,
              hint: hintFor("bridge_offline", "en"),
            },
          }),
    });
  }
  return {
    lmStudio: {
      status: servers.some((s) => s.status === "healthy") ? "healthy" : "unhealthy",
      servers,
    },
    openai: { status: config.openai.apiKey ? "configured" : "disabled" },
    checkedAt: new Date(now).toISOString(),
  };
}
