import { expect } from "chai";
import { HealthServer, serveHealthEndpoint } from "../../dev/healthServer";
import { hintFor } from "../../src/core/errorCodes";
import { paths } from "../../src/core/paths";
import { signUpTestUser } from "../support/authEmulator";
import { FakeLmStudio, refusedUrl } from "../support/fakeLmStudio";
import {
  createMessage,
  db,
  deliverMessageCreated,
  GOOD_SETTINGS,
  seedConversation,
  useSuiteEnv,
} from "../support/harness";

describe("health endpoint (GET /api/ai/health)", () => {
  const lm = FakeLmStudio.forSuite();
  let health: HealthServer;

  before(async () => {
    health = await serveHealthEndpoint(0);
  });
  after(() => health.close());
  useSuiteEnv(() => ({
    LLM_STUDIO_URL: lm.url,
    LLM_STUDIO_ENABLED: undefined,
    LLM_STUDIO_API_KEY: undefined,
    HEALTH_CACHE_MS: "0",
    HEALTH_PROBE_TIMEOUT_MS: "1000",
    LLM_RETRY_BASE_DELAY_MS: "20",
    BREAKER_FAILURES: undefined,
  }));
  beforeEach(() => {
    lm.models = [
      { id: "gpt-oss-20b", state: "loaded" },
      { id: "qwen3-8b", state: "not-loaded" },
    ];
  });

  const get = async (query = "", token?: string) => {
    const response = await fetch(
      `${health.url}${query}`,
      token ? { headers: { authorization: `Bearer ${token}` } } : {},
    );
    return {
      status: response.status,
      text: await response.text(),
      cacheControl: response.headers.get("cache-control"),
    };
  };

  it("answers 200 with LM Studio's models and latency when it is healthy", async () => {
    const { status, text, cacheControl } = await get();
    expect(status).to.equal(200);
    const body = JSON.parse(text);
    expect(body).to.deep.include({ status: "healthy", primaryProvider: "llm_studio" });
    expect(body.llm_studio).to.deep.include({
      status: "healthy",
      models: [
        { id: "gpt-oss-20b", state: "loaded" },
        { id: "qwen3-8b", state: "not-loaded" },
      ],
      servers: { healthy: 1, total: 1 },
    });
    expect(body.llm_studio.latencyMs).to.be.a("number");
    expect(body.openai).to.deep.equal({ status: "disabled" });
    expect(cacheControl).to.contain("no-store");
  });

  it("answers 503 with the error code when LM Studio is down", async () => {
    process.env.LLM_STUDIO_URL = await refusedUrl();
    const { status, text } = await get();
    expect(status).to.equal(503);
    const body = JSON.parse(text);
    expect(body.status).to.equal("unhealthy");
    expect(body.llm_studio).to.deep.include({ status: "unhealthy", models: [] });
    expect(body.llm_studio.error).to.deep.equal({ code: "provider_unreachable" });
  });

  it("reports a disabled LM Studio, healthy while OpenAI is the configured primary", async () => {
    process.env.LLM_STUDIO_ENABLED = "false";
    process.env.OPENAI_API_KEY = "sk-test";
    const { status, text } = await get();
    expect(status).to.equal(200);
    expect(JSON.parse(text)).to.deep.include({
      status: "healthy",
      primaryProvider: "openai",
      llm_studio: {
        status: "disabled",
        models: [],
        latencyMs: null,
        servers: { healthy: 0, total: 0 },
      },
      openai: { status: "configured" },
    });
    process.env.OPENAI_API_KEY = "none";
    expect((await get()).status).to.equal(503);
  });

  it("an anonymous answer leaks no URL, token or key", async () => {
    lm.apiToken = "lms-secret-token-123";
    process.env.LLM_STUDIO_API_KEY = "lms-secret-token-123";
    process.env.OPENAI_API_KEY = "sk-secret-openai-456";
    const healthy = await get();
    expect(healthy.status).to.equal(200);
    process.env.LLM_STUDIO_URL = await refusedUrl();
    const down = await get();
    for (const { text } of [healthy, down]) {
      expect(text).not.to.contain("127.0.0.1");
      expect(text).not.to.contain(String(lm.port));
      expect(text).not.to.contain("http");
      expect(text).not.to.contain("lms-secret-token-123");
      expect(text).not.to.contain("sk-secret-openai-456");
      expect(text).not.to.contain("details");
    }
  });

  it("probes LM Studio at most once per HEALTH_CACHE_MS however often it is polled", async () => {
    process.env.HEALTH_CACHE_MS = "60000";
    await Promise.all([get(), get(), get()]);
    await get();
    expect(lm.requests.filter((r) => r.path === "/api/v0/models")).to.have.length(1);
    expect(lm.chatRequests()).to.have.length(0);
  });

  describe("details for workspace admins (ID tokens from the Auth emulator)", () => {
    before(function () {
      if (!process.env.FIREBASE_AUTH_EMULATOR_HOST) {
        console.log(
          "    (skipped: needs the Auth emulator; `npm test` starts it with firebase emulators:exec)",
        );
        this.skip();
      }
    });

    async function workspaceWithMember(role: "admin" | "agent") {
      const user = await signUpTestUser();
      const conversation = await seedConversation({ settings: GOOD_SETTINGS });
      await db().doc(paths.member(conversation.workspaceId, user.uid)).set({ role });
      return { ...user, ...conversation };
    }

    it("an admin sees servers, breakers, configuration without secrets, and the workspace's metrics", async () => {
      process.env.LLM_STUDIO_API_KEY = "lms-secret-token-123";
      process.env.OPENAI_API_KEY = "sk-secret-openai-456";
      process.env.BREAKER_FAILURES = "1";
      process.env.BREAKER_COOLDOWN_MS = "60000";
      lm.apiToken = "lms-secret-token-123";
      const admin = await workspaceWithMember("admin");
      // One ready suggestion for the metrics, then one that opens LM Studio's breaker.
      await deliverMessageCreated(
        await createMessage(admin, { direction: "inbound", text: "Hola" }),
      );
      lm.faults = [{ kind: "status", status: 500, body: { error: "boom" } }];
      await deliverMessageCreated(
        await createMessage(admin, { direction: "inbound", text: "¿Y?" }),
      );

      const { status, text } = await get(`?workspaceId=${admin.workspaceId}`, admin.idToken);
      expect(status).to.equal(200);
      expect(text).not.to.contain("lms-secret-token-123");
      expect(text).not.to.contain("sk-secret-openai-456");
      const { details } = JSON.parse(text);
      expect(details.workspaceId).to.equal(admin.workspaceId);
      expect(details.servers[0]).to.deep.include({
        baseUrl: `${lm.url}/v1`,
        status: "healthy",
        modelSource: "lmstudio",
      });
      expect(details.config.llm_studio).to.deep.include({ urls: [`${lm.url}/v1`], apiKey: "set" });
      expect(details.config.openai).to.deep.include({ apiKey: "set" });
      const breaker = details.breakers.find(
        (b: { baseUrl: string }) => b.baseUrl === `${lm.url}/v1`,
      );
      expect(breaker).to.deep.include({
        provider: "llm_studio",
        state: "open",
        isOpen: true,
        lastErrorCode: "provider_error",
      });
      // The second one fell back to OpenAI (unreachable here) after LM Studio's 500.
      expect(details.metrics[0]).to.deep.include({
        requests: 2,
        ready: 1,
        errors: 1,
        fallbacks: 1,
      });
    });

    it("an admin reads a down server's hint in the team's language (settings/ai.locale)", async () => {
      process.env.LLM_STUDIO_URL = await refusedUrl();
      const spanish = await signUpTestUser();
      const team = await seedConversation({ settings: { ...GOOD_SETTINGS, locale: "es-AR" } });
      await db().doc(paths.member(team.workspaceId, spanish.uid)).set({ role: "admin" });
      const english = await workspaceWithMember("admin");

      const inSpanish = JSON.parse(
        (await get(`?workspaceId=${team.workspaceId}`, spanish.idToken)).text,
      );
      const inEnglish = JSON.parse(
        (await get(`?workspaceId=${english.workspaceId}`, english.idToken)).text,
      );
      expect(inSpanish.details.servers[0].error).to.deep.include({
        code: "provider_unreachable",
        hint: hintFor("provider_unreachable", "es"),
      });
      expect(inEnglish.details.servers[0].error).to.deep.include({
        code: "provider_unreachable",
        hint: hintFor("provider_unreachable", "en"),
      });
      expect(inSpanish.details.servers[0].error.hint).to.contain("Inicie el servidor");
    });

    it("a member who is not an admin is refused the details", async () => {
      const agent = await workspaceWithMember("agent");
      const { status, text } = await get(`?workspaceId=${agent.workspaceId}`, agent.idToken);
      expect(status).to.equal(403);
      expect(text).not.to.contain("127.0.0.1");
    });

    it("an admin of another workspace is refused the details", async () => {
      const admin = await workspaceWithMember("admin");
      const other = await seedConversation({});
      expect((await get(`?workspaceId=${other.workspaceId}`, admin.idToken)).status).to.equal(403);
    });

    it("an invalid token is refused, and details need a workspaceId", async () => {
      const admin = await workspaceWithMember("admin");
      expect((await get(`?workspaceId=${admin.workspaceId}`, "not-a-token")).status).to.equal(401);
      expect((await get("", admin.idToken)).status).to.equal(400);
    });
  });
});
