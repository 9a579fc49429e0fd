import { expect } from "chai";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { Timestamp } from "firebase-admin/firestore";
import type { Page } from "playwright-core";
import { paths } from "../../src/core/paths";
import { signUpTestUser } from "../support/authEmulator";
import { FakeLmStudio } from "../support/fakeLmStudio";
import {
  launchSystemChromium,
  SystemBrowser,
  WAIT_MS,
  whyNoBrowser,
} from "../support/systemChromium";
import {
  createMessage,
  db,
  deliverMessageCreated,
  seedConversation,
  useSuiteEnv,
} from "../support/harness";

/*
 * The agents' inbox in a real browser, the plain web SDK way (without the inbox kit) of
 * docs/data-contract.md's "For frontend developers" (test/browser/page/inboxPage.ts, bundled
 * here with esbuild), signed in to the Auth emulator, against the official Firestore emulator
 * with firestore.rules applied.
 * The page records every snapshot in window.events; the test reads them. Nothing waits on a
 * clock: the fake LM Studio holds its stream until the page has shown what came before.
 */

/** What the page records (test/browser/page/inboxPage.ts, InboxEvent). */
interface InboxEvent {
  listener: string;
  status: string | null;
  text?: string;
  agentUse?: { outcome: string; similarity: number; outboundMessageId: string };
  error?: string;
  fromCache?: boolean;
  at: number;
}

/** The page's globals, as seen by the functions page.evaluate() runs in the browser. */
declare const window: {
  events: InboxEvent[];
  inbox: {
    state: string;
    uid?: string;
    sendReply(): Promise<string>;
    strangerSends(): Promise<string>;
  };
};

const functionsDir = resolve(__dirname, "../../..");
const pageSource = join(functionsDir, "test/browser/page");
const outDir = join(functionsDir, "build-dev/test/browser");

const ANSWER =
  "¡Hola Lucía! El pedido 4512 salió ayer del depósito, así que debería llegarte antes del viernes.";

function whySkip(): string | undefined {
  if (process.env.TEST_FIRESTORE_EMULATOR === "embedded")
    return "web clients hang on the embedded Firestore emulator; this test runs on the official one";
  return whyNoBrowser();
}

/** Statuses in order with repeats collapsed; null (no document) as "(none)". */
function statusSequence(events: InboxEvent[]): string[] {
  const statuses = events.map((e) => e.status ?? "(none)");
  return statuses.filter((s, i) => i === 0 || s !== statuses[i - 1]);
}

const of = (events: InboxEvent[], listener: string) =>
  events.filter((e) => e.listener === listener);

/** True when both of the member's listeners have recorded an event that passes `check`. */
const bothSaw = (check: (e: InboxEvent) => boolean) => (events: InboxEvent[]) =>
  ["one", "current"].every((listener) => of(events, listener).some(check));

/**
 * Resolves with window.events once they pass `check`. Between two looks it waits, with
 * Playwright's own wait inside the page, for the page's next recorded event, never for a timer;
 * it fails with what was seen when no event comes for WAIT_MS.
 */
async function waitForEvents(
  page: Page,
  what: string,
  check: (events: InboxEvent[]) => boolean,
): Promise<InboxEvent[]> {
  for (;;) {
    const events = await page.evaluate(() => window.events);
    if (check(events)) return events;
    await page
      .waitForFunction((seen) => window.events.length > seen, events.length, { timeout: WAIT_MS })
      .catch((err) => {
        throw new Error(
          `the page never saw ${what} (${err}); it saw ${JSON.stringify(events, null, 1)}`,
        );
      });
  }
}

describe("the agents' inbox in headless Chromium (web SDK, Auth emulator, rules)", function () {
  this.timeout(90_000);
  const lm = FakeLmStudio.forSuite();
  let browser: SystemBrowser | undefined;
  let server: http.Server | undefined;
  let baseUrl = "";
  const requestedUrls: string[] = [];

  before(async function () {
    const reason = whySkip();
    if (reason) {
      console.log(`    (skipped: ${reason})`);
      this.skip();
    }
    await build({
      entryPoints: [join(pageSource, "inboxPage.ts")],
      bundle: true,
      format: "iife",
      platform: "browser",
      target: "chrome120",
      outfile: join(outDir, "page/inboxPage.js"),
      logLevel: "warning",
    });
    const html = readFileSync(join(pageSource, "inbox.html"));
    const script = readFileSync(join(outDir, "page/inboxPage.js"));
    server = http.createServer((req, res) => {
      const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
      const [type, body] =
        path === "/"
          ? ["text/html; charset=utf-8", html]
          : path === "/inboxPage.js"
            ? ["text/javascript; charset=utf-8", script]
            : [undefined, undefined];
      if (!body) {
        res.writeHead(path === "/favicon.ico" ? 204 : 404).end();
        return;
      }
      res.writeHead(200, { "content-type": type, "cache-control": "no-store" }).end(body);
    });
    await new Promise<void>((done) => server?.listen(0, "127.0.0.1", done));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    browser = await launchSystemChromium("inbox");
    browser.context.on("request", (request) => requestedUrls.push(request.url()));
  });

  after(async () => {
    await browser?.close();
    await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  });

  useSuiteEnv(() => ({
    LLM_STUDIO_URL: lm.url,
    LLM_TIMEOUT_MS: "30000",
    STREAM_SUGGESTIONS: undefined,
    STREAM_FLUSH_MS: "100",
    BURST_WINDOW_MS: "0",
  }));
  beforeEach(() => {
    lm.answer = () => ({ content: ANSWER });
  });

  it("a member sees generating → streaming (growing) → ready, sends it as is and sees agentUse; a stranger is refused", async () => {
    const conversation = await seedConversation({});
    const [member, stranger] = await Promise.all([signUpTestUser(), signUpTestUser()]);
    await db().doc(paths.member(conversation.workspaceId, member.uid)).set({ role: "agent" });
    const question = await createMessage(conversation, {
      direction: "inbound",
      text: "¿Me llega antes del viernes el pedido 4512? Es un regalo.",
    });

    const { context } = browser as SystemBrowser;
    const page = context.pages()[0] ?? (await context.newPage());
    const pageErrors: string[] = [];
    page.on("pageerror", (err) => pageErrors.push(String(err)));
    page.on("console", (msg) => {
      if (msg.type() === "error") pageErrors.push(msg.text());
    });
    // What a failed resource was, so that an error above names its URL. ERR_ABORTED is the SDK
    // closing a stream it no longer needs (the WebChannel's own), not a failure.
    page.on("requestfailed", (r) => {
      const why = r.failure()?.errorText ?? "";
      if (why !== "net::ERR_ABORTED") pageErrors.push(`request failed: ${r.url()} ${why}`);
    });
    page.on("response", (r) => {
      if (r.status() >= 400)
        pageErrors.push(`HTTP ${r.status()}: ${r.request().method()} ${r.url()}`);
    });
    const query = new URLSearchParams({
      project: process.env.GCLOUD_PROJECT as string,
      firestore: process.env.FIRESTORE_EMULATOR_HOST as string,
      auth: process.env.FIREBASE_AUTH_EMULATOR_HOST as string,
      w: conversation.workspaceId,
      c: conversation.conversationId,
      m: question.messageId,
      email: member.email,
      password: member.password,
      strangerEmail: stranger.email,
      strangerPassword: stranger.password,
    });
    await page.goto(`${baseUrl}/?${query}`);
    await page.waitForFunction(() => window.inbox?.state !== "starting", null, {
      timeout: WAIT_MS,
    });
    expect(await page.evaluate(() => window.inbox.state)).to.equal("listening");
    expect(await page.evaluate(() => window.inbox.uid)).to.equal(member.uid);
    // Both listeners are live before the suggestion exists: no document, no current one.
    await waitForEvents(
      page,
      "the first snapshots",
      bothSaw((e) => e.status === null),
    );

    // The model streams several chunks, each held until the page showed the state before it:
    // generating before the first words, the first words before more, more before the rest.
    lm.chunkChars = 12;
    lm.chunkDelayMs = 60;
    const gateFailures: string[] = [];
    const streamedTexts = (events: InboxEvent[], listener: string) =>
      new Set(
        of(events, listener)
          .filter((e) => e.status === "streaming")
          .map((e) => e.text),
      ).size;
    const holds: Record<number, [string, (events: InboxEvent[]) => boolean]> = {
      0: ["generating", bothSaw((e) => e.status === "generating")],
      1: ["the first streamed words", bothSaw((e) => e.status === "streaming")],
      2: [
        "a second, longer streamed text",
        (events) => ["one", "current"].every((l) => streamedTexts(events, l) >= 2),
      ],
    };
    lm.chunkGate = async (index) => {
      const hold = holds[index];
      if (!hold) return;
      // On failure the stream goes on: the assertions below then say what the page missed.
      await waitForEvents(page, hold[0], hold[1]).catch((err) => gateFailures.push(String(err)));
    };
    await deliverMessageCreated(question);
    let events = await waitForEvents(
      page,
      "ready",
      bothSaw((e) => e.status === "ready"),
    );
    expect(gateFailures).to.deep.equal([]);

    for (const listener of ["one", "current"]) {
      const seen = of(events, listener);
      expect(statusSequence(seen), listener).to.deep.equal([
        "(none)",
        "generating",
        "streaming",
        "ready",
      ]);
      const streamed = seen.filter((e) => e.status === "streaming").map((e) => e.text as string);
      expect(streamed.length, listener).to.be.at.least(2);
      streamed.forEach((text, i) => {
        expect(ANSWER.startsWith(text), text).to.equal(true);
        if (i > 0) expect(text.length, text).to.be.above(streamed[i - 1].length);
      });
      expect(seen.at(-1)).to.deep.include({ status: "ready", text: ANSWER });
    }

    // The agent sends the suggestion as it is, from the browser, under the rules.
    const sentId = await page.evaluate(() => window.inbox.sendReply());
    const outbound = await db()
      .collection(paths.messages(conversation))
      .where("direction", "==", "outbound")
      .get();
    expect(outbound.docs.map((d) => d.id)).to.deep.equal([sentId]);
    const sent = outbound.docs[0].data();
    expect(sent).to.deep.include({
      type: "text",
      text: ANSWER,
      authorId: member.uid,
      suggestionId: question.messageId,
    });
    expect(sent.createdAt).to.be.instanceOf(Timestamp);
    await deliverMessageCreated({ ...conversation, messageId: sentId });
    events = await waitForEvents(
      page,
      "agentUse",
      bothSaw((e) => e.agentUse !== undefined),
    );
    for (const listener of ["one", "current"]) {
      expect(of(events, listener).at(-1), listener).to.deep.include({
        status: "ready",
        agentUse: { outcome: "sent_as_is", similarity: 1, outboundMessageId: sentId },
      });
    }

    // The stranger (signed in, no members doc) is refused: both listeners, and a reply.
    events = await waitForEvents(page, "the stranger refused", (all) =>
      ["stranger-one", "stranger-current"].every((l) =>
        of(all, l).some((e) => e.error === "permission-denied"),
      ),
    );
    // …and never saw a suggestion.
    const strangerSaw = events.filter((e) => e.listener.startsWith("stranger-") && e.status);
    expect(strangerSaw).to.deep.equal([]);
    expect(await page.evaluate(() => window.inbox.strangerSends())).to.equal("permission-denied");

    mkdirSync(outDir, { recursive: true });
    await page.screenshot({ path: join(outDir, "inbox.png"), fullPage: true });
    writeFileSync(
      join(outDir, "inbox-events.json"),
      JSON.stringify(await page.evaluate(() => window.events), null, 1),
    );
    // Permission-denied listeners log their error to the console; nothing else may fail but the
    // WebChannel's own recovery, seen on a busy machine: the emulator drops a long poll's session
    // (HTTP 400 on …/channel), and the channel probes its connectivity with Google's cleardot
    // image, which --host-resolver-rules keep from leaving the machine, then reconnects. Every
    // state above was still seen, so the recovery worked.
    const recovery = [
      /^HTTP 400: GET http:\/\/127\.0\.0\.1:\d+\/google\.firestore\.v1\.Firestore\/(Listen|Write)\/channel\?/,
      /^Failed to load resource: the server responded with a status of 400 \(Bad Request\)$/,
      /^request failed: https:\/\/www\.google\.com\/images\/cleardot\.gif\?\S* net::ERR_NAME_NOT_RESOLVED$/,
      /^Failed to load resource: net::ERR_NAME_NOT_RESOLVED$/,
    ];
    const unexpected = pageErrors.filter(
      (e) => !/permission-denied|PERMISSION_DENIED/i.test(e) && !recovery.some((r) => r.test(e)),
    );
    expect(unexpected).to.deep.equal([]);
    const isProbe = (u: URL) =>
      u.hostname === "www.google.com" && u.pathname === "/images/cleardot.gif";
    const offLoopback = requestedUrls
      .map((u) => new URL(u))
      .filter((u) => u.hostname !== "127.0.0.1" && !isProbe(u));
    expect(offLoopback.map(String)).to.deep.equal([]);
  });
});
