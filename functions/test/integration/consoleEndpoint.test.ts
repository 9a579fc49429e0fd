import { expect } from "chai";
import { randomUUID } from "node:crypto";
import { Timestamp } from "firebase-admin/firestore";
import { HealthServer, serveHealthEndpoint } from "../../dev/healthServer";
import { hintFor } from "../../src/core/errorCodes";
import { paths } from "../../src/core/paths";
import { signUpTestUser } from "../support/authEmulator";
import { dayOffset, seedConsoleMetrics } from "../support/consoleSeed";
import { FakeLmStudio } from "../support/fakeLmStudio";
import { db, GOOD_SETTINGS, useSuiteEnv } from "../support/harness";

/*
 * GET /api/ai/console as the hosting rewrite serves it, on loopback, against the Firestore
 * emulator and the Auth emulator (ID tokens are verified, never mocked).
 */
describe("operator console endpoint (GET /api/ai/console)", () => {
  let server: HealthServer;
  let lm: FakeLmStudio;

  before(async function () {
    const reason =
      process.env.TEST_FIRESTORE_EMULATOR === "embedded"
        ? "the console reads with collection-group queries and count aggregations, which the embedded emulator lacks; this test runs on the official one"
        : !process.env.FIREBASE_AUTH_EMULATOR_HOST
          ? "needs the Auth emulator; `npm test` starts it with firebase emulators:exec"
          : undefined;
    if (reason) {
      console.log(`    (skipped: ${reason})`);
      this.skip();
    }
    server = await serveHealthEndpoint(0);
  });
  after(() => server?.close());
  beforeEach(async () => {
    lm = await FakeLmStudio.start();
    lm.models = [
      { id: "gpt-oss-20b", state: "loaded", type: "llm" },
      { id: "text-embedding-nomic-embed-text-v1.5", state: "loaded", type: "embeddings" },
    ];
  });
  useSuiteEnv(() => ({
    LLM_STUDIO_URL: lm.url,
    LLM_STUDIO_MODE: undefined,
    LLM_STUDIO_ENABLED: undefined,
    HEALTH_CACHE_MS: "0",
    HEALTH_PROBE_TIMEOUT_MS: "1000",
  }));
  afterEach(async () => {
    await lm.close().catch(() => undefined);
  });

  const get = async (query: string, token?: string, acceptLanguage?: string) => {
    const response = await fetch(
      `${server.consoleUrl.replace("/console", "/api/ai/console")}${query}`,
      {
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(acceptLanguage ? { "accept-language": acceptLanguage } : {}),
        },
      },
    );
    return {
      status: response.status, // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON answer, read field by field
      body: (await response.json()) as Record<string, any>,
    };
  };

  async function adminOf(workspaceId: string) {
    const user = await signUpTestUser();
    await db().doc(paths.member(workspaceId, user.uid)).set({ role: "admin" });
    await db().doc(paths.aiSettings(workspaceId)).set(GOOD_SETTINGS);
    return user;
  }

  it("answers 401 without a token and 403 to another workspace's admin or an agent", async () => {
    const [mine, theirs] = [`w-${randomUUID()}`, `w-${randomUUID()}`];
    await adminOf(mine);
    const stranger = await adminOf(theirs);
    const agent = await signUpTestUser();
    await db().doc(paths.member(mine, agent.uid)).set({ role: "agent" });

    expect((await get(`?workspace=${mine}`)).status).to.equal(401);
    expect((await get(`?workspace=${mine}`, "not-a-token")).status).to.equal(401);
    const refused = await get(`?workspace=${mine}`, stranger.idToken);
    expect(refused.status).to.equal(403);
    expect(refused.body.error).to.equal("The console is for admins of the workspace.");
    expect((await get(`?workspace=${mine}`, agent.idToken)).status).to.equal(403);
    expect((await get(`?workspace=${mine}&days=91`, stranger.idToken)).status).to.equal(400);
  });

  it("lists the workspaces the caller administers", async () => {
    const [a, b] = [`w-${randomUUID()}`, `w-${randomUUID()}`];
    const user = await adminOf(a);
    await db().doc(paths.member(b, user.uid)).set({ role: "admin" });
    await db()
      .doc(paths.member(`w-${randomUUID()}`, user.uid))
      .set({ role: "agent" });
    const { status, body } = await get("", user.idToken);
    expect(status).to.equal(200);
    expect(body.workspaces).to.deep.equal([a, b].sort());
  });

  it("reads exact figures from the seeded metrics, one row a day, and nothing outside the days asked", async () => {
    const workspaceId = `w-${randomUUID()}`;
    const admin = await adminOf(workspaceId);
    await seedConsoleMetrics(workspaceId, 20);
    await db().doc(paths.knowledgeIndex(workspaceId, "a1")).set({ status: "ready" });
    await db().doc(paths.knowledgeIndex(workspaceId, "a2")).set({ status: "error" });

    const { status, body } = await get(`?workspace=${workspaceId}&days=14`, admin.idToken);
    expect(status).to.equal(200);
    expect(body.metricsDocuments).to.equal(14);
    expect(body.daily).to.have.length(14);
    expect(body.from).to.equal(dayOffset(13));
    const today = body.daily[13];
    expect(today).to.deep.equal({
      date: dayOffset(0),
      requests: 10,
      ready: 8,
      errors: 1,
      skipped: 1,
      superseded: 0,
      latencyP50Ms: 500,
      latencyP95Ms: 5000,
      firstTextP50Ms: 250,
      firstTextP95Ms: 250,
      fallbacks: 1,
      fallbacksByCode: { provider_timeout: 1 },
      errorsByCode: { provider_unreachable: 1 },
      promptTokens: 10_000,
      completionTokens: 1000,
      costAvoidedUsd: 0.01,
      promptReuse: 0.9,
      // No server reported cached tokens.
      serverCached: null,
    });
    // Days 0–13: requests 10…23, so LM Studio had Σ(requests − 1) = 217 of them.
    const [local, cloud] = body.providers;
    expect(local).to.deep.include({
      provider: "llm_studio",
      requests: 217,
      ready: 189,
      errors: 14,
    });
    expect(local.agentUse).to.deep.equal({
      sent_as_is: 28,
      edited: 28,
      not_used: 14,
      acceptance: 0.8,
    });
    expect(local.latencyP50Ms).to.equal(500);
    expect(cloud).to.deep.include({ provider: "openai", requests: 14, ready: 14, errors: 0 });
    expect(cloud.latencyP95Ms).to.equal(2000);
    expect(body.agentUse).to.deep.include({ sent_as_is: 42, edited: 28, not_used: 14 });
    expect(body.knowledge.byStatus.used).to.deep.equal({
      suggestions: 56,
      agentUse: { sent_as_is: 28, edited: 14, not_used: 0, acceptance: 1 },
    });
    expect(body.knowledge.noMatchRate).to.equal(0.2);
    expect(body.knowledge.index).to.deep.equal({ indexing: 0, ready: 1, error: 1 });
    expect(body.reports).to.deep.equal({
      made: 28,
      errors: 0,
      bySentiment: { negative: 14, positive: 14 },
      byResolution: { resolved: 28 },
    });
    // Suggestions' and reports' masking, added up over the 14 days.
    expect(body.privacy).to.deep.equal({
      maskedAnswers: 28,
      byKind: { phone: 28, email: 14, name: 14 },
      unresolved: 14,
    });
  });

  it("its live state flips when the test LM Studio stops", async () => {
    const workspaceId = `w-${randomUUID()}`;
    const admin = await adminOf(workspaceId);
    const up = await get(`?workspace=${workspaceId}&part=live`, admin.idToken);
    expect(up.body.live.lmStudio.status).to.equal("healthy");
    expect(up.body.live.lmStudio.servers[0]).to.deep.include({
      label: `${lm.url}/v1`,
      status: "healthy",
    });
    expect(up.body.live.lmStudio.servers[0].models).to.deep.equal([
      { id: "gpt-oss-20b", type: "llm", state: "loaded" },
      { id: "text-embedding-nomic-embed-text-v1.5", type: "embeddings", state: "loaded" },
    ]);
    expect(up.body).to.not.have.property("daily");

    await lm.close();
    const down = await get(`?workspace=${workspaceId}&part=live`, admin.idToken);
    expect(down.body.live.lmStudio.status).to.equal("unhealthy");
    expect(down.body.live.lmStudio.servers[0].status).to.equal("unhealthy");
    expect(down.body.live.lmStudio.servers[0].error).to.deep.include({
      code: "provider_unreachable",
      hint: hintFor("provider_unreachable", "en"),
    });
    // The hint in the language the page speaks: the browser's first Spanish or English one.
    const spanish = await get(
      `?workspace=${workspaceId}&part=live`,
      admin.idToken,
      "es-AR,en;q=0.8",
    );
    expect(spanish.body.live.lmStudio.servers[0].error.hint).to.equal(
      hintFor("provider_unreachable", "es"),
    );
    const english = await get(
      `?workspace=${workspaceId}&part=live`,
      admin.idToken,
      "pt-BR,en-US;q=0.9,es;q=0.8",
    );
    expect(english.body.live.lmStudio.servers[0].error.hint).to.equal(
      hintFor("provider_unreachable", "en"),
    );
  });

  it("shows the workspace's queued jobs and the age of the oldest in bridge mode", async () => {
    process.env.LLM_STUDIO_MODE = "bridge";
    const workspaceId = `w-${randomUUID()}`;
    const admin = await adminOf(workspaceId);
    const now = Date.now();
    const job = (status: string, agoMs: number, workspace = workspaceId) =>
      db()
        .collection(paths.llmJobs())
        .add({
          task: "suggestion",
          status,
          target: { path: "x", workspaceId: workspace },
          createdAt: Timestamp.fromMillis(now - agoMs),
        });
    await Promise.all([
      job("queued", 90_000),
      job("queued", 5_000),
      job("running", 1_000),
      job("queued", 600_000, `w-${randomUUID()}`),
    ]);
    const { body } = await get(`?workspace=${workspaceId}&part=live`, admin.idToken);
    expect(body.live.mode).to.equal("bridge");
    expect(body.live.queue.queued).to.equal(2);
    expect(body.live.queue.running).to.equal(1);
    expect(body.live.queue.oldestQueuedAgeMs).to.be.at.least(90_000).and.below(600_000);
  });
});
