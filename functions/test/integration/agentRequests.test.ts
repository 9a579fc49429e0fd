import { expect } from "chai";
import { type DocumentData, Timestamp } from "firebase-admin/firestore";
import { hintFor } from "../../src/core/errorCodes";
import { paths } from "../../src/core/paths";
import { FakeLmStudio } from "../support/fakeLmStudio";
import {
  createMessage,
  db,
  deliverMessageCreated,
  GOOD_SETTINGS,
  readSuggestion,
  requestFromInbox,
  seedConversation,
  useSuiteEnv,
} from "../support/harness";
import { watchDocument } from "../support/watchDocument";

const read = async (path: string) => (await db().doc(path).get()).data() as DocumentData;

describe("agent actions from the inbox (aiRequests: regenerate, rewrite)", () => {
  const lm = FakeLmStudio.forSuite();
  useSuiteEnv(() => ({
    LLM_STUDIO_URL: lm.url,
    LLM_MAX_ATTEMPTS: "1",
    AI_REQUESTS_PER_MEMBER_PER_DAY: undefined,
  }));

  const DRAFT = "Hola, tu pedido salió ayer y llega el jueves. Cualquier cosa me avisás.";

  describe("rewrite", () => {
    it("rewrites the agent's draft into the request document, instruction and draft kept out of the system role", async () => {
      lm.answer = () => ({ content: "Hola, tu pedido salió ayer: llega el jueves." });
      const conversation = await seedConversation({
        history: [{ direction: "inbound", text: "¿Dónde está mi pedido?" }],
      });
      const request = await requestFromInbox(conversation, {
        kind: "rewrite",
        draft: DRAFT,
        instruction: "shorter",
      });
      await request.deliver();

      const done = await read(request.path);
      expect(done).to.deep.include({
        status: "ready",
        text: "Hola, tu pedido salió ayer: llega el jueves.",
        provider: "llm_studio",
        model: "gpt-oss-20b",
        kind: "rewrite",
      });
      expect(done.usage).to.include.keys("promptTokens", "completionTokens");
      expect(done.latencyMs).to.be.a("number");
      const [system, user] = lm.chatRequests()[0].body?.messages ?? [];
      expect(system.role).to.equal("system");
      expect(system.content).not.to.contain(DRAFT).and.not.to.contain("shorter");
      expect(user.role).to.equal("user");
      expect(user.content)
        .to.contain(DRAFT)
        .and.contain("Make it shorter")
        .and.contain("¿Dónde está mi pedido?");
    });

    it("a free instruction reaches the model as the agent wrote it, in the user turn", async () => {
      const conversation = await seedConversation({});
      const request = await requestFromInbox(conversation, {
        kind: "rewrite",
        draft: DRAFT,
        instruction: "Ofrecé el cambio sin cargo",
      });
      await request.deliver();
      const [system, user] = lm.chatRequests()[0].body?.messages ?? [];
      expect(system.content).not.to.contain("Ofrecé");
      expect(user.content).to.contain("Instruction: Ofrecé el cambio sin cargo");
      expect((await read(request.path)).status).to.equal("ready");
    });

    for (const [name, fields, field] of [
      [
        "a draft over 4,000 characters",
        { draft: "x".repeat(4_001), instruction: "shorter" },
        "draft",
      ],
      ["no instruction", { draft: DRAFT }, "instruction"],
      [
        "an instruction over 300 characters",
        { draft: DRAFT, instruction: "y".repeat(301) },
        "instruction",
      ],
    ] as const) {
      it(`refuses ${name} with invalid_request naming ${field}, without a model call`, async () => {
        const conversation = await seedConversation({});
        const request = await requestFromInbox(conversation, { kind: "rewrite", ...fields });
        await request.deliver();
        const done = await read(request.path);
        expect(done.status).to.equal("error");
        expect(done.error.code).to.equal("invalid_request");
        expect(done.error.message).to.contain(`aiRequests.${field}`);
        expect(lm.chatRequests()).to.have.length(0);
      });
    }

    it("refuses an unknown kind, naming the field and the allowed values", async () => {
      const conversation = await seedConversation({});
      const request = await requestFromInbox(conversation, { kind: "translate", draft: DRAFT });
      await request.deliver();
      const done = await read(request.path);
      expect(done.error.code).to.equal("invalid_request");
      expect(done.error.message).to.contain("aiRequests.kind").and.contain('"rewrite"');
    });

    it("ends in an error, not silence, when AI is off for the workspace", async () => {
      const conversation = await seedConversation({
        settings: { ...GOOD_SETTINGS, ai_enabled: false },
      });
      const request = await requestFromInbox(conversation, {
        kind: "rewrite",
        draft: DRAFT,
        instruction: "formal",
      });
      await request.deliver();
      const done = await read(request.path);
      expect(done.status).to.equal("error");
      expect(done.error.message).to.contain("switched off");

      // Answered once: its event arriving again after AI is back on changes nothing.
      await db()
        .doc(paths.aiSettings(conversation.workspaceId))
        .set({ ai_enabled: true }, { merge: true });
      await request.deliver();
      expect(await read(request.path)).to.deep.equal(done);
      expect(lm.chatRequests()).to.have.length(0);
    });
  });

  describe("regenerate", () => {
    it("a request a failed run left generating ends with the refusal its redelivery finds", async () => {
      const conversation = await seedConversation({});
      const message = await createMessage(conversation, {
        direction: "inbound",
        text: "¿Tienen talle 42?",
      });
      await deliverMessageCreated(message);
      const request = await requestFromInbox(conversation, {
        kind: "regenerate",
        messageId: message.messageId,
      });
      // What a run that failed after its claim leaves behind, then a newer customer message.
      await db().doc(request.path).set({ status: "generating" }, { merge: true });
      await createMessage(conversation, { direction: "inbound", text: "¿Y el 43?" });
      await request.deliver();
      const done = await read(request.path);
      expect(done.status).to.equal("error");
      expect(done.error.code).to.equal("request_conflict");
      expect(lm.chatRequests()).to.have.length(1);
    });

    it("ends in the switched-off error, not a conflict, when AI is off for the workspace", async () => {
      const conversation = await seedConversation({});
      const message = await createMessage(conversation, {
        direction: "inbound",
        text: "¿Tienen talle 42?",
      });
      await deliverMessageCreated(message);
      await db()
        .doc(paths.aiSettings(conversation.workspaceId))
        .set({ ai_enabled: false }, { merge: true });
      const request = await requestFromInbox(conversation, {
        kind: "regenerate",
        messageId: message.messageId,
      });
      await request.deliver();
      const done = await read(request.path);
      expect(done.status).to.equal("error");
      expect(done.error.code).to.equal("invalid_request");
      expect(done.error.message).to.contain("switched off");
      expect(lm.chatRequests()).to.have.length(1);
    });

    it("generates the suggestion again as version 2, steered by the instruction, once per request", async () => {
      const conversation = await seedConversation({});
      const message = await createMessage(conversation, {
        direction: "inbound",
        text: "¿Tienen talle 42?",
      });
      await deliverMessageCreated(message);
      expect(await readSuggestion(message)).to.deep.include({ status: "ready", version: 1 });

      lm.answer = () => ({ content: "¡Sí! Tenemos talle 42 en negro y en blanco." });
      const request = await requestFromInbox(conversation, {
        kind: "regenerate",
        messageId: message.messageId,
        instruction: "Mencioná los colores",
      });
      const w = watchDocument(db().doc(paths.suggestion(message)));
      await request.deliver();
      await request.deliver(); // redelivered: no second call
      await w.until((s) => s.status === "ready" && s.version === 2);
      w.stop();
      const seen = w.statuses();

      expect(lm.chatRequests()).to.have.length(2);
      const last = lm.chatRequests()[1].body?.messages?.at(-1)?.content ?? "";
      expect(last).to.contain("¿Tienen talle 42?").and.contain("Mencioná los colores");
      expect(lm.chatRequests()[1].body?.messages?.[0].content).not.to.contain("Mencioná");
      // Version 1 ready, then generating again, then version 2 ready: streamed, or in one write
      // when the listener sees the stream's writes only as their last.
      expect([
        ["ready", "generating", "ready"],
        ["ready", "generating", "streaming", "ready"],
      ]).to.deep.include(seen);
      expect(await readSuggestion(message)).to.deep.include({
        status: "ready",
        version: 2,
        requestId: request.requestId,
        text: "¡Sí! Tenemos talle 42 en negro y en blanco.",
      });
      expect(await read(request.path)).to.deep.include({
        status: "ready",
        version: 2,
        suggestionId: message.messageId,
      });
    });

    it("with options: 3, the new version holds three reply options, whatever suggestionOptions says", async () => {
      const conversation = await seedConversation({});
      const message = await createMessage(conversation, {
        direction: "inbound",
        text: "¿Tienen talle 42?",
      });
      await deliverMessageCreated(message);
      lm.answer = () => ({ content: "Sí, hay talle 42" });
      const request = await requestFromInbox(conversation, {
        kind: "regenerate",
        messageId: message.messageId,
        options: 3,
      });
      await request.deliver();
      const suggestion = await readSuggestion(message);
      expect(suggestion).to.deep.include({ status: "ready", version: 2, optionsFallback: false });
      expect(suggestion?.options).to.deep.equal(
        [1, 2, 3].map((i) => ({ text: `Sí, hay talle 42 (opción ${i})` })),
      );
      const format = lm.chatRequests()[1].body?.response_format as
        { json_schema?: { name?: string } } | undefined;
      expect(format?.json_schema?.name).to.equal("reply_options");
    });

    it("refuses options outside 2–3 with invalid_request naming aiRequests.options", async () => {
      const conversation = await seedConversation({});
      const message = await createMessage(conversation, { direction: "inbound", text: "Hola" });
      await deliverMessageCreated(message);
      const request = await requestFromInbox(conversation, {
        kind: "regenerate",
        messageId: message.messageId,
        options: 5,
      });
      await request.deliver();
      const done = await read(request.path);
      expect(done.error).to.include({ code: "invalid_request" });
      expect(done.error.message).to.contain(
        "aiRequests.options must be a whole number from 2 to 3",
      );
      expect(lm.chatRequests()).to.have.length(1);
    });

    it("asked while the suggestion is still being generated: request_conflict, with the hint in the team's language", async () => {
      const conversation = await seedConversation({
        settings: { ...GOOD_SETTINGS, locale: "es-AR" },
      });
      const message = await createMessage(conversation, {
        direction: "inbound",
        text: "¿Tienen talle 42?",
      });
      let release: () => void = () => undefined;
      lm.gate = new Promise((resolve) => (release = resolve));
      const generating = deliverMessageCreated(message);
      await lm.until(() => lm.inFlight === 1);
      const request = await requestFromInbox(conversation, {
        kind: "regenerate",
        messageId: message.messageId,
      });
      await request.deliver();
      release();
      await generating;
      const done = await read(request.path);
      expect(done.status).to.equal("error");
      expect(done.error.code).to.equal("request_conflict");
      expect(done.error.message).to.contain("being generated right now");
      expect(done.error.hint).to.equal(hintFor("request_conflict", "es"));
      expect(done.error.hint).to.not.contain("Corrija el cliente");
      expect(lm.chatRequests()).to.have.length(1);
    });

    it("refuses a message that a newer one has superseded, saying which", async () => {
      const conversation = await seedConversation({});
      const at = Date.now();
      const older = await createMessage(conversation, {
        direction: "inbound",
        text: "hola",
        createdAt: Timestamp.fromMillis(at),
      });
      const newer = await createMessage(conversation, {
        direction: "inbound",
        text: "¿y el envío?",
        createdAt: Timestamp.fromMillis(at + 1),
      });
      const request = await requestFromInbox(conversation, {
        kind: "regenerate",
        messageId: older.messageId,
      });
      await request.deliver();
      const done = await read(request.path);
      expect(done.error.code).to.equal("request_conflict");
      expect(done.error.message).to.contain(newer.messageId).and.contain("newest");
      expect(lm.chatRequests()).to.have.length(0);
    });

    it("refuses a message that does not exist or is the agent's own", async () => {
      const conversation = await seedConversation({});
      const agentMessage = await createMessage(conversation, {
        direction: "outbound",
        text: "hola",
      });
      for (const messageId of ["nope", agentMessage.messageId]) {
        const request = await requestFromInbox(conversation, { kind: "regenerate", messageId });
        await request.deliver();
        const done = await read(request.path);
        expect(done.error.code, messageId).to.equal("invalid_request");
        expect(done.error.message).to.contain("aiRequests.messageId");
      }
    });
  });

  describe("quota", () => {
    it("over AI_REQUESTS_PER_MEMBER_PER_DAY a member's request ends quota_exceeded; a redelivery counts once", async () => {
      process.env.AI_REQUESTS_PER_MEMBER_PER_DAY = "2";
      const conversation = await seedConversation({});
      const ask = () =>
        requestFromInbox(conversation, {
          kind: "rewrite",
          draft: DRAFT,
          instruction: "friendly",
          requestedBy: `quota-${conversation.conversationId}`,
        });
      const first = await ask();
      await first.deliver();
      await first.deliver();
      const second = await ask();
      await second.deliver();
      const third = await ask();
      await third.deliver();
      expect((await read(first.path)).status).to.equal("ready");
      expect((await read(second.path)).status).to.equal("ready");
      const refused = await read(third.path);
      expect(refused.status).to.equal("error");
      expect(refused.error.code).to.equal("quota_exceeded");
      expect(lm.chatRequests()).to.have.length(2);
    });
  });
});
