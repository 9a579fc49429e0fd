import type { Auth } from "firebase-admin/auth";
import { Firestore, Timestamp } from "firebase-admin/firestore";
import type { Env } from "../config/envValues";
import type { RuntimeConfig } from "../config/runtimeConfig";
import { GenerationError, hintFor } from "../core/errorCodes";
import { acceptedLanguages, type Language, pickLanguage } from "../core/language";
import { paths } from "../core/paths";
import { utcDay } from "../core/utcDay";
import { INDEX_STATUSES } from "../core/vocabulary";
import { authorizeAdmin, refuse, verifiedUid, type AdminResponse } from "../health/adminAccess";
import { probeBridges } from "../health/bridgePresence";
import { ProbeCache, probeProviders, type ProviderProbe } from "../health/probeProviders";
import { readEndpointStatuses } from "../providers/endpointStatusStore";
import { isLanguageModel, type ListedModel } from "../providers/lmStudioModels";
import { loadProviderRuntime } from "../providers/providerRuntime";
import { consoleSeries, dayRange } from "./consoleSeries";

/*
 * `GET /api/ai/console?workspace=w&days=14`: what the operator console shows, for admins of the
 * workspace. `GET /api/ai/console` alone lists the workspaces the caller administers. Every read
 * is bounded whatever the traffic: the metrics of `days` days, the presence and breaker
 * documents (one per bridge / server), and count aggregations (one read per 1,000 entries).
 */

export interface ConsoleRequest {
  method: string;
  authorization?: string;
  workspace?: string;
  days?: string;
  /** `live`: only the live state, what the page refreshes every 10 s (no metrics read). */
  part?: string;
  /**
   * The Accept-Language header: the servers' error hints are in the language the page speaks,
   * which the page picks by the same rule from the same browser preferences.
   */
  acceptLanguage?: string;
}

export interface ConsoleDeps {
  db: Firestore;
  auth: Auth;
  env?: Env;
  /** Today, for the day range (tests and the bench pin it). */
  now?: () => number;
}

export const CONSOLE_DAYS = { default: 14, max: 90 } as const;
const PENDING_SUGGESTIONS = ["generating", "streaming"];
const probes = new ProbeCache();

function parseDays(raw: string | undefined): number | AdminResponse {
  if (raw === undefined || raw === "") return CONSOLE_DAYS.default;
  const days = Number(raw);
  if (!Number.isInteger(days) || days < 1 || days > CONSOLE_DAYS.max) {
    return refuse(400, `days must be a whole number from 1 to ${CONSOLE_DAYS.max}.`);
  }
  return days;
}

/** The workspaces whose `members/{uid}` says admin: one read per admin member of the project. */
async function administeredWorkspaces(db: Firestore, uid: string): Promise<string[]> {
  const admins = await db.collectionGroup("members").where("role", "==", "admin").get();
  return admins.docs
    .filter((doc) => doc.id === uid && doc.ref.parent.parent?.parent.id === "workspaces")
    .map((doc) => doc.ref.parent.parent?.id as string)
    .sort();
}

const modelType = (model: ListedModel) =>
  model.type === "embeddings" || model.type === "embedding"
    ? "embeddings"
    : model.type === undefined
      ? "unknown"
      : isLanguageModel(model)
        ? "llm"
        : model.type;

const millis = (v: unknown) => (v instanceof Timestamp ? v.toMillis() : null);

/** LM Studio's servers (or bridges), breakers, and the work queued or running now. */
async function liveState(
  db: Firestore,
  config: RuntimeConfig,
  workspaceId: string,
  now: number,
  language: Language,
) {
  const bridged = config.lmStudio.mode === "bridge";
  const probe = (): Promise<ProviderProbe> =>
    bridged ? probeBridges(db, config) : probeProviders(config);
  const jobs = db.collection(paths.llmJobs()).where("target.workspaceId", "==", workspaceId);
  const [probed, breakers, pending, queued, running, oldest] = await Promise.all([
    probes.get(config, probe),
    readEndpointStatuses(db),
    db
      .collectionGroup("suggestions")
      .where("workspaceId", "==", workspaceId)
      .where("status", "in", PENDING_SUGGESTIONS)
      .count()
      .get(),
    bridged ? jobs.where("status", "==", "queued").count().get() : undefined,
    bridged ? jobs.where("status", "==", "running").count().get() : undefined,
    bridged
      ? jobs.where("status", "==", "queued").orderBy("createdAt", "asc").limit(1).get()
      : undefined,
  ]);
  const oldestAt = oldest?.docs[0] ? millis(oldest.docs[0].get("createdAt")) : null;
  return {
    mode: bridged ? "bridge" : "direct",
    checkedAt: probed.checkedAt,
    lmStudio: {
      status: probed.lmStudio.status,
      servers: probed.lmStudio.servers.map((s) => ({
        label: s.baseUrl,
        status: s.status,
        latencyMs: s.latencyMs,
        ...(s.presenceAgeMs === undefined ? {} : { presenceAgeMs: s.presenceAgeMs }),
        models: s.models.map((m) => ({ id: m.id, type: modelType(m), state: m.state })),
        ...(s.error ? { error: { ...s.error, hint: hintFor(s.error.code, language) } } : {}),
      })),
    },
    openai: probed.openai,
    /** Suggestions of this workspace being generated now (generating or streaming). */
    inFlight: pending.data().count,
    queue: bridged
      ? {
          queued: queued?.data().count ?? 0,
          running: running?.data().count ?? 0,
          oldestQueuedAgeMs: oldestAt !== null ? Math.max(0, now - oldestAt) : null,
        }
      : null,
    breakers: breakers.map((b) => ({
      endpointId: b.endpointId,
      provider: b.provider,
      label: b.baseUrl,
      state: b.state,
      consecutiveFailures: b.consecutiveFailures,
      lastErrorCode: b.lastErrorCode,
      /** When the instance reported this state: the last error's time when it opened. */
      reportedAt: b.reportedAt,
    })),
  };
}

/** Articles by index state: one count aggregation each. */
async function knowledgeIndex(db: Firestore, workspaceId: string) {
  const index = db.collection(paths.knowledgeIndexes(workspaceId));
  const counts = await Promise.all(
    INDEX_STATUSES.map((status) => index.where("status", "==", status).count().get()),
  );
  return Object.fromEntries(INDEX_STATUSES.map((status, i) => [status, counts[i].data().count]));
}

export async function answerConsoleRequest(
  request: ConsoleRequest,
  deps: ConsoleDeps,
): Promise<AdminResponse> {
  if (request.method !== "GET") return refuse(405, "Use GET.");
  const { db } = deps;
  if (request.workspace === undefined) {
    const uid = await verifiedUid(request.authorization, deps.auth);
    if (typeof uid !== "string") return uid;
    return { status: 200, body: { workspaces: await administeredWorkspaces(db, uid) } };
  }
  const days = parseDays(request.days);
  if (typeof days !== "number") return days;
  const allowed = await authorizeAdmin(request.authorization, request.workspace, deps, {
    missing: "Name the workspace you administer: ?workspace=.",
    refused: "The console is for admins of the workspace.",
  });
  if (typeof allowed !== "string") return allowed;
  const workspaceId = allowed;

  let config: RuntimeConfig;
  try {
    config = loadProviderRuntime(deps.env).config;
  } catch (err) {
    if (!(err instanceof GenerationError)) throw err;
    return { status: 503, body: { error: err.message, code: err.code } };
  }
  const now = deps.now?.() ?? Date.now();
  const language = pickLanguage(...acceptedLanguages(request.acceptLanguage));
  if (request.part === "live") {
    return {
      status: 200,
      body: { workspaceId, live: await liveState(db, config, workspaceId, now, language) },
    };
  }
  const range = dayRange(utcDay(now), days);
  const [live, metrics, index] = await Promise.all([
    liveState(db, config, workspaceId, now, language),
    db.collection(paths.metrics(workspaceId)).orderBy("date", "desc").limit(days).get(),
    knowledgeIndex(db, workspaceId),
  ]);
  const series = consoleSeries(
    range,
    // At most `days` documents, the newest first; those of days before the range count nowhere.
    metrics.docs.map((doc) => doc.data()).filter((d) => String(d.date) >= range[0]),
  );
  return {
    status: 200,
    body: {
      workspaceId,
      days,
      from: range[0],
      to: range[range.length - 1],
      live,
      ...series,
      knowledge: { ...series.knowledge, index },
      prices: config.cloudPrices,
      metricsDocuments: metrics.size,
    },
  };
}
