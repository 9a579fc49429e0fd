import { onAuthStateChanged, signInWithEmailAndPassword, signOut, type User } from "firebase/auth";
import {
  connectFirestoreEmulator,
  doc,
  getDoc,
  getFirestore,
  type Firestore,
} from "firebase/firestore";
import {
  options,
  regenerate,
  requestReport,
  rewrite,
  sendReply,
  TONES,
  watchConversations,
  watchCurrentSuggestion,
  watchMessages,
  watchReport,
  type ActionError,
  type ActionResult,
  type ConversationEntry,
  type ConversationRef,
  type MessageEntry,
  type ReportState,
  type SuggestionState,
  type Tone,
} from "../inbox-kit/src";
import { isLoopbackHost } from "../console-page/hostingEmulators";
import { loadPageConfig, pageFirebase } from "../console-page/pageConfig";
import { pickLanguage } from "../src/core/language";
import { paths } from "../src/core/paths";
import { EmulatorCustomer } from "./emulatorCustomer";
import { inboxWords } from "./inboxText";
import "./inbox.css";

/*
 * The reference inbox (docs/inbox.md), built on the inbox kit alone: sign in, pick a
 * conversation, read the suggestion as it streams, send it as is or edited, ask for another
 * version, a tone or options, read the sources and the report. Locally a customer box plays the
 * channel integration. `window.inboxState` says what the page shows, for the browser test.
 */

type Role = "admin" | "agent";

declare global {
  interface Window {
    inboxState: {
      state: string;
      /** The open conversation's suggestion states, in order. */
      suggestionStates: string[];
      /** performance.now() of what the test measures: the customer's message, the first words. */
      customerSentAt?: number;
      firstWordsAt?: number;
      error?: string;
    };
  }
}

// The browser's preferences in order: the first Spanish or English one decides.
const language = pickLanguage(
  ...(navigator.languages?.length ? navigator.languages : [navigator.language]),
);
const t = inboxWords(language);
document.documentElement.lang = language;
document.title = t.title;
window.inboxState = { state: "starting", suggestionStates: [] };

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const setState = (state: string, extra: Partial<Window["inboxState"]> = {}) =>
  Object.assign(window.inboxState, { state, ...extra });

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> & Record<string, unknown> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

function note(id: string, text: string, kind = "note"): void {
  $(id).replaceChildren(text ? el("p", { className: kind }, text) : "");
}

const describeError = (e: ActionError) => `${t.actionFailed} ${e.code}: ${e.message}`;

function translateStatic(): void {
  const text: Record<string, string> = {
    title: t.title,
    "email-label": t.email,
    "password-label": t.password,
    "sign-in-button": t.signIn,
    "sign-out": t.signOut,
    "workspace-label": t.workspace,
    "workspace-open": t.open,
    "conversations-title": t.conversations,
    "new-conversation": t.newConversation,
    "suggestion-title": t.suggestion,
    "draft-label": t.reply,
    send: t.send,
    regenerate: t.regenerate,
    "instruction-label": t.instruction,
    "tone-label": t.tone,
    rewrite: t.rewrite,
    "options-button": t.options,
    "report-title": t.report,
    "report-button": t.requestReport,
    "customer-title": t.customerBox,
    "customer-note": t.customerBoxNote,
    "customer-label": t.customerSays,
    "customer-send": t.customerSend,
    "close-conversation": t.closeConversation,
    shortcuts: t.shortcuts,
  };
  for (const [id, words] of Object.entries(text)) $(id).textContent = words;
  $("messages").setAttribute("aria-label", t.messages);
  $<HTMLTextAreaElement>("draft").placeholder = t.draftPlaceholder;
  $<HTMLInputElement>("instruction").placeholder = t.instructionPlaceholder;
  $<HTMLSelectElement>("tone").replaceChildren(
    ...TONES.map((tone) => el("option", { value: tone }, t.tones[tone])),
  );
}

/** Everything of one signed-in session with one open workspace; `close()` forgets it all. */
class InboxSession {
  private stops: (() => void)[] = [];
  private conversationStops: (() => void)[] = [];
  private previews = new Map<string, () => void>();
  private conversations: ConversationEntry[] = [];
  private newestCustomer = new Map<string, MessageEntry | undefined>();
  private open?: ConversationRef;
  private suggestion: SuggestionState = { state: "hidden", why: "none" };
  /** The suggestion text last put into the draft: replaced by a newer one unless the agent typed. */
  private draftFromSuggestion = "";
  /** Actions still waiting for the backend's answer. */
  private running = 0;

  constructor(
    private readonly db: Firestore,
    private readonly workspaceId: string,
    private readonly role: Role,
    private readonly customer: EmulatorCustomer | undefined,
  ) {}

  start(): void {
    document.body.classList.toggle("has-customer", this.customer !== undefined);
    this.stops.push(
      watchConversations(
        this.db,
        this.workspaceId,
        (list) => this.showConversations(list),
        (e) => {
          setState("error", { error: e.code });
          note("status", `${t.loadFailed} ${e.message}`, "error");
        },
      ),
    );
    setState("loading");
  }

  close(): void {
    for (const stop of [...this.stops, ...this.conversationStops, ...this.previews.values()])
      stop();
    this.stops = [];
    this.conversationStops = [];
    this.previews.clear();
  }

  private showConversations(list: ConversationEntry[]): void {
    this.conversations = list;
    for (const c of list) {
      if (this.previews.has(c.id)) continue;
      const where = { workspaceId: this.workspaceId, conversationId: c.id };
      this.previews.set(
        c.id,
        watchMessages(
          this.db,
          where,
          (messages) => {
            this.newestCustomer.set(c.id, messages.filter((m) => m.direction === "inbound").at(-1));
            this.renderList();
          },
          undefined,
          10,
        ),
      );
    }
    this.renderList();
    setState("ready");
    if (list.length === 0) note("status", t.noConversations, "empty");
    else if ($("status").querySelector(".empty")) note("status", "");
    if (!this.open) $("conversation").hidden = true;
  }

  private renderList(): void {
    const newest = (c: ConversationEntry) => this.newestCustomer.get(c.id)?.createdAtMs ?? 0;
    const sorted = [...this.conversations].sort(
      (a, b) => newest(b) - newest(a) || a.id.localeCompare(b.id),
    );
    $("conversation-list").replaceChildren(
      ...sorted.map((c) => {
        const name = c.customerName ?? c.customer?.name ?? c.id;
        const last = this.newestCustomer.get(c.id)?.text ?? "";
        const button = el(
          "button",
          { type: "button", className: "conversation-item" },
          el("strong", {}, name),
          c.status === "closed" || c.status === "resolved"
            ? el("span", { className: "badge" }, t.closed)
            : "",
          el("span", { className: "preview" }, last),
        );
        button.setAttribute("aria-current", String(this.open?.conversationId === c.id));
        button.dataset.conversationId = c.id;
        button.addEventListener("click", () => this.openConversation(c.id));
        return el("li", {}, button);
      }),
    );
    const current = this.conversations.find((c) => c.id === this.open?.conversationId);
    if (current) {
      const name = current.customerName ?? current.customer?.name ?? current.id;
      $("conversation-title").textContent = `${name} · ${current.channel ?? ""}`.replace(
        / · $/,
        "",
      );
    }
  }

  openConversation(conversationId: string): void {
    for (const stop of this.conversationStops) stop();
    this.conversationStops = [];
    const where = { workspaceId: this.workspaceId, conversationId };
    this.open = where;
    this.suggestion = { state: "hidden", why: "none" };
    this.draftFromSuggestion = "";
    window.inboxState.suggestionStates = [];
    $<HTMLTextAreaElement>("draft").value = "";
    note("action-status", "");
    $("conversation").hidden = false;
    document.body.classList.add("conversation-open");
    this.renderList();
    const failed = (e: ActionError) => note("action-status", describeError(e), "error");
    this.conversationStops.push(
      watchMessages(this.db, where, (messages) => this.showMessages(messages), failed),
      watchCurrentSuggestion(this.db, where, (state) => this.showSuggestion(state), failed),
      watchReport(this.db, where, (state) => this.showReport(state), failed),
    );
    $<HTMLTextAreaElement>("draft").focus();
  }

  private showMessages(messages: MessageEntry[]): void {
    const time = (ms: number | null) =>
      ms === null
        ? ""
        : new Date(ms).toLocaleTimeString(language, { hour: "2-digit", minute: "2-digit" });
    $("messages").replaceChildren(
      ...(messages.length === 0
        ? [el("li", { className: "empty" }, t.noMessages)]
        : messages.map((m) =>
            el(
              "li",
              { className: `message ${m.direction}` },
              el("span", { className: "who" }, m.direction === "inbound" ? t.customer : t.you),
              el("span", { className: "text" }, m.text),
              el("time", {}, time(m.createdAtMs)),
            ),
          )),
    );
    $("messages").scrollTop = $("messages").scrollHeight;
  }

  private showSuggestion(state: SuggestionState): void {
    const previous = this.suggestion;
    this.suggestion = state;
    window.inboxState.suggestionStates.push(state.state);
    if (state.state === "streaming" && window.inboxState.firstWordsAt === undefined && state.text) {
      window.inboxState.firstWordsAt = performance.now();
    }
    const box = $("suggestion");
    box.dataset.state = state.state;
    const badge = $("suggestion-state");
    badge.textContent =
      state.state === "waiting" && state.queued ? t.states.queued : t.states[state.state];
    const body = $("suggestion-body");
    if (state.state === "hidden")
      body.replaceChildren(el("p", { className: "muted" }, t.noSuggestion));
    if (state.state === "waiting")
      body.replaceChildren(el("p", { className: "muted" }, t.states.waiting));
    if (state.state === "streaming") {
      body.replaceChildren(el("p", { className: "suggestion-text live" }, state.text));
    }
    if (state.state === "error") {
      body.replaceChildren(
        ...(this.role === "admin"
          ? [
              el("p", { className: "error" }, `${state.code}: ${state.message}`),
              el("p", { className: "hint" }, `${t.hint} ${state.hint}`),
            ]
          : [el("p", { className: "error" }, t.failedForAgent)]),
      );
    }
    if (state.state === "ready") {
      const parts: Node[] = [];
      if (state.options.length > 1) {
        const fieldset = el("fieldset", { className: "options" }, el("legend", {}, t.pickOption));
        state.options.forEach((text, i) => {
          const input = el("input", {
            type: "radio",
            name: "option",
            value: String(i),
            checked: i === 0,
          });
          input.addEventListener("change", () => this.putInDraft(text, true));
          fieldset.append(el("label", { className: "option" }, input, el("span", {}, text)));
        });
        parts.push(fieldset);
      } else {
        parts.push(el("p", { className: "suggestion-text" }, state.text));
      }
      if (state.truncated) parts.push(el("p", { className: "warning" }, t.cut));
      if (state.sources.length > 0) {
        parts.push(
          el("h4", {}, t.sources),
          el(
            "ul",
            { className: "sources" },
            ...state.sources.map((s) =>
              el(
                "li",
                {},
                s.url
                  ? el("a", { href: s.url, target: "_blank", rel: "noopener" }, s.title)
                  : s.title,
              ),
            ),
          ),
        );
      }
      parts.push(
        el(
          "p",
          { className: "meta" },
          `${state.provider} · ${state.model} · ${t.version} ${state.version}`,
          ...(state.used
            ? [" · ", el("span", { className: "badge used" }, t.used[state.used])]
            : []),
        ),
      );
      body.replaceChildren(...parts);
      const newVersion =
        previous.state !== "ready" ||
        previous.version !== state.version ||
        previous.text !== state.text;
      if (newVersion) this.putInDraft(state.text, false);
    }
    setButtons(this.suggestion);
  }

  /** The suggestion into the draft, unless the agent has written something of their own. */
  private putInDraft(text: string, picked: boolean): void {
    const draft = $<HTMLTextAreaElement>("draft");
    if (picked || draft.value.trim() === "" || draft.value === this.draftFromSuggestion) {
      draft.value = text;
      this.draftFromSuggestion = text;
    }
  }

  private showReport(state: ReportState): void {
    const box = $("report-body");
    $("report").dataset.state = state.state;
    if (state.state === "none") box.replaceChildren(el("p", { className: "muted" }, t.noReport));
    if (state.state === "generating")
      box.replaceChildren(el("p", { className: "muted" }, t.reportWriting));
    if (state.state === "error") {
      box.replaceChildren(
        el("p", { className: "error" }, `${state.code}: ${state.message}`),
        ...(this.role === "admin"
          ? [el("p", { className: "hint" }, `${t.hint} ${state.hint}`)]
          : []),
      );
    }
    if (state.state === "ready") {
      const j = state.judgement;
      box.replaceChildren(
        el("p", { className: "summary" }, state.summary),
        ...(j
          ? [
              el(
                "p",
                { className: "chips" },
                el("span", { className: `badge ${j.sentiment}` }, t.sentiment[j.sentiment]),
                " ",
                el("span", { className: "badge" }, t.resolution[j.resolution]),
              ),
              ...(j.nextSteps.length > 0
                ? [
                    el("h4", {}, t.nextSteps),
                    el("ul", {}, ...j.nextSteps.map((s) => el("li", {}, s))),
                  ]
                : []),
            ]
          : []),
      );
    }
  }

  /** Runs an action with the buttons off and says how it went. */
  private async act<T>(
    run: () => Promise<ActionResult<T>>,
    done?: (value: T) => void,
  ): Promise<void> {
    this.running += 1;
    document.body.classList.add("busy");
    note("action-status", t.working, "muted");
    try {
      const result = await run();
      if (result.ok) {
        note("action-status", "");
        done?.(result.value);
      } else {
        note("action-status", describeError(result.error), "error");
      }
    } finally {
      this.running -= 1;
      document.body.classList.toggle("busy", this.running > 0);
    }
  }

  send(): void {
    const where = this.open;
    const draft = $<HTMLTextAreaElement>("draft");
    const text = draft.value.trim();
    if (!where) return;
    if (!text) return note("action-status", t.emptyDraft, "error");
    const fromSuggestion =
      this.suggestion.state === "ready" ? this.suggestion.messageId : undefined;
    void this.act(
      () =>
        sendReply(this.db, where, {
          text,
          ...(fromSuggestion ? { suggestionId: fromSuggestion } : {}),
        }),
      () => {
        draft.value = "";
        this.draftFromSuggestion = "";
        note("action-status", t.sent, "muted");
      },
    );
  }

  regenerate(): void {
    const where = this.open;
    const s = this.suggestion;
    if (!where || (s.state !== "ready" && s.state !== "error")) return;
    const instruction = $<HTMLInputElement>("instruction").value;
    void this.act(
      () => regenerate(this.db, where, { messageId: s.messageId, instruction }),
      () => {
        $<HTMLInputElement>("instruction").value = "";
      },
    );
  }

  options(): void {
    const where = this.open;
    const s = this.suggestion;
    if (!where || (s.state !== "ready" && s.state !== "error")) return;
    void this.act(() => options(this.db, where, { messageId: s.messageId, count: 3 }));
  }

  rewrite(): void {
    const where = this.open;
    const draft = $<HTMLTextAreaElement>("draft");
    if (!where) return;
    if (!draft.value.trim()) return note("action-status", t.emptyDraft, "error");
    const tone = $<HTMLSelectElement>("tone").value as Tone;
    void this.act(
      () =>
        rewrite(
          this.db,
          where,
          { draft: draft.value, tone },
          { onText: (text) => (draft.value = text) },
        ),
      (rewritten) => {
        draft.value = rewritten.text;
      },
    );
  }

  report(): void {
    const where = this.open;
    if (where) void this.act(() => requestReport(this.db, where));
  }

  async customerWrites(): Promise<void> {
    const where = this.open;
    const box = $<HTMLTextAreaElement>("customer-text");
    if (!where || !this.customer || !box.value.trim()) return;
    window.inboxState.customerSentAt = performance.now();
    window.inboxState.firstWordsAt = undefined;
    await this.customer.write(where, box.value.trim());
    box.value = "";
  }

  async newConversation(): Promise<void> {
    if (!this.customer) return;
    const name = language === "es" ? "Lucía" : "Lucy";
    const where = await this.customer.startConversation(
      this.workspaceId,
      name,
      navigator.language || "es-AR",
    );
    this.openConversation(where.conversationId);
  }

  async closeConversation(): Promise<void> {
    if (this.customer && this.open) await this.customer.close(this.open);
  }
}

function setButtons(s: SuggestionState): void {
  const finished = s.state === "ready" || s.state === "error";
  for (const id of ["regenerate", "options-button"]) $<HTMLButtonElement>(id).disabled = !finished;
}

async function roleIn(db: Firestore, workspaceId: string, uid: string): Promise<Role | undefined> {
  try {
    const member = await getDoc(doc(db, paths.member(workspaceId, uid)));
    const role = member.data()?.role;
    return member.exists() ? (role === "admin" ? "admin" : "agent") : undefined;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  translateStatic();
  const config = await loadPageConfig("/inbox/config.json");
  const firebase = pageFirebase(config);
  if (!firebase) {
    note("status", t.noAuthEmulator, "refused");
    $<HTMLButtonElement>("sign-in-button").disabled = true;
    setState("no-auth-emulator");
    return;
  }
  const { app, auth } = firebase;
  const db = getFirestore(app);
  if (config.firestoreEmulator) {
    const [host, port] = [
      config.firestoreEmulator.replace(/:\d+$/, ""),
      Number(config.firestoreEmulator.split(":").pop()),
    ];
    connectFirestoreEmulator(db, host, port);
  }
  const customer =
    config.firestoreEmulator && isLoopbackHost(location.hostname)
      ? new EmulatorCustomer(config.firestoreEmulator, config.projectId)
      : undefined;

  const params = new URLSearchParams(location.search);
  const workspaceInput = $<HTMLInputElement>("workspace");
  workspaceInput.value =
    params.get("workspace") ??
    localStorage.getItem("inbox.workspace") ??
    (customer ? "demo-workspace" : "");

  let session: InboxSession | undefined;
  let generation = 0;
  const clearScreen = () => {
    session?.close();
    session = undefined;
    for (const id of [
      "status",
      "conversation-list",
      "messages",
      "suggestion-body",
      "report-body",
      "action-status",
    ])
      $(id).replaceChildren();
    $<HTMLTextAreaElement>("draft").value = "";
    $("conversation").hidden = true;
    document.body.classList.remove("conversation-open");
  };
  const openWorkspace = async (user: User) => {
    const mine = ++generation;
    clearScreen();
    const workspaceId = workspaceInput.value.trim();
    if (!workspaceId) return;
    localStorage.setItem("inbox.workspace", workspaceId);
    const role = await roleIn(db, workspaceId, user.uid);
    if (mine !== generation) return;
    if (!role) {
      setState("not-member");
      note("status", t.notMember(workspaceId, user.uid), "refused");
      return;
    }
    session = new InboxSession(db, workspaceId, role, customer);
    session.start();
  };

  $("sign-in").addEventListener("submit", (event) => {
    event.preventDefault();
    const email = $<HTMLInputElement>("email").value;
    const password = $<HTMLInputElement>("password").value;
    signInWithEmailAndPassword(auth, email, password).catch(() =>
      note("status", t.signInFailed, "error"),
    );
  });
  $("sign-out").addEventListener("click", () => void signOut(auth));
  $("workspace-form").addEventListener("submit", (event) => {
    event.preventDefault();
    if (auth.currentUser) void openWorkspace(auth.currentUser);
  });
  $("reply").addEventListener("submit", (event) => {
    event.preventDefault();
    session?.send();
  });
  $("regenerate").addEventListener("click", () => session?.regenerate());
  $("options-button").addEventListener("click", () => session?.options());
  $("rewrite").addEventListener("click", () => session?.rewrite());
  $("report-button").addEventListener("click", () => session?.report());
  $("customer-form").addEventListener("submit", (event) => {
    event.preventDefault();
    void session?.customerWrites();
  });
  $("new-conversation").addEventListener("click", () => void session?.newConversation());
  $("close-conversation").addEventListener("click", () => void session?.closeConversation());
  document.addEventListener("keydown", (event) => {
    if (
      (event.ctrlKey || event.metaKey) &&
      event.key === "Enter" &&
      document.activeElement === $("draft")
    ) {
      event.preventDefault();
      session?.send();
    }
    if (event.altKey && event.key.toLowerCase() === "r") {
      event.preventDefault();
      session?.regenerate();
    }
  });

  // "signed-out" only once Auth has said so (a returning user is signed in without the form).
  onAuthStateChanged(auth, (user) => {
    generation += 1;
    clearScreen();
    document.body.classList.toggle("signed-in", user !== null);
    if (!user) {
      $("user").textContent = "";
      note("status", t.signedOut, "empty");
      setState("signed-out");
      return;
    }
    $("user").textContent = `${t.signedInAs} ${user.email ?? user.uid}`;
    void openWorkspace(user);
  });
}

main().catch((err: Error) => {
  note("status", err.message, "error");
  setState("error", { error: err.message });
});
