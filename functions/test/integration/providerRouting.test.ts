import FakeTimers from "@sinonjs/fake-timers";
import { expect } from "chai";
import { parseRuntimeConfig } from "../../src/config/runtimeConfig";
import {
  decideWorkspaceAiSettings,
  WorkspaceAiSettings,
} from "../../src/config/workspaceAiSettings";
import { ProviderRouter, workspaceModelRequest } from "../../src/providers/providerRouter";
import { FakeLmStudio, lmStudioErrors, refusedUrl } from "../support/fakeLmStudio";
import {
  createMessage,
  customersWriteAtOnce,
  deliverMessageCreated,
  GOOD_SETTINGS,
  readSuggestion,
  seedConversation,
  useSuiteEnv,
} from "../support/harness";

/*
 * Two loopback servers: one speaking as LM Studio, one as OpenAI's API. Each test checks what a
 * user would see on the suggestion and what reached (or never reached) each server.
 */
describe("provider routing (fallback, privacy, circuit breaker, server pool, retries)", () => {
  const lm = FakeLmStudio.forSuite();
  const cloud = FakeLmStudio.forSuite();

  useSuiteEnv(() => ({
    LLM_STUDIO_URL: lm.url,
    LLM_STUDIO_ENABLED: undefined,
    LLM_STUDIO_API_KEY: undefined,
    OPENAI_API_KEY: "sk-test",
    OPENAI_BASE_URL: cloud.url,
    LLM_TIMEOUT_MS: "3000",
    LLM_MAX_ATTEMPTS: "2",
    LLM_CONCURRENCY: "2",
    LLM_RETRY_BASE_DELAY_MS: "20",
    BREAKER_FAILURES: undefined,
    BREAKER_COOLDOWN_MS: undefined,
    LLM_STUDIO_MODE: undefined,
  }));
  beforeEach(() => {
    lm.answer = () => ({ content: "Respuesta local" });
    cloud.models = [{ id: "gpt-4o-mini", state: "loaded" }];
    cloud.answer = () => ({ content: "Respuesta de la nube" });
  });

  async function suggestFor(
    settings: Record<string, unknown> = GOOD_SETTINGS,
    text = "Hola, ¿tienen stock?",
  ) {
    const conversation = await seedConversation({ settings });
    const address = await createMessage(conversation, { direction: "inbound", text });
    await deliverMessageCreated(address);
    return readSuggestion(address);
  }

  describe("fallback", () => {
    it("LM Studio down: OpenAI answers and the suggestion says so", async () => {
      process.env.LLM_STUDIO_URL = await refusedUrl();
      const suggestion = await suggestFor();
      expect(suggestion).to.deep.include({
        status: "ready",
        text: "Respuesta de la nube",
        provider: "openai",
        model: "gpt-4o-mini",
        attempts: 3,
      });
      expect(suggestion?.fallbackFrom).to.deep.equal({
        provider: "llm_studio",
        code: "provider_unreachable",
      });
      expect(cloud.chatRequests()[0].body?.model).to.equal("gpt-4o-mini");
      expect(cloud.chatRequests()[0].headers.authorization).to.equal("Bearer sk-test");
    });

    it("a model LM Studio lacks goes to the fallback at once, without retries", async () => {
      const suggestion = await suggestFor({
        ...GOOD_SETTINGS,
        defaultModel: "mistral-7b",
        fallbackModel: "gpt-4o-mini",
      });
      expect(suggestion).to.deep.include({ status: "ready", provider: "openai", attempts: 2 });
      expect(suggestion?.fallbackFrom).to.deep.equal({
        provider: "llm_studio",
        code: "model_not_found",
      });
      expect(lm.chatRequests()).to.have.length(1);
    });

    it("OpenAI primary failing with 5xx: LM Studio's fallbackModel answers", async () => {
      cloud.faults = [
        {
          kind: "status",
          status: 503,
          body: { error: { message: "overloaded", type: "server_error" } },
        },
        {
          kind: "status",
          status: 503,
          body: { error: { message: "overloaded", type: "server_error" } },
        },
      ];
      const suggestion = await suggestFor({
        ...GOOD_SETTINGS,
        provider: "openai",
        defaultModel: "gpt-4o-mini",
        fallbackModel: "gpt-oss-20b",
      });
      expect(suggestion).to.deep.include({
        status: "ready",
        provider: "llm_studio",
        model: "gpt-oss-20b",
        text: "Respuesta local",
        attempts: 3,
      });
      expect(suggestion?.fallbackFrom).to.deep.equal({
        provider: "openai",
        code: "provider_error",
      });
    });

    it("OpenAI primary without a fallbackModel: no LM Studio fallback, the error is recorded", async () => {
      cloud.faults = [
        {
          kind: "status",
          status: 401,
          body: { error: { message: "Incorrect API key", code: "invalid_api_key" } },
        },
      ];
      const suggestion = await suggestFor({
        ...GOOD_SETTINGS,
        provider: "openai",
        defaultModel: "gpt-4o-mini",
      });
      expect(suggestion?.error.code).to.equal("provider_auth");
      expect(lm.chatRequests()).to.have.length(0);
    });

    it("LM Studio switched off: OpenAI serves, recorded as a fallback from no_provider", async () => {
      process.env.LLM_STUDIO_ENABLED = "false";
      const suggestion = await suggestFor();
      expect(suggestion).to.deep.include({ status: "ready", provider: "openai", attempts: 1 });
      expect(suggestion?.fallbackFrom).to.deep.equal({
        provider: "llm_studio",
        code: "no_provider",
      });
    });

    it("never falls back on a failure of our own request", async () => {
      lm.faults = [{ kind: "status", status: 400, body: lmStudioErrors.contextOverflow() }];
      const suggestion = await suggestFor();
      expect(suggestion?.error.code).to.equal("context_too_long");
      expect(cloud.chatRequests()).to.have.length(0);
    });

    it("records both failures when the fallback fails too", async () => {
      process.env.LLM_STUDIO_URL = await refusedUrl();
      cloud.faults = [
        { kind: "status", status: 500, body: { error: { message: "boom" } } },
        { kind: "status", status: 500, body: { error: { message: "boom" } } },
      ];
      const suggestion = await suggestFor();
      expect(suggestion).to.deep.include({
        status: "error",
        provider: "openai",
        model: "gpt-4o-mini",
        attempts: 4,
      });
      expect(suggestion?.error.code).to.equal("provider_error");
      expect(suggestion?.fallbackFrom).to.deep.equal({
        provider: "llm_studio",
        code: "provider_unreachable",
      });
    });
  });

  describe("privacy switch: flags.cloud_fallback false", () => {
    it("sends nothing to the cloud when LM Studio is down", async () => {
      process.env.LLM_STUDIO_URL = await refusedUrl();
      const suggestion = await suggestFor({
        ...GOOD_SETTINGS,
        flags: { ...GOOD_SETTINGS.flags, cloud_fallback: false },
      });
      expect(suggestion?.error.code).to.equal("provider_unreachable");
      expect(suggestion).not.to.have.property("fallbackFrom");
      expect(cloud.requests).to.have.length(0);
    });

    it("refuses OpenAI as the workspace's provider", async () => {
      const suggestion = await suggestFor({
        ...GOOD_SETTINGS,
        provider: "openai",
        defaultModel: "gpt-4o-mini",
        flags: { cloud_fallback: false },
      });
      expect(suggestion?.error.code).to.equal("invalid_config");
      expect(suggestion?.error.message).to.contain("flags.cloud_fallback");
      expect(cloud.requests).to.have.length(0);
    });
  });

  describe("circuit breaker", () => {
    const failing = { kind: "status" as const, status: 500, body: { error: "Internal error" } };

    it("opens after BREAKER_FAILURES failures, fails fast without calling LM Studio, then recovers through one probe", async () => {
      process.env.OPENAI_API_KEY = "none";
      process.env.BREAKER_FAILURES = "2";
      // A cooldown no loaded machine outlasts between two messages: the clock is moved past it.
      process.env.BREAKER_COOLDOWN_MS = "60000";
      lm.faults = [failing, failing];
      // Only Date is faked, and it keeps pace with real time: timers, sockets and Firestore run as
      // they do; the test jumps the clock instead of waiting out the cooldown.
      const clock = FakeTimers.install({ toFake: ["Date"], shouldAdvanceTime: true });
      try {
        const first = await suggestFor();
        expect(first?.error.code).to.equal("provider_error");
        expect(lm.chatRequests()).to.have.length(2);

        // Failing fast: no request reached LM Studio, none was attempted.
        const second = await suggestFor();
        expect(second?.error.code).to.equal("provider_error");
        expect(second?.error.message).to.contain("circuit breaker is open");
        expect(second?.attempts).to.equal(0);
        expect(lm.chatRequests()).to.have.length(2);

        // Past the cooldown: one probe goes through, and the breaker closes.
        clock.tick(60_001);
        const third = await suggestFor();
        expect(third).to.deep.include({ status: "ready", attempts: 1 });
        expect(lm.chatRequests()).to.have.length(3);
      } finally {
        clock.uninstall();
      }
    });

    for (const mode of ["direct", "bridge"]) {
      it(`keeps one provider runtime per configuration in ${mode} mode: OpenAI's breaker opens after BREAKER_FAILURES`, async () => {
        process.env.LLM_STUDIO_MODE = mode;
        process.env.LLM_MAX_ATTEMPTS = "1";
        process.env.BREAKER_FAILURES = "3";
        process.env.BREAKER_COOLDOWN_MS = "60000";
        cloud.faults = Array.from({ length: 8 }, () => failing);
        const openAiPrimary = { ...GOOD_SETTINGS, provider: "openai", defaultModel: "gpt-4o-mini" };
        const results = [];
        for (let i = 0; i < 8; i++) results.push(await suggestFor(openAiPrimary));
        expect(results.map((s) => s?.error?.code)).to.deep.equal(Array(8).fill("provider_error"));
        // Three failures open the breaker; the other five are refused without a request.
        expect(cloud.chatRequests()).to.have.length(3);
        expect(
          results.slice(3).every((s) => s?.error.message.includes("circuit breaker is open")),
        ).to.equal(true);
        delete process.env.LLM_STUDIO_MODE;
      });
    }

    it("while open, goes straight to the fallback", async () => {
      process.env.BREAKER_FAILURES = "2";
      process.env.BREAKER_COOLDOWN_MS = "60000";
      lm.faults = [failing, failing];
      await suggestFor();
      const lmRequests = lm.chatRequests().length;
      const suggestion = await suggestFor();
      expect(suggestion).to.deep.include({ status: "ready", provider: "openai", attempts: 1 });
      expect(suggestion?.fallbackFrom).to.deep.equal({
        provider: "llm_studio",
        code: "provider_error",
      });
      expect(lm.chatRequests()).to.have.length(lmRequests);
    });
  });

  describe("LM Studio pool (several PCs)", () => {
    const second = FakeLmStudio.forSuite();

    it("spreads concurrent conversations across servers when a conversation's own is busy, within each server's limit", async () => {
      process.env.LLM_STUDIO_URL = `${lm.url},${second.url}`;
      process.env.LLM_CONCURRENCY = "1";
      lm.latencyMs = 150;
      second.latencyMs = 150;
      const { addresses } = await customersWriteAtOnce(4);
      await Promise.all(addresses.map((a) => deliverMessageCreated(a)));
      // Each conversation has a home server (its cache); one whose home is busy spills over.
      expect(lm.chatRequests().length + second.chatRequests().length).to.equal(4);
      expect(lm.chatRequests()).to.have.length.above(0);
      expect(second.chatRequests()).to.have.length.above(0);
      expect(lm.maxInFlight).to.equal(1);
      expect(second.maxInFlight).to.equal(1);
      for (const a of addresses) expect((await readSuggestion(a))?.status).to.equal("ready");
    });

    it("routes around a dead server: the retry goes to another one, and its breaker keeps traffic away", async () => {
      process.env.OPENAI_API_KEY = "none";
      process.env.LLM_STUDIO_URL = `${await refusedUrl()},${second.url}`;
      process.env.BREAKER_FAILURES = "1";
      process.env.BREAKER_COOLDOWN_MS = "60000";
      const results = [];
      for (let i = 0; i < 4; i++) results.push(await suggestFor());
      for (const s of results)
        expect(s).to.deep.include({ status: "ready", provider: "llm_studio" });
      expect(second.chatRequests()).to.have.length(4);
      // At most the first suggestion paid for the dead server; afterwards its breaker was open.
      expect(results.reduce((sum, s) => sum + (s?.attempts ?? 0), 0)).to.be.at.most(5);
    });
  });

  describe("retries", () => {
    it("honours Retry-After on a 429 before trying again", async () => {
      lm.faults = [
        {
          kind: "status",
          status: 429,
          body: { error: { message: "Too many requests" } },
          headers: { "retry-after-ms": "700" },
        },
      ];
      const suggestion = await suggestFor();
      expect(suggestion).to.deep.include({ status: "ready", attempts: 2, provider: "llm_studio" });
      const [first, retry] = lm.chatRequests();
      expect(retry.at - first.at).to.be.at.least(690);
    });

    it("never retries a permanent error", async () => {
      process.env.OPENAI_API_KEY = "none";
      process.env.LLM_MAX_ATTEMPTS = "5";
      lm.faults = [
        {
          kind: "status",
          status: 400,
          body: { error: "'response_format.type' must be 'json_schema' or 'text'" },
        },
      ];
      const suggestion = await suggestFor();
      expect(suggestion?.error.code).to.equal("provider_error");
      expect(lm.chatRequests()).to.have.length(1);
    });
  });

  describe("time budget", () => {
    function settingsOf(raw: Record<string, unknown>): WorkspaceAiSettings {
      const d = decideWorkspaceAiSettings(raw);
      if (d.kind !== "enabled") throw new Error("enabled settings expected");
      return d.settings;
    }

    it("the whole chain, every attempt on both providers, ends by the deadline", async () => {
      lm.faults = Array.from({ length: 10 }, () => ({ kind: "hang" as const }));
      cloud.faults = Array.from({ length: 10 }, () => ({ kind: "hang" as const }));
      const router = new ProviderRouter(
        parseRuntimeConfig({
          LLM_STUDIO_URL: lm.url,
          OPENAI_API_KEY: "sk-test",
          OPENAI_BASE_URL: cloud.url,
          LLM_TIMEOUT_MS: "1000",
          LLM_MAX_ATTEMPTS: "3",
          LLM_RETRY_BASE_DELAY_MS: "20",
        }),
      );
      const started = Date.now();
      const result = await router.complete(
        workspaceModelRequest(settingsOf(GOOD_SETTINGS)),
        [{ role: "user", content: "hola" }],
        { deadlineAt: started + 1500 },
      );
      expect(result.ok).to.equal(false);
      if (result.ok) return;
      expect(result.error.code).to.equal("provider_timeout");
      // Every attempt counted reached a server.
      expect(result.attempts).to.equal(lm.chatRequests().length + cloud.chatRequests().length);
      // Nothing outlives the chain: every hung request was closed by us, none still waits.
      await lm.until(() => lm.inFlight === 0);
      await cloud.until(() => cloud.inFlight === 0);
      expect(lm.disconnects).to.have.length(lm.chatRequests().length);
      expect(cloud.disconnects).to.have.length(cloud.chatRequests().length);
    });

    it("a slow primary leaves time for the fallback to answer", async () => {
      lm.faults = [{ kind: "hang" }, { kind: "hang" }];
      const router = new ProviderRouter(
        parseRuntimeConfig({
          LLM_STUDIO_URL: lm.url,
          OPENAI_API_KEY: "sk-test",
          OPENAI_BASE_URL: cloud.url,
          LLM_TIMEOUT_MS: "300",
          LLM_MAX_ATTEMPTS: "2",
          LLM_RETRY_BASE_DELAY_MS: "20",
        }),
      );
      const result = await router.complete(
        workspaceModelRequest(settingsOf(GOOD_SETTINGS)),
        [{ role: "user", content: "hola" }],
        { deadlineAt: Date.now() + 5000 },
      );
      expect(result.ok).to.equal(true);
      if (result.ok)
        expect(result.answer).to.deep.include({
          provider: "openai",
          attempts: 3,
          fallbackFrom: { provider: "llm_studio", code: "provider_timeout" },
        });
    });
  });
});
