import { loadPageConfig, pageFirebase } from "./pageConfig";
import { onAuthStateChanged, signInWithEmailAndPassword, signOut, type User } from "firebase/auth";
import type uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { hintFor, type ErrorCode } from "../src/core/errorCodes";
import type { ConsoleSeries, ProviderRow } from "../src/consoleEndpoint/consoleSeries";
import { drawChart, el, numbersTable } from "./consoleCharts";
import { words } from "./consoleText";
import { pickLanguage } from "../src/core/language";

/*
 * The operator console (docs/console.md): sign in with Firebase Auth, pick a
 * workspace you administer, and read GET /api/ai/console: the live state at the top, refreshed
 * every `refreshMs`, the daily charts with their tables, the provider-by-provider table.
 * `window.consoleState` says what the page is showing, for the browser test.
 */

interface Live {
  mode: string;
  checkedAt: string;
  lmStudio: {
    status: string;
    servers: {
      label: string;
      status: string;
      models: { id: string; type: string; state: string }[];
      error?: { code: ErrorCode; message: string };
    }[];
  };
  openai: { status: string };
  inFlight: number;
  queue: { queued: number; running: number; oldestQueuedAgeMs: number | null } | null;
  breakers: {
    label: string;
    provider: string;
    state: string;
    lastErrorCode: ErrorCode | null;
    reportedAt: string | null;
  }[];
}

type ConsoleData = ConsoleSeries & {
  workspaceId: string;
  live: Live;
  prices: { inputPerMTok: number; outputPerMTok: number };
  knowledge: ConsoleSeries["knowledge"] & { index: Record<string, number> };
};

declare global {
  interface Window {
    consoleState: { state: string; refreshes: number; liveStatus?: string; error?: string };
  }
}

// The browser's preferences in order: the first Spanish or English one decides.
const language = pickLanguage(
  ...(navigator.languages?.length ? navigator.languages : [navigator.language]),
);
const t = words(language);
document.documentElement.lang = language;
document.title = t.title;
window.consoleState = { state: "starting", refreshes: 0 };

const $ = (id: string) => document.getElementById(id) as HTMLElement;
const setState = (state: string, extra: Partial<Window["consoleState"]> = {}) =>
  Object.assign(window.consoleState, { state, ...extra });

const ms = (n: number | null) => (n === null ? t.none : n.toLocaleString(language));
const pct = (n: number | null) =>
  n === null ? t.none : `${(100 * n).toLocaleString(language, { maximumFractionDigits: 1 })} %`;
const usd = (n: number) => `$${n.toFixed(4)}`;

function message(text: string, kind = "note"): HTMLElement {
  return el("p", { className: kind }, text);
}

function renderLive(live: Live): void {
  const servers = live.lmStudio.servers;
  const box = $("live");
  box.replaceChildren(
    el("h2", {}, t.live),
    el(
      "p",
      { className: "checked" },
      `${t.refreshedAt} ${new Date(live.checkedAt).toLocaleTimeString(language)}`,
    ),
  );
  if (servers.length === 0) box.append(message(t.noServers, "empty"));
  for (const server of servers) {
    const up = server.status === "healthy";
    box.append(
      el(
        "div",
        { className: `server ${up ? "up" : "down"}` },
        el("strong", {}, `${server.label}: `),
        el("span", { className: "server-status" }, up ? t.up : t.down),
        server.error
          ? el(
              "p",
              { className: "hint" },
              `${server.error.code}: ${hintFor(server.error.code, language)}`,
            )
          : "",
        server.models.length
          ? el(
              "ul",
              { className: "models" },
              ...server.models.map((m) =>
                el("li", {}, `${m.id} (${m.type}, ${t.modelStates[m.state] ?? m.state})`),
              ),
            )
          : "",
      ),
    );
  }
  const facts: [string, string][] = [[t.inFlight, String(live.inFlight)]];
  if (live.queue) {
    const age = live.queue.oldestQueuedAgeMs;
    facts.push([
      t.queued,
      `${live.queue.queued}${age !== null ? ` (${t.oldest}: ${Math.round(age / 1000)} s)` : ""}`,
    ]);
  }
  box.append(
    el(
      "dl",
      {},
      ...facts.flatMap(([k, v]) => [el("dt", {}, k), el("dd", { className: "fact" }, v)]),
    ),
    // With breakers, the table's caption is the heading: one title, not two.
    live.breakers.length ? "" : el("h3", {}, t.breakers),
    live.breakers.length
      ? numbersTable(
          t.breakers,
          [t.provider, t.state, t.lastError],
          live.breakers.map((b) => [
            `${b.provider} ${b.label}`,
            t.breakerStates[b.state] ?? b.state,
            b.lastErrorCode ? `${b.lastErrorCode} (${b.reportedAt ?? ""})` : t.none,
          ]),
        )
      : message(t.noBreakers, "empty"),
  );
  setState(window.consoleState.state, { liveStatus: live.lmStudio.status });
}

const charts: uPlot[] = [];
// Charts follow the page's width (a phone turned, a window resized).
window.addEventListener("resize", () => {
  for (const chart of charts) {
    const figure = chart.root.closest("figure");
    chart.setSize({ width: Math.max(260, figure?.clientWidth ?? 320), height: 180 });
  }
});

function costAtOpenAi(row: ProviderRow, prices: ConsoleData["prices"]): number {
  return (
    (row.promptTokens * prices.inputPerMTok + row.completionTokens * prices.outputPerMTok) / 1e6
  );
}

/** The range's charts, tables and sections, in the order the page shows them. */
function renderSeries(data: ConsoleData): void {
  const main = $("series");
  main.replaceChildren();
  charts.splice(0).forEach((c) => c.destroy());
  const total = data.daily.reduce((sum, d) => sum + d.requests, 0);
  if (total === 0) {
    main.append(message(t.noSuggestions, "empty"));
    return;
  }
  renderDailyCharts(main, data.daily);
  renderByCode(main, data.daily);
  renderProviders(main, data);
  renderKnowledge(main, data.knowledge);
  renderReports(main, data.reports);
  renderPrivacy(main, data.privacy);
}

/** Suggestions, latency, fallbacks and errors, cost avoided and prompt cache, day by day. */
function renderDailyCharts(main: HTMLElement, daily: ConsoleData["daily"]): void {
  // Every figure first, so that each is measured in its own grid column.
  const charts4 = [
    "chart-suggestions",
    "chart-latency",
    "chart-failures",
    "chart-cost",
    "chart-cache",
  ].map((id) => {
    const f = el("figure", { id, className: "chart" });
    main.append(f);
    return f;
  });
  const figure = (id: string) => charts4.find((f) => f.id === id) as HTMLElement;
  charts.push(
    drawChart(figure("chart-suggestions"), t.suggestions, t.day, daily, [
      { label: t.ready, color: "#2a7d2e", value: (d) => d.ready },
      { label: t.errors, color: "#c0392b", value: (d) => d.errors },
      { label: t.skipped, color: "#7f8c8d", value: (d) => d.skipped },
      { label: t.superseded, color: "#8e44ad", value: (d) => d.superseded },
    ]),
    drawChart(
      figure("chart-latency"),
      t.latency,
      t.day,
      daily,
      [
        { label: t.p50, color: "#2471a3", value: (d) => d.latencyP50Ms },
        { label: t.p95, color: "#a04000", value: (d) => d.latencyP95Ms },
        { label: `${t.firstText} ${t.p50}`, color: "#17a589", value: (d) => d.firstTextP50Ms },
        { label: `${t.firstText} ${t.p95}`, color: "#b7950b", value: (d) => d.firstTextP95Ms },
      ],
      ms,
    ),
    drawChart(figure("chart-failures"), t.fallbacksErrors, t.day, daily, [
      { label: t.fallbacks, color: "#d68910", value: (d) => d.fallbacks },
      { label: t.errors, color: "#c0392b", value: (d) => d.errors },
    ]),
    drawChart(
      figure("chart-cost"),
      t.costAvoided,
      t.day,
      daily,
      [{ label: "USD", color: "#2a7d2e", value: (d) => Number(d.costAvoidedUsd.toFixed(6)) }],
      (n) => (n === null ? t.none : usd(n)),
    ),
    // How much of each prompt LM Studio's cache could skip (docs/architecture.md).
    drawChart(
      figure("chart-cache"),
      t.promptCache,
      t.day,
      daily,
      [
        { label: t.promptReuse, color: "#1f618d", value: (d) => d.promptReuse },
        { label: t.serverCached, color: "#7d3c98", value: (d) => d.serverCached },
      ],
      pct,
    ),
  );
}

/** Fallbacks and errors of the range by code, when there were any. */
function renderByCode(main: HTMLElement, daily: ConsoleData["daily"]): void {
  const codes = (pick: "errorsByCode" | "fallbacksByCode") => {
    const sum: Record<string, number> = {};
    for (const d of daily) for (const [k, v] of Object.entries(d[pick])) sum[k] = (sum[k] ?? 0) + v;
    return Object.entries(sum);
  };
  const byCode = [
    ...codes("fallbacksByCode").map(([k, v]) => [`${t.fallbacks}: ${k}`, v]),
    ...codes("errorsByCode").map(([k, v]) => [`${t.errors}: ${k}`, v]),
  ];
  if (byCode.length) main.append(numbersTable(t.byCode, [t.byCode, t.requests], byCode));
}

/** LM Studio and OpenAI side by side, then per model. */
function renderProviders(main: HTMLElement, data: ConsoleData): void {
  const providerRow = (label: string, r: Omit<ProviderRow, "provider">) => [
    label,
    r.requests,
    r.ready,
    pct(r.agentUse.acceptance),
    `${r.agentUse.sent_as_is} / ${r.agentUse.edited} / ${r.agentUse.not_used}`,
    ms(r.latencyP50Ms),
    ms(r.latencyP95Ms),
    pct(r.errorRate),
    usd(costAtOpenAi(r as ProviderRow, data.prices)),
  ];
  const head = [
    t.provider,
    t.requests,
    t.ready,
    t.acceptance,
    `${t.sentAsIs} / ${t.edited} / ${t.notUsed}`,
    `${t.p50} ms`,
    `${t.p95} ms`,
    t.errorRate,
    t.cloudCost,
  ];
  main.append(
    el("h2", {}, t.providers),
    message(t.providersHint),
    numbersTable(
      t.providers,
      head,
      data.providers.map((p) =>
        providerRow(p.provider === "llm_studio" ? "LM Studio" : "OpenAI", p),
      ),
      "providers",
    ),
    numbersTable(
      t.perModel,
      [t.model, ...head.slice(1)],
      data.models.map((m) => providerRow(m.model, m)),
      "models",
    ),
  );
}

function renderKnowledge(main: HTMLElement, k: ConsoleData["knowledge"]): void {
  main.append(
    el("h2", {}, t.knowledge),
    numbersTable(
      t.knowledgeStatus,
      [t.knowledgeStatus, t.suggestionsCount, t.acceptance],
      Object.entries(k.byStatus).map(([status, v]) => [
        status,
        v.suggestions,
        pct(v.agentUse.acceptance),
      ]),
    ),
    el(
      "p",
      {},
      `${t.noMatchRate}: ${pct(k.noMatchRate)} · ${t.index}: ${Object.entries(k.index)
        .map(([s, n]) => `${s} ${n}`)
        .join(", ")}`,
    ),
  );
}

function renderReports(main: HTMLElement, reports: ConsoleData["reports"]): void {
  main.append(el("h2", {}, t.reports));
  if (reports.made === 0) main.append(message(t.noReports, "empty"));
  else
    main.append(
      el("p", {}, `${t.reportsMade}: ${reports.made}`),
      numbersTable(t.sentiment, [t.sentiment, t.reportsMade], Object.entries(reports.bySentiment)),
      numbersTable(
        t.resolution,
        [t.resolution, t.reportsMade],
        Object.entries(reports.byResolution),
      ),
    );
}

function renderPrivacy(main: HTMLElement, privacy: ConsoleData["privacy"]): void {
  main.append(el("h2", {}, t.privacy));
  if (privacy.maskedAnswers === 0) main.append(message(t.noMasking, "empty"));
  else
    main.append(
      el(
        "p",
        {},
        `${t.maskedAnswers}: ${privacy.maskedAnswers} · ${t.unresolved}: ${privacy.unresolved}`,
      ),
      numbersTable(
        t.maskedByKind,
        [t.maskedKind, t.maskedValues],
        Object.entries(privacy.byKind).sort(([, a], [, b]) => b - a),
      ),
    );
}

async function start(): Promise<void> {
  const config = await loadPageConfig("/console/config.json");
  const params = new URLSearchParams(location.search);
  const refreshMs = Number(params.get("refreshMs")) || config.refreshMs || 10_000;
  const endpoint = config.endpoint ?? "/api/ai/console";
  $("title").textContent = t.title;
  $("email-label").textContent = t.email;
  $("password-label").textContent = t.password;
  $("sign-in-button").textContent = t.signIn;
  $("sign-out").textContent = t.signOut;
  $("workspace-label").textContent = t.workspace;
  const firebase = pageFirebase(config);
  if (!firebase) {
    $("status").replaceChildren(message(t.noAuthEmulator, "refused"));
    ($("sign-in-button") as HTMLButtonElement).disabled = true;
    setState("no-auth-emulator");
    return;
  }
  const { auth } = firebase;

  const form = $("sign-in") as HTMLFormElement;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const email = ($("email") as HTMLInputElement).value;
    const password = ($("password") as HTMLInputElement).value;
    signInWithEmailAndPassword(auth, email, password).catch(() => {
      $("status").replaceChildren(message(t.signInFailed, "error"));
    });
  });
  $("sign-out").addEventListener("click", () => void signOut(auth));

  let timer: ReturnType<typeof setTimeout> | undefined;
  // Each sign-in or sign-out starts a new session: an answer for an earlier one is dropped, so
  // the previous admin's figures never reach the screen of whoever signs in next.
  let session = 0;
  const clearScreen = () => {
    for (const id of ["status", "live", "series", "workspace"]) $(id).replaceChildren();
  };
  const call = async (user: User, query: string) => {
    const response = await fetch(`${endpoint}${query}`, {
      headers: { authorization: `Bearer ${await user.getIdToken()}` },
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  const show = async (user: User, workspace: string, mine: number) => {
    clearTimeout(timer);
    setState("loading");
    const { status, body } = await call(
      user,
      `?workspace=${encodeURIComponent(workspace)}&days=${params.get("days") ?? 14}`,
    );
    if (mine !== session) return;
    if (status === 401 || status === 403) {
      $("status").replaceChildren(message(t.refused, "refused"));
      $("live").replaceChildren();
      $("series").replaceChildren();
      setState("refused");
      return;
    }
    if (status !== 200) {
      $("status").replaceChildren(message(`${t.loadFailed} ${String(body.error)}`, "error"));
      setState("error", { error: String(body.error) });
      return;
    }
    $("status").replaceChildren();
    const data = body as unknown as ConsoleData;
    renderLive(data.live);
    renderSeries(data);
    setState("ready");
    const refresh = async () => {
      const live = await call(user, `?workspace=${encodeURIComponent(workspace)}&part=live`).catch(
        () => undefined,
      );
      if (mine !== session) return;
      if (live?.status === 200) renderLive(live.body.live as Live);
      window.consoleState.refreshes += 1;
      timer = setTimeout(() => void refresh(), refreshMs);
    };
    timer = setTimeout(() => void refresh(), refreshMs);
  };

  onAuthStateChanged(auth, async (user) => {
    const mine = ++session;
    clearTimeout(timer);
    clearScreen();
    document.body.classList.toggle("signed-in", Boolean(user));
    if (!user) {
      setState("signed-out");
      return;
    }
    const { status, body } = await call(user, "");
    if (mine !== session) return;
    const workspaces = status === 200 ? (body.workspaces as string[]) : [];
    const wanted = params.get("workspace");
    const select = $("workspace") as HTMLSelectElement;
    const choices = wanted && !workspaces.includes(wanted) ? [wanted, ...workspaces] : workspaces;
    select.replaceChildren(...choices.map((w) => el("option", { value: w, textContent: w })));
    select.onchange = () => void show(user, select.value, mine);
    const first = wanted ?? workspaces[0];
    if (!first) {
      $("status").replaceChildren(message(t.noWorkspaces, "refused"));
      setState("refused");
      return;
    }
    select.value = first;
    await show(user, first, mine);
  });
}

start().catch((err: Error) => {
  document
    .getElementById("status")
    ?.replaceChildren(message(`${t.loadFailed} ${err.message}`, "error"));
  setState("error", { error: err.message });
});
