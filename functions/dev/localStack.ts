import { oneLine } from "../src/core/safeText";
import { randomUUID } from "node:crypto";
import { getFirestore } from "firebase-admin/firestore";
import {
  onAiRequestCreated,
  onConversationUpdated,
  onKnowledgeWritten,
  onMessageCreated,
} from "../src/index";
import type { KnowledgeWrittenResult } from "../src/knowledge/handleKnowledgeWritten";
import { knowledgeFeedFor } from "./knowledgeFeed";
import type { TaskRunResult } from "../src/engine/runGenerationTask";
import { conversationFeedFor, StatusChange } from "./conversationFeed";
import type { MessageAddress } from "../src/core/paths";
import type { AiRequestResult } from "../src/tasks/aiRequests/handleAiRequest";
import type { MessageCreatedResult } from "../src/tasks/replySuggestion/replySuggestionTask";
import { FirestoreEmulator, useFirestoreEmulator } from "./firestoreEmulator";
import { messageFeedFor } from "./messageFeed";
import { BridgeWorker } from "../src/bridge/bridgeWorker";
import { runOverdueJobs } from "../src/bridge/overdueJobs";
import { parseRuntimeConfig } from "../src/config/runtimeConfig";

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

  const unsubscribe = messageFeedFor(emulator, db)(dispatch);
  const unsubscribeKnowledge = knowledgeFeedFor(emulator, db)(dispatchArticle);
  const unsubscribeConversations = conversationFeedFor(emulator, db)(dispatchUpdate);
  const stopBridge = await startLocalBridge();
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
export async function startLocalBridge(): Promise<() => Promise<void>> {
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
      `${new Date().toISOString().slice(11, 19)}  bridge ran ${r.task} ${r.jobId} (run ${r.run}) in ${r.ms} ms`,
    ),
  );
  await bridge.start();
  const sweeping = setInterval(
    () => void runOverdueJobs(db, process.env).catch(() => undefined),
    Math.max(config.bridge.pickupMs / 4, 1_000),
  );
  console.log(
    `Bridge mode: a local bridge (${bridge.bridgeId}) in this process runs the queued jobs; another \`npm run bridge\` beside it would race it for them.`,
  );
  return async () => {
    clearInterval(sweeping);
    await bridge.stop();
  };
}

/** One line per outcome: conversation, status, provider, model, latency, error code. */
export function formatOutcomeLine(report: DispatchReport): string {
  const time = new Date().toISOString().slice(11, 19);
  const where = `${report.address.workspaceId}/${report.address.conversationId}/${report.address.messageId}`;
  if (report.error !== undefined) {
    const message = report.error instanceof Error ? report.error.message : String(report.error);
    return `${time}  ${where}  failed (will not be retried locally): ${oneLine(message)}`;
  }
  const result = report.result;
  if (!result) return `${time}  ${where}  done in ${report.ms} ms`;
  switch (result.kind) {
    case "ignored":
      return `${time}  ${where}  ignored (${result.reason})`;
    case "queued":
      return `${time}  ${where}  queued for the bridge (${result.jobId})`;
    case "indexed":
      return `${time}  ${where}  indexed  ${result.chunks} chunk(s), ${result.embedded} embedded, ${result.deleted} removed`;
    case "unchanged":
      return `${time}  ${where}  index unchanged (no embedding)`;
    case "removed":
      return `${time}  ${where}  article removed: ${result.deleted} chunk(s) deleted`;
    case "superseded":
      return `${time}  ${where}  newer edit indexes this article`;
    case "failed":
      return `${time}  ${where}  not indexed  ${result.error.code}  ${oneLine(result.error.message)}`;
    case "request_failed":
      return `${time}  ${where}  request failed (${result.code})`;
    case "agent_replied":
      return `${time}  ${where}  agent replied: ${result.superseded} pending suggestion(s) superseded`;
    case "disabled":
      return `${time}  ${where}  no suggestion: AI off for the workspace (${result.reason})`;
    case "duplicate":
      return `${time}  ${where}  duplicate event (suggestion already ${result.existingStatus})`;
    case "recorded": {
      const o = result.outcome;
      if (o.status === "ready") {
        const fallback = o.answer.fallbackFrom
          ? `  (fallback from ${o.answer.fallbackFrom.provider}: ${o.answer.fallbackFrom.code})`
          : "";
        return `${time}  ${where}  ready  ${o.answer.provider}  ${o.answer.model}  ${o.answer.latencyMs} ms  attempts ${o.answer.attempts}${fallback}`;
      }
      if (o.status === "error") {
        const fallback = o.fallbackFrom
          ? ` (after ${o.fallbackFrom.provider}: ${o.fallbackFrom.code})`
          : "";
        return `${time}  ${where}  error  ${o.code}  ${o.provider ?? "-"}  ${o.model ?? "-"}  ${o.latencyMs} ms  ${oneLine(o.message)}${fallback}`;
      }
      if (o.status === "superseded") {
        return `${time}  ${where}  superseded by ${o.supersededBy} (${o.reason})`;
      }
      return `${time}  ${where}  skipped  ${o.reason}`;
    }
  }
}
