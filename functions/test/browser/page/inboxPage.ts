import { initializeApp } from "firebase/app";
import {
  connectAuthEmulator,
  inMemoryPersistence,
  initializeAuth,
  signInWithEmailAndPassword,
} from "firebase/auth";
import {
  addDoc,
  collection,
  connectFirestoreEmulator,
  doc,
  DocumentData,
  Firestore,
  FirestoreError,
  getFirestore,
  limit,
  onSnapshot,
  orderBy,
  query,
  serverTimestamp,
} from "firebase/firestore";

/*
 * The agents' inbox as docs/data-contract.md's "For frontend developers" shows it, bundled with esbuild for
 * test/browser/inbox.test.ts. Everything comes from the query string: the workspace,
 * conversation and message, the emulators' host:port, and two users' email and password, a
 * member and a stranger. Every snapshot and listener error is recorded in `window.events` (and
 * listed on the page) for the test to read.
 */

export interface InboxEvent {
  /** "one" (suggestions/{messageId}), "current" (the newest one), "stranger-…" for the non-member. */
  listener: string;
  /** The suggestion's status; null when there is no document (yet). */
  status: string | null;
  text?: string;
  agentUse?: { outcome: string; similarity: number; outboundMessageId: string };
  /** FirestoreError.code of an error callback or a refused write. */
  error?: string;
  fromCache?: boolean;
  /** performance.now() when it was seen. */
  at: number;
}

export interface InboxApi {
  state: "starting" | "listening" | `failed: ${string}`;
  uid?: string;
  /** Sends the agent's reply: the ready suggestion's text, as an outbound message. Its id. */
  sendReply(): Promise<string>;
  /** The stranger tries to send a reply; the error code (or "ok" if the rules let it). */
  strangerSends(): Promise<string>;
}

declare global {
  interface Window {
    events: InboxEvent[];
    inbox: InboxApi;
  }
}

const params = new URLSearchParams(location.search);
const param = (name: string): string => {
  const value = params.get(name);
  if (!value) throw new Error(`missing query parameter ${name}`);
  return value;
};
const w = param("w");
const c = param("c");
const messageId = param("m");
const projectId = param("project");
const [firestoreHost, firestorePort] = param("firestore").split(":");

window.events = [];

function record(event: Omit<InboxEvent, "at">): void {
  const full = { ...event, at: Math.round(performance.now()) };
  window.events.push(full);
  const li = document.createElement("li");
  if (full.error) li.className = "error";
  li.textContent = [
    `+${full.at} ms`,
    full.listener,
    full.error ? `error ${full.error}` : (full.status ?? "(no document)"),
    full.agentUse ? `agentUse ${full.agentUse.outcome} ${full.agentUse.similarity}` : "",
    full.text !== undefined ? JSON.stringify(full.text) : "",
  ]
    .filter(Boolean)
    .join("  ");
  document.getElementById("events")?.append(li);
}

function fromSuggestion(listener: string, s: DocumentData | undefined, fromCache: boolean) {
  record({
    listener,
    status: typeof s?.status === "string" ? s.status : null,
    ...(typeof s?.text === "string" ? { text: s.text } : {}),
    ...(s?.agentUse ? { agentUse: s.agentUse } : {}),
    fromCache,
  });
}

/** The data contract's render(), drawing into the listener's panel. */
function render(panelId: string, s?: DocumentData): void {
  const panel = document.getElementById(panelId);
  if (!panel) return;
  const show = (main: string, by = "") => {
    panel.textContent = main;
    if (by) {
      const small = document.createElement("div");
      small.className = "by";
      small.textContent = by;
      panel.append(small);
    }
  };
  switch (s?.status) {
    case undefined:
      return show("(hidden: no suggestion)");
    case "queued":
    case "generating":
      return show("⏳ thinking…");
    case "streaming":
      return show(`${s.text} ▍`, "live, not sendable yet");
    case "ready":
      return show(
        s.text,
        `${s.provider} · ${s.model}${s.truncated ? " · may be cut" : ""}` +
          (s.agentUse ? ` · agent: ${s.agentUse.outcome}` : ""),
      );
    case "error":
      return show(`✗ ${s.error.code}: ${s.error.message}`, s.error.hint);
    case "skipped":
    case "superseded":
      return show(`(hidden: ${s.status})`);
  }
}

async function signIn(name: string, email: string, password: string) {
  const app = initializeApp({ projectId, apiKey: "demo-key" }, name);
  const auth = initializeAuth(app, { persistence: inMemoryPersistence });
  connectAuthEmulator(auth, `http://${param("auth")}`, { disableWarnings: true });
  const db = getFirestore(app);
  connectFirestoreEmulator(db, firestoreHost, Number(firestorePort));
  const { user } = await signInWithEmailAndPassword(auth, email, password);
  return { db, uid: user.uid };
}

/** The data contract's two listeners, for one signed-in user. */
function listen(db: Firestore, prefix: string, draw: boolean): void {
  const suggestions = (w: string, c: string) =>
    collection(db, "workspaces", w, "conversations", c, "suggestions");
  const failed = (listener: string) => (err: FirestoreError) =>
    record({ listener, status: null, error: err.code });

  // The suggestion for one customer message: its id is the message id.
  onSnapshot(
    doc(suggestions(w, c), messageId),
    (snap) => {
      fromSuggestion(`${prefix}one`, snap.data(), snap.metadata.fromCache);
      if (draw) render("draft-one", snap.data());
    },
    failed(`${prefix}one`),
  );

  // The conversation's current suggestion: the one of its newest customer message.
  const current = query(suggestions(w, c), orderBy("messageCreatedAt", "desc"), limit(1));
  onSnapshot(
    current,
    (snap) => {
      fromSuggestion(`${prefix}current`, snap.docs[0]?.data(), snap.metadata.fromCache);
      if (draw) render("draft-current", snap.docs[0]?.data());
    },
    failed(`${prefix}current`),
  );
}

/** An agent's reply exactly as the rules want it (docs/data-contract.md, Message). */
function reply(db: Firestore, uid: string, text: string) {
  return addDoc(collection(db, "workspaces", w, "conversations", c, "messages"), {
    direction: "outbound",
    type: "text",
    text,
    createdAt: serverTimestamp(),
    authorId: uid,
    suggestionId: messageId,
  });
}

async function main(): Promise<void> {
  document.getElementById("where")!.textContent = `${w} / ${c} / message ${messageId}`;
  const [member, stranger] = await Promise.all([
    signIn("member", param("email"), param("password")),
    signIn("stranger", param("strangerEmail"), param("strangerPassword")),
  ]);
  document.getElementById("user")!.textContent =
    `member ${member.uid}; stranger (no members doc) ${stranger.uid}`;
  window.inbox.uid = member.uid;
  listen(member.db, "", true);
  listen(stranger.db, "stranger-", false);

  window.inbox.sendReply = async () => {
    const ready = window.events.filter((e) => e.listener === "one" && e.status === "ready").at(-1);
    if (!ready?.text) throw new Error("no ready suggestion to send");
    const sent = await reply(member.db, member.uid, ready.text);
    record({ listener: "member-send", status: "sent", text: ready.text });
    return sent.id;
  };
  window.inbox.strangerSends = async () => {
    try {
      await reply(stranger.db, stranger.uid, "Hola, soy un extraño.");
      return "ok";
    } catch (err) {
      const code = (err as FirestoreError).code ?? String(err);
      record({ listener: "stranger-send", status: null, error: code });
      return code;
    }
  };
  window.inbox.state = "listening";
}

window.inbox = {
  state: "starting",
  sendReply: () => Promise.reject(new Error("not signed in yet")),
  strangerSends: () => Promise.reject(new Error("not signed in yet")),
};
main().catch((err: unknown) => {
  window.inbox.state = `failed: ${String(err)}`;
  record({ listener: "page", status: null, error: String(err) });
});
