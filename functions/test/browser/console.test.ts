import { expect } from "chai";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Page } from "playwright-core";
import { HealthServer, serveHealthEndpoint } from "../../dev/healthServer";
import { paths } from "../../src/core/paths";
import { signUpTestUser } from "../support/authEmulator";
import { dayOffset, seedConsoleMetrics } from "../support/consoleSeed";
import { FakeLmStudio } from "../support/fakeLmStudio";
import {
  launchSystemChromium,
  SystemBrowser,
  WAIT_MS,
  whyNoBrowser,
} from "../support/systemChromium";
import { db, GOOD_SETTINGS, useSuiteEnv } from "../support/harness";

/*
 * The operator console in headless Chromium: the page of public/console (bundled from
 * functions/console-page/ with esbuild, as npm run dev serves it) signs in to the Auth emulator and
 * reads GET /api/ai/console from the same loopback server. The page says what it shows in
 * window.consoleState; the live state refreshes every 200 ms here instead of 10 s.
 */

interface ConsoleState {
  state: string;
  refreshes: number;
  liveStatus?: string;
}

declare const window: { consoleState: ConsoleState };

/** The browser's document, used only inside page.evaluate (this file compiles without the DOM). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
declare const document: any;

const REFRESH_MS = 200;
const artifacts = resolve(__dirname, "../../../build-dev/test-artifacts");

function whySkip(): string | undefined {
  if (process.env.TEST_FIRESTORE_EMULATOR === "embedded")
    return "the console's reads need the official Firestore emulator (collection groups, counts)";
  return whyNoBrowser();
}

/**
 * Waits, with Playwright's own wait inside the page, until window.consoleState holds every field
 * of `wanted`, and returns that state; fails with the state it last showed after WAIT_MS.
 */
async function untilConsole(
  page: Page,
  what: string,
  wanted: Partial<ConsoleState>,
): Promise<ConsoleState> {
  try {
    const handle = await page.waitForFunction(
      (want) => {
        const state: ConsoleState | undefined = window.consoleState;
        return state && Object.entries(want).every(([k, v]) => state[k as keyof ConsoleState] === v)
          ? { ...state }
          : false;
      },
      wanted,
      { timeout: WAIT_MS },
    );
    return (await handle.jsonValue()) as ConsoleState; // never false: the wait ends on a state
  } catch (err) {
    const shown = await page.evaluate(() => window.consoleState).catch(() => undefined);
    throw new Error(`the page never showed ${what} (${err}); it showed ${JSON.stringify(shown)}`);
  }
}

/** The body rows of the table captioned `caption`, as text cells. */
const tableRows = (page: Page, caption: string) =>
  page.evaluate((wanted) => {
    const table = [...document.querySelectorAll("table")].find(
      (t) => t.caption?.textContent === wanted,
    );
    return table
      ? [...table.tBodies[0].rows].map((r) => [...r.cells].map((c) => c.textContent ?? ""))
      : null;
  }, caption);

/**
 * What a table would hide, at any width. Every visible table fits the screen with nothing to
 * scroll sideways, and every value cell of the console's tables shows its column's heading
 * (data-label) beside it.
 */
const tablesCutOff = (page: Page) =>
  page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const problems: string[] = [];
    for (const table of document.querySelectorAll("table:not(.sr-only)")) {
      const name = table.querySelector("caption")?.textContent ?? "(no caption)";
      if (table.scrollWidth > table.clientWidth + 1) problems.push(`${name}: scrolls sideways`);
      for (const cell of table.querySelectorAll("tbody th, tbody td")) {
        if (cell.getBoundingClientRect().right > width + 1) {
          problems.push(`${name}: "${cell.textContent}" past the right edge`);
        }
        // The console's own tables (not uPlot's legends) label each value for the cards.
        const ours = table.classList.contains("numbers");
        if (ours && cell.tagName === "TD" && !cell.dataset.label) {
          problems.push(`${name}: a cell unlabelled`);
        }
      }
    }
    return problems;
  });

async function signIn(page: Page, user: { email: string; password: string }) {
  await page.fill("#email", user.email);
  await page.fill("#password", user.password);
  await page.click("#sign-in-button");
}

/** Opens the console at `url`, signs `user` in and waits until it shows the workspace. */
async function openSignedIn(page: Page, url: string, user: { email: string; password: string }) {
  await page.goto(url);
  await untilConsole(page, "the sign-in form", { state: "signed-out" });
  await signIn(page, user);
  await untilConsole(page, "the console", { state: "ready" });
}

describe("the operator console in headless Chromium (Auth emulator, GET /api/ai/console)", function () {
  this.timeout(120_000);
  let browser: SystemBrowser | undefined;
  let server: HealthServer | undefined;
  let lm: FakeLmStudio | undefined;

  before(async function () {
    const reason = whySkip();
    if (reason) {
      console.log(`    (skipped: ${reason})`);
      this.skip();
    }
    lm = await FakeLmStudio.start();
  });
  useSuiteEnv(
    () => ({
      LLM_STUDIO_URL: (lm as FakeLmStudio).url,
      LLM_STUDIO_MODE: undefined,
      HEALTH_CACHE_MS: "0",
      HEALTH_PROBE_TIMEOUT_MS: "1000",
    }),
    { per: "suite" },
  );
  before(async () => {
    server = await serveHealthEndpoint(0, { refreshMs: REFRESH_MS });
    browser = await launchSystemChromium("console", { locale: "en-US" });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await lm?.close().catch(() => undefined);
  });

  it("an admin signs in, sees the seeded numbers drawn and tabled, and the live state turn down within one refresh; a non-admin is refused", async () => {
    const workspaceId = `console-${Date.now()}`;
    const [admin, agent] = await Promise.all([signUpTestUser(), signUpTestUser()]);
    await Promise.all([
      db().doc(paths.member(workspaceId, admin.uid)).set({ role: "admin" }),
      db().doc(paths.member(workspaceId, agent.uid)).set({ role: "agent" }),
      db().doc(paths.aiSettings(workspaceId)).set(GOOD_SETTINGS),
      seedConsoleMetrics(workspaceId, 14),
    ]);
    const { context } = browser as SystemBrowser;
    const page = context.pages()[0] ?? (await context.newPage());
    const pageErrors: string[] = [];
    page.on("pageerror", (err) => pageErrors.push(err.message));
    const requested: string[] = [];
    page.on("request", (r) => requested.push(r.url()));

    await openSignedIn(page, `${server?.consoleUrl}?workspace=${workspaceId}`, admin);

    // Five charts, each drawn on a canvas, each with its numbers in a table.
    const charts = await page.evaluate(() =>
      [...document.querySelectorAll("figure.chart")].map((f) => ({
        id: f.id,
        canvas: (f.querySelector("canvas")?.width ?? 0) > 0,
        table: f.querySelector("table") !== null,
      })),
    );
    expect(charts).to.deep.equal(
      ["chart-suggestions", "chart-latency", "chart-failures", "chart-cost", "chart-cache"].map(
        (id) => ({
          id,
          canvas: true,
          table: true,
        }),
      ),
    );
    const suggestions = await tableRows(page, "Suggestions by status");
    expect(suggestions).to.have.length(14);
    // Day i ago: 10 + i requests, of which 8 + i ready, 1 error, 1 skipped.
    expect(suggestions?.[13]).to.deep.equal([dayOffset(0), "8", "1", "1", "0"]);
    expect(suggestions?.[0]).to.deep.equal([dayOffset(13), "21", "1", "1", "0"]);
    const latency = await tableRows(page, "Latency (ms)");
    expect(latency?.[13]).to.deep.equal([dayOffset(0), "500", "5,000", "250", "250"]);
    // LM Studio reports no cached tokens: the backend's own count, and none from the server.
    expect((await tableRows(page, "Prompt cache"))?.[13]).to.deep.equal([
      dayOffset(0),
      "90 %",
      "—",
    ]);
    const providers = await tableRows(page, "LM Studio and OpenAI, side by side");
    expect(providers?.map((r) => r.slice(0, 4))).to.deep.equal([
      ["LM Studio", "217", "189", "80 %"],
      ["OpenAI", "14", "14", "100 %"],
    ]);
    expect(await tableRows(page, "Sentiment")).to.deep.equal([
      ["negative", "14"],
      ["positive", "14"],
    ]);
    // What went masked to OpenAI: counts by kind, most first, never a value.
    expect(await tableRows(page, "Values masked, by kind")).to.deep.equal([
      ["phone", "28"],
      ["email", "14"],
      ["name", "14"],
    ]);
    expect(await page.textContent("#live .server-status")).to.equal("up");
    expect(await tablesCutOff(page)).to.deep.equal([]);
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, "console.png"), fullPage: true });

    // LM Studio stops: the next refresh that starts after it shows it down.
    const before = await page.evaluate(() => window.consoleState.refreshes);
    await lm?.close();
    const seen = await untilConsole(page, "LM Studio down", { liveStatus: "unhealthy" });
    expect(seen.refreshes).to.be.at.most(before + 2);
    expect(await page.textContent("#live .server-status")).to.equal("down");
    expect(await page.textContent("#live .hint")).to.contain("provider_unreachable");

    // Phone width: nothing wider than the screen, and no table hides a column past its edge
    // (each row is a card of labelled values).
    await page.setViewportSize({ width: 800, height: 800 });
    expect(await tablesCutOff(page), "a tablet's 800 px").to.deep.equal([]);
    await page.setViewportSize({ width: 390, height: 800 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(390);
    expect(await tablesCutOff(page)).to.deep.equal([]);
    expect(
      await page.evaluate(() =>
        [...document.querySelectorAll("table.providers tbody tr:first-child td")].map(
          (td) => document.defaultView.getComputedStyle(td, "::before").content,
        ),
      ),
    ).to.include('"Requests"');
    await page.screenshot({ path: join(artifacts, "console-phone.png"), fullPage: true });

    // The same console for a Spanish-speaking admin, on a desktop and on a phone.
    const spanish = await launchSystemChromium("console-es", { locale: "es-AR" });
    try {
      const es = spanish.context.pages()[0] ?? (await spanish.context.newPage());
      await openSignedIn(es, `${server?.consoleUrl}?workspace=${workspaceId}`, admin);
      expect(await es.textContent("h1")).to.equal("Consola de IA");
      expect(await tablesCutOff(es)).to.deep.equal([]);
      await es.screenshot({ path: join(artifacts, "console-es.png"), fullPage: true });
      await es.setViewportSize({ width: 390, height: 800 });
      expect(await es.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(390);
      expect(await tablesCutOff(es)).to.deep.equal([]);
      await es.screenshot({ path: join(artifacts, "console-es-phone.png"), fullPage: true });
    } finally {
      await spanish.close();
    }

    // Signing out leaves nothing of the workspace on the screen.
    await page.click("#sign-out");
    await untilConsole(page, "signed out", { state: "signed-out" });
    for (const part of ["#live", "#series", "#status", "#workspace"]) {
      expect(await page.innerHTML(part), part).to.equal("");
    }

    // Someone who is not an admin of the workspace sees the refusal.
    await signIn(page, agent);
    await untilConsole(page, "the refusal", { state: "refused" });
    expect(await page.textContent("#status")).to.contain(
      "This console is for admins of the workspace.",
    );

    expect(pageErrors).to.deep.equal([]);
    expect(requested.filter((u) => !u.startsWith("http://127.0.0.1"))).to.deep.equal([]);
  });

  it("served locally without an Auth emulator, the page says what to start and never calls Google's sign-in", async () => {
    const page = await browser!.context.newPage();
    const requested: string[] = [];
    page.on("request", (request) => requested.push(request.url()));
    await page.route("**/console/config.json", (route) =>
      route.fulfill({ json: { apiKey: "demo-api-key", projectId: "demo-lmstudio-suggestions" } }),
    );
    await page.goto(server!.consoleUrl);
    await untilConsole(page, "the missing Auth emulator", { state: "no-auth-emulator" });
    expect(await page.textContent("#status")).to.contain("Run `npm run emulators`");
    expect(await page.isDisabled("#sign-in-button")).to.equal(true);
    expect(requested.filter((u) => !u.startsWith("http://127.0.0.1"))).to.deep.equal([]);
    await page.close();
  });
});
