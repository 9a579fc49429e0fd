import { expect } from "chai";
import { Timestamp } from "firebase-admin/firestore";
import { loadConversationContext } from "../../src/conversation/loadConversationContext";
import { readMessage } from "../../src/conversation/message";
import { paths } from "../../src/core/paths";
import { utcDay } from "../../src/core/utcDay";
import { FakeLmStudio, lmStudioErrors, refusedUrl } from "../support/fakeLmStudio";
import {
  createMessage,
  customersWriteAtOnce,
  db,
  deliverMessageCreated,
  GOOD_SETTINGS,
  readSuggestion,
  seedConversation,
  useSuiteEnv,
} from "../support/harness";
import { watchDocument } from "../support/watchDocument";

describe("suggestion pipeline (trigger → Firestore → LM Studio → suggestion)", () => {
  const lm = FakeLmStudio.forSuite();

  useSuiteEnv(() => ({
    LLM_STUDIO_URL: lm.url,
    LLM_STUDIO_ENABLED: undefined,
    LLM_STUDIO_API_KEY: undefined,
    LLM_TIMEOUT_MS: "5000",
    LLM_MAX_ATTEMPTS: "3",
    LLM_CONCURRENCY: "2",
    LLM_RETRY_BASE_DELAY_MS: "20",
    CONTEXT_MESSAGES: undefined,
    CONTEXT_CHAR_BUDGET: undefined,
  }));

  async function customerWrites(
    text: string,
    options: Parameters<typeof seedConversation>[0] = {},
  ) {
    const conversation = await seedConversation(options);
    const address = await createMessage(conversation, { direction: "inbound", text });
    const started = Date.now();
    await deliverMessageCreated(address);
    return { address, suggestion: await readSuggestion(address), elapsedMs: Date.now() - started };
  }

  describe("a customer message gets a suggestion", () => {
    it("writes a ready suggestion with the reply, provenance, usage and timestamps", async () => {
      lm.answer = () => ({ content: "¡Hola María! Sí, enviamos a Córdoba." });
      const { address, suggestion, elapsedMs } = await customerWrites("¿Tienen envíos a Córdoba?");
      expect(suggestion).to.deep.include({
        status: "ready",
        messageId: address.messageId,
        text: "¡Hola María! Sí, enviamos a Córdoba.",
        provider: "llm_studio",
        model: "gpt-oss-20b",
        attempts: 1,
        finishReason: "stop",
      });
      expect(suggestion?.usage).to.have.keys(["promptTokens", "completionTokens", "totalTokens"]);
      expect(suggestion?.usage.totalTokens).to.equal(
        suggestion?.usage.promptTokens + suggestion?.usage.completionTokens,
      );
      expect(suggestion?.latencyMs).to.be.a("number").and.within(0, elapsedMs);
      for (const field of ["createdAt", "updatedAt", "completedAt"]) {
        expect(suggestion?.[field], field).to.be.instanceOf(Timestamp);
      }
      expect(suggestion).not.to.have.property("error");
    });

    it("sends the conversation as user/assistant turns in order, with the workspace's model settings", async () => {
      const conversation = await seedConversation({
        settings: { ...GOOD_SETTINGS, defaultModel: "qwen3-8b", temperature: 0.7, maxTokens: 300 },
        conversation: { channel: "whatsapp", customerName: "María", locale: "es-AR" },
        history: [
          { direction: "inbound", text: "Hola" },
          { direction: "outbound", text: "¡Hola! ¿En qué te ayudo?" },
          { direction: "inbound", text: "Compré unas zapatillas" },
        ],
      });
      lm.models.push({ id: "qwen3-8b", state: "not-loaded" });
      const address = await createMessage(conversation, {
        direction: "inbound",
        text: "¿Cuándo llegan?",
      });
      await deliverMessageCreated(address);

      const [request] = lm.chatRequests();
      expect(request.body).to.deep.include({
        model: "qwen3-8b",
        temperature: 0.7,
        max_tokens: 300,
      });
      const messages = request.body?.messages ?? [];
      expect(messages.map((m) => m.role)).to.deep.equal(["system", "user", "assistant", "user"]);
      expect(messages.slice(1).map((m) => m.content)).to.deep.equal([
        "Hola",
        "¡Hola! ¿En qué te ayudo?",
        "Compré unas zapatillas\n¿Cuándo llegan?",
      ]);
      expect(messages[0].content).to.contain("María").and.contain("es-AR").and.contain("whatsapp");
      expect(request.headers.authorization).to.equal("Bearer lm-studio");
      expect((await readSuggestion(address))?.model).to.equal("qwen3-8b");
    });

    it("shows the agent a generating suggestion that turns ready, live", async () => {
      lm.latencyMs = 300;
      const conversation = await seedConversation({});
      const address = await createMessage(conversation, { direction: "inbound", text: "Hola" });
      const w = watchDocument(db().doc(paths.suggestion(address)));
      await deliverMessageCreated(address);
      await w.until("ready");
      w.stop();
      const seen = w.statuses();
      expect(seen).to.deep.equal(["generating", "ready"]);
    });
  });

  describe("messages that get no model call", () => {
    it("writes nothing for an outbound (agent) message", async () => {
      const conversation = await seedConversation({});
      const address = await createMessage(conversation, {
        direction: "outbound",
        text: "Te escribo por tu pedido",
      });
      await deliverMessageCreated(address);
      expect(await readSuggestion(address)).to.equal(undefined);
      expect(lm.chatRequests()).to.have.length(0);
    });

    for (const [name, settings] of [
      ["no settings document", null],
      ["ai_enabled false", { ...GOOD_SETTINGS, ai_enabled: false }],
      [
        "flags.suggestions false",
        { ...GOOD_SETTINGS, flags: { ...GOOD_SETTINGS.flags, suggestions: false } },
      ],
    ] as const) {
      it(`writes nothing when AI is off (${name})`, async () => {
        const { suggestion } = await customerWrites("Hola", { settings });
        expect(suggestion).to.equal(undefined);
        expect(lm.chatRequests()).to.have.length(0);
      });
    }

    it("skips a blank message with reason empty_text", async () => {
      const { suggestion } = await customerWrites("   \n ");
      expect(suggestion).to.deep.include({ status: "skipped", reason: "empty_text" });
      expect(suggestion?.completedAt).to.be.instanceOf(Timestamp);
      expect(lm.chatRequests()).to.have.length(0);
    });

    it("skips an image message with reason unsupported_type", async () => {
      const conversation = await seedConversation({});
      const address = await createMessage(conversation, {
        direction: "inbound",
        type: "image",
        text: "",
      });
      await deliverMessageCreated(address);
      expect(await readSuggestion(address)).to.deep.include({
        status: "skipped",
        reason: "unsupported_type",
      });
      expect(lm.chatRequests()).to.have.length(0);
    });

    it("records invalid workspace settings as invalid_config naming the field", async () => {
      const { suggestion } = await customerWrites("Hola", {
        settings: { ...GOOD_SETTINGS, temperature: 5 },
      });
      expect(suggestion?.status).to.equal("error");
      expect(suggestion?.error.code).to.equal("invalid_config");
      expect(suggestion?.error.message).to.contain("settings/ai.temperature").and.contain("0 to 2");
      expect(suggestion?.error.hint).to.be.a("string").and.not.equal("");
      expect(lm.chatRequests()).to.have.length(0);
    });

    it("records an invalid environment variable as invalid_config naming the variable", async () => {
      process.env.LLM_TIMEOUT_MS = "soon";
      const { suggestion } = await customerWrites("Hola");
      expect(suggestion?.error).to.deep.include({ code: "invalid_config" });
      expect(suggestion?.error.message).to.contain("LLM_TIMEOUT_MS");
      expect(lm.chatRequests()).to.have.length(0);
    });
  });

  describe("at-least-once delivery", () => {
    it("a redelivered event calls the model once", async () => {
      const conversation = await seedConversation({});
      const address = await createMessage(conversation, { direction: "inbound", text: "Hola" });
      await deliverMessageCreated(address);
      await deliverMessageCreated(address);
      expect(lm.chatRequests()).to.have.length(1);
      expect(await readSuggestion(address)).to.deep.include({ status: "ready", claims: 1 });
    });

    it("the same event delivered to three instances at once calls the model once", async () => {
      lm.latencyMs = 100;
      const conversation = await seedConversation({});
      const address = await createMessage(conversation, { direction: "inbound", text: "Hola" });
      await Promise.all([
        deliverMessageCreated(address),
        deliverMessageCreated(address),
        deliverMessageCreated(address),
      ]);
      expect(lm.chatRequests()).to.have.length(1);
      expect((await readSuggestion(address))?.status).to.equal("ready");
    });

    it("a redelivery takes over a claim left generating by a crashed instance", async () => {
      const conversation = await seedConversation({});
      const address = await createMessage(conversation, { direction: "inbound", text: "Hola" });
      const crashedAt = Timestamp.fromMillis(Date.now() - 301_000);
      await db().doc(paths.suggestion(address)).set({
        status: "generating",
        messageId: address.messageId,
        claims: 1,
        createdAt: crashedAt,
        updatedAt: crashedAt,
      });
      await deliverMessageCreated(address);
      expect(lm.chatRequests()).to.have.length(1);
      expect(await readSuggestion(address)).to.deep.include({ status: "ready", claims: 2 });
    });

    it("a redelivery leaves a fresh claim to the instance working on it", async () => {
      const conversation = await seedConversation({});
      const address = await createMessage(conversation, { direction: "inbound", text: "Hola" });
      await db().doc(paths.suggestion(address)).set({
        status: "generating",
        messageId: address.messageId,
        claims: 1,
        createdAt: Timestamp.now(),
        updatedAt: Timestamp.now(),
      });
      await deliverMessageCreated(address);
      expect(lm.chatRequests()).to.have.length(0);
      expect((await readSuggestion(address))?.status).to.equal("generating");
    });
  });

  describe("bounded context", () => {
    it("sends only the last CONTEXT_MESSAGES messages of a long conversation, never later ones", async () => {
      process.env.CONTEXT_MESSAGES = "8";
      const history = Array.from({ length: 60 }, (_, i) => ({
        direction: (i % 2 === 0 ? "inbound" : "outbound") as "inbound" | "outbound",
        text: `turn ${i}`,
      }));
      const conversation = await seedConversation({ history });
      const address = await createMessage(conversation, { direction: "inbound", text: "turn 60" });
      await deliverMessageCreated(address);
      const contents = (lm.chatRequests()[0].body?.messages ?? []).slice(1).map((m) => m.content);
      expect(contents).to.deep.equal([53, 54, 55, 56, 57, 58, 59, 60].map((i) => `turn ${i}`));
      // A message with 20 turns after it (a backfill, or a slow trigger): its context stops at it.
      const context = await loadConversationContext(
        db(),
        { ...conversation, messageId: "h0040" },
        readMessage(
          "h0040",
          (
            await db()
              .doc(paths.message({ ...conversation, messageId: "h0040" }))
              .get()
          ).data(),
        ),
        8,
      );
      expect(context.history.map((m) => m.text)).to.deep.equal(
        [33, 34, 35, 36, 37, 38, 39, 40].map((i) => `turn ${i}`),
      );
    });

    it("the next message's prompt repeats the previous one's start but for the new turns, and says how much", async () => {
      process.env.CONTEXT_MESSAGES = "8";
      const history = Array.from({ length: 12 }, (_, i) => ({
        direction: (i % 2 === 0 ? "inbound" : "outbound") as "inbound" | "outbound",
        text: `turn ${i}`,
      }));
      const conversation = await seedConversation({ history });
      const first = await createMessage(conversation, { direction: "inbound", text: "turn 12" });
      await deliverMessageCreated(first);
      await createMessage(conversation, { direction: "outbound", text: "turn 13" });
      const second = await createMessage(conversation, { direction: "inbound", text: "turn 14" });
      await deliverMessageCreated(second);
      const [a, b] = lm.chatRequests().map((r) => r.body?.messages ?? []);
      // The newest 8 the first time; the second keeps that start and appends.
      expect(a.slice(1).map((m) => m.content)).to.deep.equal(
        [5, 6, 7, 8, 9, 10, 11, 12].map((i) => `turn ${i}`),
      );
      expect(b.slice(0, a.length)).to.deep.equal(a);
      expect(b.slice(a.length).map((m) => m.content)).to.deep.equal(["turn 13", "turn 14"]);
      const recorded = (await readSuggestion(second))?.prompt;
      const chars = b.reduce((sum, m) => sum + m.content.length, 0);
      expect(recorded).to.deep.include({ fromMessageId: "h0005", chars, reusedChars: chars - 14 });
      expect((await readSuggestion(first))?.prompt).to.deep.include({ reusedChars: 0 });
      // LM Studio reports no cached tokens: none are recorded.
      expect((await readSuggestion(second))?.usage).not.to.have.property("cachedPromptTokens");
      const day = utcDay();
      const metrics = (
        await db().doc(paths.dailyMetrics(conversation.workspaceId, day)).get()
      ).data();
      expect(metrics?.prompt).to.deep.equal({
        chars: chars + a.reduce((sum, m) => sum + m.content.length, 0),
        reusedChars: chars - 14,
      });
    });

    it("records the cached prompt tokens a server reports (llama.cpp's own), on the suggestion and in the day's metrics", async () => {
      lm.engine = "llama-server";
      const conversation = await seedConversation({});
      const first = await createMessage(conversation, { direction: "inbound", text: "Hola" });
      await deliverMessageCreated(first);
      await createMessage(conversation, {
        direction: "outbound",
        text: "¡Hola! ¿En qué te ayudo?",
      });
      const second = await createMessage(conversation, {
        direction: "inbound",
        text: "¿Hacen envíos?",
      });
      await deliverMessageCreated(second);
      const usage = (await readSuggestion(second))?.usage;
      expect(usage?.cachedPromptTokens).to.be.above(0).and.below(usage?.promptTokens);
      const metrics = (
        await db().doc(paths.dailyMetrics(conversation.workspaceId, utcDay())).get()
      ).data();
      expect(metrics?.tokens?.cachedPrompt).to.be.at.least(usage?.cachedPromptTokens);
    });

    it("drops the oldest turns when the conversation exceeds CONTEXT_CHAR_BUDGET", async () => {
      process.env.CONTEXT_CHAR_BUDGET = "2000";
      const history = Array.from({ length: 10 }, (_, i) => ({
        direction: (i % 2 === 0 ? "inbound" : "outbound") as "inbound" | "outbound",
        text: `${i} ${"x".repeat(300)}`,
      }));
      const conversation = await seedConversation({ history });
      const address = await createMessage(conversation, { direction: "inbound", text: "¿Y?" });
      await deliverMessageCreated(address);
      const messages = lm.chatRequests()[0].body?.messages ?? [];
      const total = messages.reduce((sum, m) => sum + m.content.length, 0);
      expect(total).to.be.at.most(2000);
      expect(messages[messages.length - 1].content).to.contain("¿Y?");
      expect(messages[1].content.startsWith("0 ")).to.equal(false);
      expect((await readSuggestion(address))?.status).to.equal("ready");
    });
  });

  describe("reasoning models", () => {
    it("keeps gpt-oss's message.reasoning out of the suggestion", async () => {
      lm.answer = () => ({
        reasoning: "User asks about refunds. Policy unknown.",
        content: "Lo consulto y te aviso.",
      });
      const { suggestion } = await customerWrites("¿Me devuelven el dinero?");
      expect(suggestion?.text).to.equal("Lo consulto y te aviso.");
    });

    it("strips <think> blocks from DeepSeek-R1/Qwen3 content", async () => {
      lm.answer = () => ({
        content: "<think>\nThe customer greets.\n</think>\n\n¡Hola! ¿En qué te ayudo?",
      });
      const { suggestion } = await customerWrites("Hola");
      expect(suggestion?.text).to.equal("¡Hola! ¿En qué te ayudo?");
    });

    it("records invalid_response when all tokens went to reasoning", async () => {
      lm.answer = () => ({
        reasoningContent: "Let me think about this carefully...",
        content: "",
        finishReason: "length",
      });
      const { suggestion } = await customerWrites("Hola");
      expect(suggestion?.status).to.equal("error");
      expect(suggestion?.error.code).to.equal("invalid_response");
      expect(suggestion?.error.message).to.contain('finish_reason "length"');
      expect(suggestion?.error.hint).to.contain("maxTokens");
      expect(suggestion).not.to.have.property("text");
    });
  });

  describe("provider failures end in a recorded error with a hint", () => {
    it("LM Studio not running: provider_unreachable after LLM_MAX_ATTEMPTS tries", async () => {
      process.env.LLM_STUDIO_URL = await refusedUrl();
      const { suggestion } = await customerWrites("Hola");
      expect(suggestion?.status).to.equal("error");
      expect(suggestion?.error.code).to.equal("provider_unreachable");
      expect(suggestion?.error.hint)
        .to.contain("LLM_STUDIO_URL")
        .and.contain("Serve on Local Network");
      expect(suggestion?.attempts).to.equal(3);
      expect(suggestion?.completedAt).to.be.instanceOf(Timestamp);
    });

    it("a model that never answers: provider_timeout, each attempt bounded by LLM_TIMEOUT_MS", async () => {
      process.env.LLM_TIMEOUT_MS = "300";
      process.env.LLM_MAX_ATTEMPTS = "2";
      lm.faults = [{ kind: "hang" }, { kind: "hang" }];
      const { suggestion } = await customerWrites("Hola");
      expect(suggestion?.error.code).to.equal("provider_timeout");
      expect(suggestion?.attempts).to.equal(2);
      expect(lm.chatRequests()).to.have.length(2);
      // Each attempt was given up by us, its connection closed, nothing left waiting on the model.
      await lm.until(() => lm.disconnects.length === 2 && lm.inFlight === 0);
      // Both attempts ran their whole LLM_TIMEOUT_MS, as our own clock measured the run (the
      // server's clock sees each request late by however busy the machine is, so it cannot
      // tell): a timer may fire a millisecond early, never later than it fires here.
      expect(suggestion?.latencyMs).to.be.at.least(2 * 300 - 2);
    });

    it("model not downloaded: model_not_found from LM Studio's 404, not retried", async () => {
      const { suggestion } = await customerWrites("Hola", {
        settings: { ...GOOD_SETTINGS, defaultModel: "llama-3.3-70b" },
      });
      expect(suggestion?.error.code).to.equal("model_not_found");
      expect(suggestion?.error.message).to.contain('Model "llama-3.3-70b" not found');
      expect(suggestion?.error.hint).to.contain("lms get");
      expect(lm.chatRequests()).to.have.length(1);
    });

    it("a 500 followed by success is retried and ends ready", async () => {
      lm.faults = [{ kind: "status", status: 500, body: { error: "Internal server error" } }];
      const { suggestion } = await customerWrites("Hola");
      expect(suggestion).to.deep.include({ status: "ready", attempts: 2 });
      expect(lm.chatRequests()).to.have.length(2);
    });

    it("a dropped connection and a 429 are retried", async () => {
      lm.faults = [
        { kind: "drop" },
        { kind: "status", status: 429, body: { error: { message: "busy" } } },
      ];
      const { suggestion } = await customerWrites("Hola");
      expect(suggestion).to.deep.include({ status: "ready", attempts: 3 });
    });

    it("a required LM Studio token: provider_auth without it, ready with LLM_STUDIO_API_KEY", async () => {
      lm.apiToken = "lms-token-123";
      const denied = await customerWrites("Hola");
      expect(denied.suggestion?.error.code).to.equal("provider_auth");
      expect(lm.chatRequests()).to.have.length(1);

      process.env.LLM_STUDIO_API_KEY = "lms-token-123";
      const allowed = await customerWrites("Hola");
      expect(allowed.suggestion?.status).to.equal("ready");
    });

    it("a prompt larger than the loaded context: context_too_long, not retried", async () => {
      lm.faults = [{ kind: "status", status: 400, body: lmStudioErrors.contextOverflow() }];
      const { suggestion } = await customerWrites("Hola");
      expect(suggestion?.error.code).to.equal("context_too_long");
      expect(lm.chatRequests()).to.have.length(1);
    });

    it("a malformed body: invalid_response", async () => {
      lm.faults = [{ kind: "malformed" }];
      const { suggestion } = await customerWrites("Hola");
      expect(suggestion?.error.code).to.equal("invalid_response");
    });
  });

  describe("protecting the GPU", () => {
    it("never has more than LLM_CONCURRENCY requests in flight at LM Studio", async () => {
      process.env.LLM_CONCURRENCY = "2";
      lm.latencyMs = 150;
      const { addresses } = await customersWriteAtOnce(6);
      await Promise.all(addresses.map((a) => deliverMessageCreated(a)));
      expect(lm.chatRequests()).to.have.length(6);
      expect(lm.maxInFlight).to.equal(2);
      for (const a of addresses) expect((await readSuggestion(a))?.status).to.equal("ready");
    });
  });

  describe("provider selection", () => {
    const cloud = FakeLmStudio.forSuite();
    beforeEach(() => {
      cloud.models = [{ id: "gpt-4o-mini", state: "loaded" }];
      cloud.answer = () => ({ content: "Hello from the cloud" });
    });

    it("provider openai calls OPENAI_BASE_URL with OPENAI_API_KEY through the same path", async () => {
      process.env.OPENAI_API_KEY = "sk-test-123";
      process.env.OPENAI_BASE_URL = cloud.url;
      const { suggestion } = await customerWrites("Hi", {
        settings: { ...GOOD_SETTINGS, provider: "openai", defaultModel: "gpt-4o-mini" },
      });
      expect(suggestion).to.deep.include({
        status: "ready",
        provider: "openai",
        model: "gpt-4o-mini",
        text: "Hello from the cloud",
      });
      expect(cloud.chatRequests()[0].headers.authorization).to.equal("Bearer sk-test-123");
      expect(lm.chatRequests()).to.have.length(0);
    });

    it("provider openai without OPENAI_API_KEY: no_provider", async () => {
      const { suggestion } = await customerWrites("Hi", {
        settings: { ...GOOD_SETTINGS, provider: "openai", defaultModel: "gpt-4o-mini" },
      });
      expect(suggestion?.error.code).to.equal("no_provider");
      expect(suggestion?.error.message).to.contain("OPENAI_API_KEY");
    });

    it("LM Studio switched off with LLM_STUDIO_ENABLED=false: no_provider", async () => {
      process.env.LLM_STUDIO_ENABLED = "false";
      const { suggestion } = await customerWrites("Hola");
      expect(suggestion?.error.code).to.equal("no_provider");
      expect(lm.chatRequests()).to.have.length(0);
    });
  });
});
