import { randomUUID } from "node:crypto";
import functionsTest from "firebase-functions-test";
import { DocumentData, getFirestore, Timestamp } from "firebase-admin/firestore";
import {
  onAiRequestCreated,
  onConversationUpdated,
  onKnowledgeWritten,
  onMessageCreated,
} from "../../src/index";
import { MessageAddress, paths } from "../../src/core/paths";

const testEnv = functionsTest({ projectId: process.env.GCLOUD_PROJECT });
const wrappedOnMessageCreated = testEnv.wrap(onMessageCreated);
const wrappedOnAiRequestCreated = testEnv.wrap(onAiRequestCreated);
const wrappedOnConversationUpdated = testEnv.wrap(onConversationUpdated);
const wrappedOnKnowledgeWritten = testEnv.wrap(onKnowledgeWritten);

/**
 * Writes (or, with `null`, deletes) a help-center article as an admin would, and returns the
 * "document written" event for it, ready to deliver to the real trigger (more than once, or late,
 * to test redelivery and races).
 */
export async function writeArticle(
  workspaceId: string,
  articleId: string,
  fields: DocumentData | null,
): Promise<() => Promise<unknown>> {
  const ref = db().doc(paths.knowledgeArticle(workspaceId, articleId));
  const before = await ref.get();
  if (fields === null) await ref.delete();
  else await ref.set({ enabled: true, updatedAt: Timestamp.now(), ...fields });
  const after = await ref.get();
  return () =>
    wrappedOnKnowledgeWritten({
      data: testEnv.makeChange(before, after),
      params: { workspaceId, articleId },
    });
}

/**
 * Updates a conversation as the inbox would (closing it, say) and returns the "document
 * updated" event for it, ready to deliver (more than once, to test redelivery).
 */
export async function updateConversation(
  where: { workspaceId: string; conversationId: string },
  fields: DocumentData,
): Promise<() => Promise<void>> {
  const ref = db().doc(paths.conversation(where));
  const before = await ref.get();
  await ref.update(fields);
  const after = await ref.get();
  return async () => {
    await wrappedOnConversationUpdated({
      data: testEnv.makeChange(before, after),
      params: where,
    });
  };
}

export const db = () => getFirestore();

export const GOOD_SETTINGS = {
  ai_enabled: true,
  provider: "llm_studio",
  defaultModel: "gpt-oss-20b",
  temperature: 0.3,
  maxTokens: 150,
  flags: { suggestions: true, rag: false, provider_ready: true },
};

export interface SeedMessage {
  direction: "inbound" | "outbound";
  text?: string;
  type?: string;
}

/** A fresh workspace and conversation per test, so tests share the emulator without clearing it. */
export async function seedConversation(options: {
  settings?: DocumentData | null;
  conversation?: DocumentData;
  history?: SeedMessage[];
  /** Another conversation of this workspace instead of a new workspace. */
  workspaceId?: string;
}): Promise<{ workspaceId: string; conversationId: string; baseTime: number }> {
  const workspaceId = options.workspaceId ?? `ws-${randomUUID().slice(0, 8)}`;
  const conversationId = `conv-${randomUUID().slice(0, 8)}`;
  const settings = options.settings === undefined ? GOOD_SETTINGS : options.settings;
  if (settings !== null) await db().doc(paths.aiSettings(workspaceId)).set(settings);
  await db()
    .doc(paths.conversation({ workspaceId, conversationId }))
    .set(options.conversation ?? { channel: "whatsapp", customerName: "María" });
  const baseTime = Date.now() - 3_600_000;
  const batch = db().batch();
  (options.history ?? []).forEach((m, i) => {
    batch.set(
      db().doc(
        paths.message({ workspaceId, conversationId, messageId: `h${String(i).padStart(4, "0")}` }),
      ),
      {
        type: "text",
        ...m,
        createdAt: Timestamp.fromMillis(baseTime + i * 1000),
      },
    );
  });
  await batch.commit();
  return { workspaceId, conversationId, baseTime };
}

/**
 * `count` customers of one workspace writing at the same time, each in a conversation of their
 * own (within one conversation the newest message would own the suggestion).
 */
export async function customersWriteAtOnce(
  count: number,
  text: (i: number) => string = (i) => `pregunta ${i}`,
): Promise<{ workspaceId: string; addresses: MessageAddress[] }> {
  const { workspaceId } = await seedConversation({});
  const conversations = await Promise.all(
    Array.from({ length: count }, () => seedConversation({ workspaceId })),
  );
  const addresses = await Promise.all(
    conversations.map((c, i) => createMessage(c, { direction: "inbound", text: text(i) })),
  );
  return { workspaceId, addresses };
}

/** Writes a message as the frontend or the WhatsApp webhook would. */
export async function createMessage(
  where: { workspaceId: string; conversationId: string },
  message: DocumentData,
  messageId = `m-${randomUUID().slice(0, 8)}`,
): Promise<MessageAddress> {
  const address = { ...where, messageId };
  await db()
    .doc(paths.message(address))
    .set({ type: "text", createdAt: Timestamp.now(), ...message });
  return address;
}

/**
 * The Firestore "document created" event for a stored message, ready to deliver to the real
 * trigger: the event carries the snapshot, as Eventarc's does.
 */
export async function messageCreatedEvent(address: MessageAddress): Promise<() => Promise<void>> {
  const snapshot = await db().doc(paths.message(address)).get();
  return async () => {
    await wrappedOnMessageCreated({
      data: snapshot,
      params: {
        workspaceId: address.workspaceId,
        conversationId: address.conversationId,
        messageId: address.messageId,
      },
    });
  };
}

/** Delivers the Firestore "document created" event for a stored message to the real trigger. */
export async function deliverMessageCreated(address: MessageAddress): Promise<void> {
  await (
    await messageCreatedEvent(address)
  )();
}

/** An agent's request as the inbox writes it (`aiRequests`), delivered to the real trigger. */
export async function requestFromInbox(
  where: { workspaceId: string; conversationId: string },
  fields: DocumentData,
  requestId = `r-${randomUUID().slice(0, 8)}`,
): Promise<{ requestId: string; path: string; deliver: () => Promise<void> }> {
  const path = paths.aiRequest(where, requestId);
  await db()
    .doc(path)
    .set({ requestedBy: "agent-1", createdAt: Timestamp.now(), ...fields });
  const deliver = async () => {
    await wrappedOnAiRequestCreated({
      data: await db().doc(path).get(),
      params: { ...where, requestId },
    });
  };
  return { requestId, path, deliver };
}

export async function readSuggestion(address: MessageAddress): Promise<DocumentData | undefined> {
  return (await db().doc(paths.suggestion(address)).get()).data();
}

/**
 * Where tests send OpenAI traffic they do not mean to make: a loopback port nothing listens on.
 * Never leave OPENAI_BASE_URL unset with a key around, or the default would be the real API.
 */
export const NOWHERE_URL = "http://127.0.0.1:9";

/** Sets environment variables for one test and gives back a function that restores them. */
export function withEnv(values: Record<string, string | undefined>): () => void {
  const saved = Object.fromEntries(Object.keys(values).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  return () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

type EnvValues = Record<string, string | undefined>;

/** Changes a suite's tests make to its environment, undone with the suite's own. */
export interface SuiteEnv {
  /** Sets `values` on top of the suite's environment for the rest of the current test. */
  set(values: EnvValues): void;
}

/**
 * The environment a describe block's tests run in, set and restored by the hooks this registers
 * where it is called: no OpenAI key and OpenAI traffic sent to NOWHERE_URL (so nothing reaches
 * the real API), then `values`, which must say where LM Studio is. `values` is read when the
 * hook runs, so it may name servers started by hooks registered before it. Restored after each
 * test, or with `per: "suite"` once after the last.
 */
export function useSuiteEnv(
  values: () => EnvValues & { LLM_STUDIO_URL: string },
  options: { per?: "test" | "suite" } = {},
): SuiteEnv {
  const restores: (() => void)[] = [];
  const set = (more: EnvValues) => restores.push(withEnv(more));
  const restore = () => {
    while (restores.length > 0) restores.pop()?.();
  };
  const [setUp, tearDown] = options.per === "suite" ? [before, after] : [beforeEach, afterEach];
  setUp(() => set({ OPENAI_API_KEY: undefined, OPENAI_BASE_URL: NOWHERE_URL, ...values() }));
  tearDown(restore);
  return { set };
}
