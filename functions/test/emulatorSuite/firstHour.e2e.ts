import { expect } from "chai";
import { ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { bundlePagesIntoPublic } from "../../dev/pageBundles";
import type { Page } from "playwright-core";
import { FUNCTIONS_DIR } from "../../src/config/devStackState";
import { commandEnv, runCommand, waitForOutput } from "../support/runCommand";
import { launchSystemChromium, SystemBrowser, whyNoChromium } from "../support/systemChromium";

/*
 * A newcomer's first hour, as the README tells it, with the real commands: `npm run emulators --
 * --simulate-lm-studio` (what `bash scripts/start.sh --simulate-lm-studio` runs), a suggestion
 * from `npm run demo`, a grounded one and a gap from `npm run demo -- --rag`, the gap listed by
 * `npm run kb:gaps`, and the console signed into as the seeded admin in Chromium. It runs on the
 * ports of the repository's firebase.json, as a newcomer's does: where one is taken (a developer's
 * own `npm run emulators`), it is skipped and says so.
 */

const PORTS = (() => {
  const config = JSON.parse(readFileSync(resolve(FUNCTIONS_DIR, "../firebase.json"), "utf8")) as {
    emulators: Record<string, { port?: number }>;
  };
  return Object.values(config.emulators).flatMap((e) => (e?.port ? [e.port] : []));
})();

function portTaken(port: number): Promise<boolean> {
  return new Promise((resolvePort) => {
    const server = createServer();
    server.once("error", () => resolvePort(true));
    server.listen(port, "127.0.0.1", () => server.close(() => resolvePort(false)));
  });
}

type ConsoleWindow = { consoleState: { state: string } };

/** The console page's state once it has left `passing` (bounded only for a failure). */
async function settledState(page: Page, passing: string[]): Promise<string> {
  await page.waitForFunction(
    (states) => !states.includes((globalThis as unknown as ConsoleWindow).consoleState.state),
    passing,
    { timeout: 60_000 },
  );
  return page.evaluate(() => (globalThis as unknown as ConsoleWindow).consoleState.state);
}

describe("a newcomer's first hour, with the README's commands", function () {
  this.timeout(300_000);
  let stack: ChildProcess | undefined;
  let browser: SystemBrowser | undefined;
  let banner = "";
  const timings: string[] = [];
  const stateFile = join(mkdtempSync(join(tmpdir(), "first-hour-")), "stack.json");
  const env = () => commandEnv({ DEV_STACK_STATE_FILE: stateFile, EMULATOR_UI: "off" });
  const timed = async <T>(step: string, run: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    const result = await run();
    timings.push(`${step}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return result;
  };

  before(async function () {
    const taken = [];
    for (const port of PORTS) if (await portTaken(port)) taken.push(port);
    if (taken.length) {
      console.log(`    (skipped: port(s) ${taken.join(", ")} of firebase.json are taken here)`);
      this.skip();
    }
    // What `npm run emulators` builds before it starts: Hosting serves the bundle.
    await bundlePagesIntoPublic();
    stack = spawn(
      process.execPath,
      [join(FUNCTIONS_DIR, "build-dev/dev/emulatorsCommand.js"), "--simulate-lm-studio"],
      { cwd: FUNCTIONS_DIR, env: env(), stdio: ["ignore", "pipe", "pipe"] },
    );
    banner = await timed("npm run emulators -- --simulate-lm-studio, to its banner", () =>
      waitForOutput(stack as ChildProcess, /Ctrl-C stops\./, 240_000),
    );
  });

  after(async () => {
    await browser?.close();
    if (stack && stack.exitCode === null && stack.signalCode === null) {
      const exited = new Promise((r) => stack?.once("close", r));
      stack.kill("SIGINT");
      const force = setTimeout(() => stack?.kill("SIGKILL"), 60_000);
      await exited;
      clearTimeout(force);
    }
    if (timings.length) console.log(`    timings: ${timings.join("; ")}`);
  });

  it("the banner gives the console's address and the demo team's logins", () => {
    expect(banner).to.contain("console http://127.0.0.1:5000/console/");
    expect(banner).to.contain("Inbox      http://127.0.0.1:5000/inbox/");
    expect(banner).to.contain("Demo team of workspace demo-workspace (password demo-password):");
    expect(banner).to.match(/admin {2}admin@demo-shop\.test/);
    expect(banner).to.contain("SIMULATED LM Studio (--simulate-lm-studio)");
  });

  it("npm run demo shows a suggestion", async () => {
    const demo = await timed("npm run demo", () =>
      runCommand("dev/demoCommand.js", [], env(), 120_000),
    );
    expect(demo.code, demo.stdout + demo.stderr).to.equal(0);
    expect(demo.stdout).to.contain("Using the running local stack");
    expect(demo.stdout).to.contain("✓ Suggested reply (llm_studio, gpt-oss-20b");
  });

  it("npm run demo -- --rag shows a grounded suggestion with its sources, then a gap kb:gaps lists", async () => {
    const demo = await timed("npm run demo -- --rag", () =>
      runCommand("dev/demoCommand.js", ["--rag"], env(), 180_000),
    );
    expect(demo.code, demo.stdout + demo.stderr).to.equal(0);
    expect(demo.stdout).to.match(/Sources[^\n]*\n\s+· ¿Puedo pagar en cuotas\?/);
    expect(demo.stdout).to.contain("it is now a knowledge gap");
    const gaps = await timed("npm run kb:gaps", () =>
      runCommand("src/cli/kbGaps.js", ["--workspace", "demo-workspace"], env()),
    );
    expect(gaps.code, gaps.stdout + gaps.stderr).to.equal(0);
    expect(gaps.stdout).to.contain("¿Venden tarjetas de regalo para cumpleaños?");
  });

  it("the seeded admin signs into the console Hosting serves", async function () {
    const reason = whyNoChromium();
    if (reason) {
      console.log(`    (skipped: ${reason})`);
      this.skip();
    }
    browser = await launchSystemChromium("first-hour", { locale: "en-US" });
    const page = await browser.context.newPage();
    await timed("the console, from sign-in to its live state", async () => {
      await page.goto("http://127.0.0.1:5000/console/");
      // The form is the page's own only once it has loaded its configuration: a click before
      // that would submit it as a plain HTML form and reload the page.
      expect(await settledState(page, ["starting"])).to.equal("signed-out");
      await page.fill("#email", "admin@demo-shop.test");
      await page.fill("#password", "demo-password");
      await page.click("#sign-in-button");
      await settledState(page, ["signed-out", "loading"]);
    });
    const state = await page.evaluate(
      () => (globalThis as unknown as { consoleState: { state: string } }).consoleState,
    );
    expect(state).to.deep.include({ state: "ready", liveStatus: "healthy" });
  });

  it("the seeded agent signs into the inbox, starts a conversation as the customer and sees its suggestion", async function () {
    const reason = whyNoChromium();
    if (reason) {
      console.log(`    (skipped: ${reason})`);
      this.skip();
    }
    // A browser of its own: in the console's, the admin would still be signed in.
    await browser?.close();
    browser = await launchSystemChromium("first-hour-inbox", { locale: "en-US" });
    const page = await browser.context.newPage();
    type InboxWindow = { inboxState: { state: string; suggestionStates: string[] } };
    const inbox = () => (globalThis as unknown as InboxWindow).inboxState;
    await timed("the inbox, from sign-in to a suggestion ready", async () => {
      await page.goto("http://127.0.0.1:5000/inbox/");
      await page.waitForFunction(`(${inbox})().state === "signed-out"`, null, { timeout: 60_000 });
      await page.fill("#email", "agent@demo-shop.test");
      await page.fill("#password", "demo-password");
      await page.click("#sign-in-button");
      await page.waitForFunction(`(${inbox})().state === "ready"`, null, { timeout: 60_000 });
      await page.click("#new-conversation");
      await page.fill("#customer-text", "Hola, ¿llega antes del viernes mi pedido 4512?");
      await page.click("#customer-send");
      await page.waitForFunction(`(${inbox})().suggestionStates.includes("ready")`, null, {
        timeout: 60_000,
      });
    });
    expect(await page.inputValue("#draft")).to.contain("Respuesta simulada");
  });

  it("Ctrl-C stops every emulator", async () => {
    const exited = new Promise<number | null>((r) => stack?.once("close", r));
    stack?.kill("SIGINT");
    expect(await timed("Ctrl-C, to every emulator stopped", () => exited)).to.equal(0);
    for (const port of PORTS) expect(await portTaken(port), `port ${port}`).to.equal(false);
  });
});
