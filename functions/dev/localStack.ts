import { oneLine } from "../src/core/safeText";
import { randomUUID } from "node:crypto";
import { getFirestore } from "firebase-admin/firestore";
import {
  onAiRequestCreated,
  onConversationUpdated,
  onKnowledgeWritten,
  onMessageCreated,
} from "../src/index";
import type { KnowledgeWrittenResult } from "../src/tasks/knowledgeIndex/handleKnowledgeWritten";
import { knowledgeFeedFor } from "./knowledgeFeed";
import type { TaskRunResult } from "../src/engine/runGenerationTask";
import { conversationFeedFor, StatusChange } from "./conversationFeed";
import type { MessageAddress } from "../src/core/paths";
import type { AiRequestResult } from "../src/tasks/handleAiRequest";
import type { MessageCreatedResult } from "../src/tasks/replySuggestion/handleMessageCreated";
import { FirestoreEmulator, useFirestoreEmulator } from "./firestoreEmulator";
import { messageFeedFor } from "./messageFeed";
import { BridgeWorker } from "../src/bridge/bridgeWorker";
import { runOverdueJobs } from "../src/bridge/overdueJobs";
import { parseRuntimeConfig } from "../src/config/runtimeConfig";
import { stackMessages, type OutcomeWords } from "./stackMessages";
import { type Language } from "../src/core/language";

export { DEMO_PROJECT_ID } from "../src/config/devStackState";
import { DEMO_PROJECT_ID } from "../src/config/devStackState";

export interface DispatchReport {
  /** Where the event happened; `messageId` is the created document's id (a request's too). */
  address: MessageAddress;
  result?: MessageCreatedResult | AiRequestResult | TaskRunResult | KnowledgeWrittenResult;
  error?: unknown;
  ms: number;
}

export interface LocalStack {
  emulator: FirestoreEmulator;
  /** Resolves once every event dispatched so far has been handled. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/** The CloudEvent around a Firestore document event, as Eventarc delivers it. */
function envelope(path: string, change: "created" | "updated" | "written") {
  return {
    specversion: "1.0" as const,
    id: randomUUID(),
    source: `//firestore.googleapis.com/projects/${process.env.GCLOUD_PROJECT}/databases/(default)`,
    type: `google.cloud.firestore.document.v1.${change}`,
    time: new Date().toISOString(),
    location: "local",
    project: process.env.GCLOUD_PROJECT as string,
    database: "(default)",
    namespace: "(default)",
    document: path,
  };
}

function addressOf(path: string): MessageAddress & { collection: string } {
  const [, workspaceId, , conversationId, collection, messageId] = path.split("/");
  return { workspaceId, conversationId, messageId, collection };
}

/**
 * The functions running locally: a Firestore emulator (see firestoreEmulator.ts) and a dispatcher that hands every created message to `onMessageCreated` and
 * every agent request to `onAiRequestCreated` — the exported Cloud Functions themselves, through
 * their `run` entry, as the platform would.
 */
export async function startLocalStack(options: {
  port: number;
  onReport: (report: DispatchReport) => void;
  /** The language of the lines it prints itself (the local bridge's). */
  language?: Language;
}): Promise<LocalStack> {
  process.env.GCLOUD_PROJECT ??= DEMO_PROJECT_ID;
  // The one-line outcomes are the local view; structured logs only for errors unless asked.
  process.env.LOG_LEVEL ??= "error";
  const emulator = await useFirestoreEmulator({ port: options.port });
  const db = getFirestore();
  const inFlight = new Set<Promise<void>>();

  const dispatch = (path: string) => {
    const { collection, ...address } = addressOf(path);
    const started = Date.now();
    const work = (async () => {
      try {
        const snapshot = await db.doc(path).get();
        const event = {
          ...envelope(path, "created"),
          data: snapshot.exists ? (snapshot as FirebaseFirestore.QueryDocumentSnapshot) : undefined,
        };
        const { workspaceId, conversationId, messageId } = address;
        const result =
          collection === "aiRequests"
            ? ((await onAiRequestCreated.run({
                ...event,
                params: { workspaceId, conversationId, requestId: messageId },
              })) as AiRequestResult)
            : ((await onMessageCreated.run({ ...event, params: address })) as MessageCreatedResult);
        options.onReport({ address, result, ms: Date.now() - started });
      } catch (error) {
        options.onReport({ address, error, ms: Date.now() - started });
      }
    })();
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };

  /** A conversation's status changed: the report trigger decides whether it was a close. */
  const dispatchUpdate = ({ path, before }: StatusChange) => {
    const [, workspaceId, , conversationId] = path.split("/");
    const address = { workspaceId, conversationId, messageId: "(conversation)" };
    const started = Date.now();
    const work = (async () => {
      try {
        const after = await db.doc(path).get();
        const beforeSnapshot = { data: () => before, exists: true } as unknown as typeof after;
        const result = (await onConversationUpdated.run({
          ...envelope(path, "updated"),
          data: { before: beforeSnapshot, after } as never,
          params: { workspaceId, conversationId },
        })) as TaskRunResult;
        if (result.kind !== "ignored")
          options.onReport({ address, result, ms: Date.now() - started });
      } catch (error) {
        options.onReport({ address, error, ms: Date.now() - started });
      }
    })();
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };

  /** A help-center article was written: the indexing trigger, with what it is now. */
  const dispatchArticle = (path: string) => {
    const [, workspaceId, , articleId] = path.split("/");
    const address = { workspaceId, conversationId: "knowledge", messageId: articleId };
    const started = Date.now();
    const work = (async () => {
      try {
        const after = await db.doc(path).get();
        const result = (await onKnowledgeWritten.run({
          ...envelope(path, "written"),
          data: { before: undefined, after } as never,
          params: { workspaceId, articleId },
        })) as KnowledgeWrittenResult;
        options.onReport({ address, result, ms: Date.now() - started });
      } catch (error) {
        options.onReport({ address, error, ms: Date.now() - started });
      }
    })();
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };

  const { watchFailed } = stackMessages(options.language ?? "en");
  const unsubscribe = messageFeedFor(emulator, db, watchFailed)(dispatch);
  const unsubscribeKnowledge = knowledgeFeedFor(emulator, db, watchFailed)(dispatchArticle);
  const unsubscribeConversations = conversationFeedFor(emulator, db, watchFailed)(dispatchUpdate);
  const stopBridge = await startLocalBridge(options.language);
  return {
    emulator,
    async idle() {
      // A dispatch is queued with setImmediate after the emulator reports the write.
      await new Promise((resolve) => setImmediate(resolve));
      await Promise.allSettled([...inFlight]);
    },
    async stop() {
      unsubscribe();
      unsubscribeConversations();
      unsubscribeKnowledge();
      await stopBridge();
      await Promise.race([
        Promise.allSettled([...inFlight]),
        new Promise((r) => setTimeout(r, 5_000)),
      ]);
      await db.terminate();
      await emulator.stop();
    },
  };
}

/**
 * Bridge mode locally: the functions queue jobs, and a bridge in this process (standing in for
 * `npm run bridge` on the LM Studio PC) runs them; the pickup deadline is swept as the scheduled
 * function does in production.
 */
export async function startLocalBridge(language: Language = "en"): Promise<() => Promise<void>> {
  const say = stackMessages(language);
  let config;
  try {
    config = parseRuntimeConfig(process.env);
  } catch {
    return async () => undefined;
  }
  if (config.lmStudio.mode !== "bridge") return async () => undefined;
  const db = getFirestore();
  const bridge = new BridgeWorker(db, process.env, (r) =>
    console.log(
      `${new Date().toISOString().slice(11, 19)}  ${say.localBridgeRan(r.task, r.jobId, r.run, r.ms)}`,
    ),
  );
  await bridge.start();
  const sweeping = setInterval(
    () => void runOverdueJobs(db, process.env).catch(() => undefined),
    Math.max(config.bridge.pickupMs / 4, 1_000),
  );
  console.log(say.localBridge(bridge.bridgeId));
  return async () => {
    clearInterval(sweeping);
    await bridge.stop();
  };
}

/** One line per outcome: conversation, status, provider, model, latency, error code. */
export function formatOutcomeLine(report: DispatchReport, language: Language = "en"): string {
  const say = stackMessages(language).outcome;
  const time = new Date().toISOString().slice(11, 19);
  const where = `${report.address.workspaceId}/${report.address.conversationId}/${report.address.messageId}`;
  return `${time}  ${where}  ${outcomeWords(report, say)}`;
}

function outcomeWords(report: DispatchReport, say: OutcomeWords): string {
  if (report.error !== undefined) {
    const message = report.error instanceof Error ? report.error.message : String(report.error);
    return say.threw(oneLine(message));
  }
  const result = report.result;
  if (!result) return say.done(report.ms);
  switch (result.kind) {
    case "ignored":
      return say.ignored(result.reason);
    case "queued":
      return say.queued(result.jobId);
    case "indexed":
      return say.indexed(result.chunks, result.embedded, result.deleted);
    case "unchanged":
      return say.indexUnchanged;
    case "removed":
      return say.articleRemoved(result.deleted);
    case "superseded":
      return say.newerEdit;
    case "failed":
      return say.notIndexed(result.error.code, oneLine(result.error.message));
    case "request_failed":
      return say.requestFailed(result.code);
    case "agent_replied":
      return say.agentReplied(result.superseded);
    case "disabled":
      return say.aiOff(result.reason);
    case "duplicate":
      return say.duplicate(result.existingStatus);
    case "recorded": {
      const o = result.outcome;
      if (o.status === "ready") {
        const from = o.answer.fallbackFrom;
        const fallback = from ? say.fallbackFrom(from.provider, from.code) : "";
        return say.ready(
          o.answer.provider,
          o.answer.model,
          o.answer.latencyMs,
          o.answer.attempts,
          fallback,
        );
      }
      if (o.status === "error") {
        const after = o.fallbackFrom
          ? say.errorAfter(o.fallbackFrom.provider, o.fallbackFrom.code)
          : "";
        return `${say.error(o.code, o.provider ?? "-", o.model ?? "-", o.latencyMs, oneLine(o.message))}${after}`;
      }
      if (o.status === "superseded") return say.supersededBy(o.supersededBy, o.reason);
      return say.skipped(o.reason);
    }
  }
}
