import type { Auth } from "firebase-admin/auth";
import type { Firestore } from "firebase-admin/firestore";
import { configuredSecrets, type Env } from "../config/envValues";
import { safeMessage } from "../core/safeText";
import { loadProviderRuntime } from "../providers/providerRuntime";
import { decideWorkspaceAiSettings, settingsLanguage } from "../config/workspaceAiSettings";
import type { ProviderId } from "../core/vocabulary";
import { GenerationError } from "../core/errorCodes";
import { type Language, pickLanguage } from "../core/language";
import { paths } from "../core/paths";
import { readEndpointStatuses } from "../providers/endpointStatusStore";
import { describeConfig, httpStatusFor, primaryProviderFor, publicHealth } from "./healthReport";
import { ProbeCache, probeProviders } from "./probeProviders";
import { probeBridges } from "./bridgePresence";
import { withHint } from "./probeServer";
import { authorizeAdmin, refuse } from "./adminAccess";

export interface HealthRequest {
  method: string;
  /** The `Authorization` header: `Bearer <Firebase ID token>` asks for the admin details. */
  authorization?: string;
  workspaceId?: string;
}

export interface HealthResponse {
  status: number;
  body: Record<string, unknown>;
}

export interface HealthDeps {
  db: Firestore;
  auth: Auth;
  env?: Env;
}

const probes = new ProbeCache();
const METRICS_DAYS = 7;

/**
 * From the workspace's settings/ai: its provider (when AI is on and the settings are valid) and
 * the team's language for the hints, read even from settings that fail validation.
 */
async function workspaceSettings(
  deps: HealthDeps,
  workspaceId: string,
): Promise<{ provider?: ProviderId; language: Language }> {
  let raw: unknown;
  try {
    raw = (await deps.db.doc(paths.aiSettings(workspaceId)).get()).data();
  } catch {
    return { language: pickLanguage() };
  }
  const language = settingsLanguage(raw);
  try {
    const decision = decideWorkspaceAiSettings(raw);
    return decision.kind === "enabled"
      ? { provider: decision.settings.provider, language }
      : { language };
  } catch {
    return { language };
  }
}

/**
 * `GET /api/ai/health`. Anonymous: whether suggestions can be served (200) or not (503), model
 * ids, error codes; nothing about where servers are or how they are reached. With a workspace
 * admin's ID token and `?workspaceId=`: also server details, circuit breakers, the effective
 * configuration and the workspace's metrics of the last days.
 */
export async function answerHealthRequest(
  request: HealthRequest,
  deps: HealthDeps,
): Promise<HealthResponse> {
  if (request.method !== "GET" && request.method !== "HEAD") return refuse(405, "Use GET.");
  let runtime;
  try {
    runtime = loadProviderRuntime(deps.env);
  } catch (err) {
    if (!(err instanceof GenerationError)) throw err;
    // Read by anyone: no credentials a mistyped URL carried, no echo of a huge value.
    const message = safeMessage(err.message, configuredSecrets(deps.env ?? process.env));
    return { status: 503, body: { status: "unhealthy", error: { code: err.code, message } } };
  }
  const { config } = runtime;
  // In bridge mode LM Studio is reached by the bridges, so their presence is its health.
  const probe = () =>
    config.lmStudio.mode === "bridge" ? probeBridges(deps.db, config) : probeProviders(config);

  if (!request.authorization) {
    const health = publicHealth(
      await probes.get(config, probe),
      primaryProviderFor(config),
      config,
    );
    return { status: httpStatusFor(health), body: { ...health } };
  }

  const allowed = await authorizeAdmin(request.authorization, request.workspaceId, deps, {
    missing: "Details need ?workspaceId= naming the workspace you administer.",
    refused: "Health details are for admins of the workspace.",
  });
  if (typeof allowed !== "string") return allowed;
  const workspaceId = allowed;
  const [probed, settings, breakers, metrics] = await Promise.all([
    probes.get(config, probe),
    workspaceSettings(deps, workspaceId),
    readEndpointStatuses(deps.db),
    deps.db
      .collection(paths.metrics(workspaceId))
      .orderBy("date", "desc")
      .limit(METRICS_DAYS)
      .get(),
  ]);
  const health = publicHealth(probed, primaryProviderFor(config, settings.provider), config);
  return {
    status: httpStatusFor(health),
    body: {
      ...health,
      details: {
        workspaceId,
        servers: probed.lmStudio.servers.map((server) => withHint(server, settings.language)),
        breakers,
        config: describeConfig(config),
        metrics: metrics.docs.map((doc) => {
          const { updatedAt: _updatedAt, ...counters } = doc.data();
          return counters;
        }),
      },
    },
  };
}
