import { expect } from "chai";
import { type DocumentData, Timestamp } from "firebase-admin/firestore";
import { MessageAddress, paths } from "../../src/core/paths";
import { FakeLmStudio } from "../support/fakeLmStudio";
import {
  createMessage,
  db,
  deliverMessageCreated,
  readSuggestion,
  seedConversation,
  useSuiteEnv,
} from "../support/harness";
import { untilDocument, watchDocument } from "../support/watchDocument";

/** Every state of a suggestion document as a listener (an agent's screen) sees it. */
const watch = (address: MessageAddress) => watchDocument(db().doc(paths.suggestion(address)));

const ANSWER =
  "¡Hola Lucía! El pedido 4512 salió ayer del depósito, así que debería llegarte antes del viernes.";

describe("live suggestions: streaming, latest-wins, giving way to the agent", () => {
  const lm = FakeLmStudio.forSuite();
  useSuiteEnv(() => ({
    LLM_STUDIO_URL: lm.url,
    LLM_TIMEOUT_MS: "3000",
    LLM_MAX_ATTEMPTS: "2",
    LLM_RETRY_BASE_DELAY_MS: "20",
    STREAM_SUGGESTIONS: undefined,
    STREAM_FLUSH_MS: "100",
    BURST_WINDOW_MS: "0",
  }));
  beforeEach(() => {
    lm.answer = () => ({ content: ANSWER });
  });

  async function customerWrites(text: string) {
    const conversation = await seedConversation({});
    return createMessage(conversation, { direction: "inbound", text });
  }

  describe("streaming into the document", () => {
    it("shows the answer growing while it streams, then ready with usage, finishReason and firstTextMs", async () => {
      const address = await customerWrites("¿Llega antes del viernes?");
      const w = watch(address);
      // The stream waits, midway and before its last chunk, until the agent has seen it grow.
      const chunks = Math.ceil(ANSWER.length / lm.chunkChars);
      lm.chunkGate = async (index) => {
        if (index === Math.floor(chunks / 2)) await w.until("streaming");
        if (index === chunks - 1) {
          const first = w.seen.find((s) => s.status === "streaming")?.text as string;
          await w.until((s) => s.status === "streaming" && s.text !== first);
        }
      };
      await deliverMessageCreated(address);
      await w.until("ready");
      w.stop();
      const streamed = w.seen.filter((s) => s.status === "streaming").map((s) => s.text);
      expect(streamed.length).to.be.at.least(2);
      for (const text of streamed) expect(ANSWER.startsWith(text), text).to.equal(true);
      expect(new Set(streamed).size).to.equal(streamed.length);
      expect(w.seen[0].status).to.equal("generating");
      const final = (await readSuggestion(address)) as DocumentData;
      expect(final).to.deep.include({ status: "ready", text: ANSWER, finishReason: "stop" });
      expect(final.truncated).to.equal(false);
      expect(final.usage).to.include.keys("promptTokens", "completionTokens", "totalTokens");
      expect(final.usage).not.to.have.property("estimated");
      expect(final.firstTextMs)
        .to.be.a("number")
        .and.below(final.latencyMs + 50);
      expect(lm.chatRequests()[0].body).to.deep.include({
        stream: true,
        stream_options: { include_usage: true },
      });
    });

    it("never shows reasoning: gpt-oss deltas, reasoning_content, and <think> split across chunks", async () => {
      lm.chunkChars = 3;
      lm.chunkDelayMs = 5;
      lm.answer = () => ({
        reasoning: "el cliente pregunta por el envío",
        reasoningContent: "debo revisar el pedido",
        content: "<think>plan secreto: no decir nada</think>¡Hola! Ya lo reviso.",
      });
      const address = await customerWrites("hola");
      const w = watch(address);
      // Before the last chunk, the agent has seen the visible text so far.
      const { reasoning, reasoningContent, content } = lm.answer({});
      const chunks = [reasoning, reasoningContent, content].reduce(
        (sum, text) => sum + Math.ceil((text ?? "").length / lm.chunkChars),
        0,
      );
      lm.chunkGate = async (index) => {
        if (index === chunks - 1) await w.until("streaming");
      };
      await deliverMessageCreated(address);
      await w.until("ready");
      w.stop();
      expect(w.statuses()).to.deep.equal(["generating", "streaming", "ready"]);
      for (const s of w.seen) {
        expect(s.text ?? "").not.to.match(/secreto|revisar el pedido|cliente pregunta|<|think/);
      }
      expect(await readSuggestion(address)).to.deep.include({
        status: "ready",
        text: "¡Hola! Ya lo reviso.",
      });
    });

    it("an answer cut at maxTokens is ready with truncated: true", async () => {
      lm.answer = () => ({ content: "Te cuento que el pedido", finishReason: "length" });
      const address = await customerWrites("hola");
      await deliverMessageCreated(address);
      expect(await readSuggestion(address)).to.deep.include({
        status: "ready",
        truncated: true,
        finishReason: "length",
      });
    });

    it("estimates usage, marked estimated, when the stream reports none", async () => {
      lm.sendsUsage = false;
      const address = await customerWrites("hola");
      await deliverMessageCreated(address);
      const s = (await readSuggestion(address)) as DocumentData;
      expect(s.usage).to.include({ estimated: true });
      expect(s.usage.completionTokens).to.equal(Math.ceil(ANSWER.length / 4));
    });

    it("a connection dropped mid-stream is retried into a clean ready, the partial text gone", async () => {
      lm.faults = [{ kind: "streamDrop", afterChunks: 4 }];
      const address = await customerWrites("hola");
      const w = watch(address);
      // The first attempt drops once the agent saw its text; the second starts once it was cleared.
      lm.chunkGate = async (index) => {
        const attempt = lm.chatRequests().length;
        if (attempt === 1 && index === 3) await w.until("streaming");
        if (attempt === 2 && index === 0) {
          await w.until(
            (s) => s.status === "generating" && s.text === undefined && w.seen.indexOf(s) > 0,
          );
        }
      };
      await deliverMessageCreated(address);
      await w.until("ready");
      w.stop();
      const final = (await readSuggestion(address)) as DocumentData;
      expect(final).to.deep.include({ status: "ready", text: ANSWER, attempts: 2 });
      // After the first attempt's text, the screen was cleared before the second one's began.
      const firstStreamed = w.seen.findIndex((s) => s.status === "streaming");
      const cleared = w.seen.findIndex(
        (s, i) => i > firstStreamed && s.status === "generating" && s.text === undefined,
      );
      expect(firstStreamed, "the first attempt's text was shown").to.not.equal(-1);
      expect(cleared, "then cleared before the retry's text").to.be.above(firstStreamed);
    });

    it("an error event inside the stream is retried like any transient failure", async () => {
      lm.faults = [{ kind: "streamError", afterChunks: 2, message: "The model crashed." }];
      const address = await customerWrites("hola");
      await deliverMessageCreated(address);
      expect(await readSuggestion(address)).to.deep.include({
        status: "ready",
        text: ANSWER,
        attempts: 2,
      });
    });

    it("a stream that stalls ends provider_timeout after LLM_TIMEOUT_MS of silence, with no partial text", async () => {
      process.env.LLM_TIMEOUT_MS = "400";
      process.env.LLM_MAX_ATTEMPTS = "1";
      lm.faults = [{ kind: "streamStall", afterChunks: 3 }];
      const address = await customerWrites("hola");
      await deliverMessageCreated(address);
      const final = (await readSuggestion(address)) as DocumentData;
      expect(final.status).to.equal("error");
      expect(final.error.code).to.equal("provider_timeout");
      expect(final).not.to.have.property("text");
      // Closed by us: the stalled server never ends the stream on its own.
      expect(lm.disconnects).to.have.length(1);
    });

    it("STREAM_SUGGESTIONS=false asks for one answer and writes once at the end", async () => {
      process.env.STREAM_SUGGESTIONS = "false";
      const address = await customerWrites("hola");
      const w = watch(address);
      await deliverMessageCreated(address);
      await w.until("ready");
      w.stop();
      // Every write is a state the listener sees: one claim, one answer.
      expect(w.seen.map((s) => s.status)).to.deep.equal(["generating", "ready"]);
      expect(lm.chatRequests()[0].body?.stream).to.equal(false);
    });
  });

  describe("latest-wins per conversation", () => {
    it("a burst of 5 messages 100 ms apart makes one model call whose prompt holds all 5", async () => {
      process.env.BURST_WINDOW_MS = "500";
      lm.latencyMs = 300;
      const conversation = await seedConversation({});
      const texts = [
        "hola",
        "una consulta",
        "sobre mi pedido",
        "el 4512",
        "¿llega antes del viernes?",
      ];
      const addresses: MessageAddress[] = [];
      const deliveries: Promise<void>[] = [];
      // Typed 100 ms apart, as the messages' times say. Each next message is written once the
      // one before has claimed its suggestion and waits out the window: every newer message
      // comes while an older one waits, which a fixed pause between writes never made sure of.
      const typedAt = Date.now();
      for (const [i, text] of texts.entries()) {
        const address = await createMessage(conversation, {
          direction: "inbound",
          text,
          createdAt: Timestamp.fromMillis(typedAt + i * 100),
        });
        addresses.push(address);
        const claimed = untilDocument(
          db().doc(paths.suggestion(address)),
          (d) => d.status === "generating",
        );
        deliveries.push(deliverMessageCreated(address));
        await claimed;
      }
      await Promise.all(deliveries);

      expect(lm.chatRequests()).to.have.length(1);
      const prompt = lm.chatRequests()[0].body?.messages?.at(-1)?.content ?? "";
      for (const text of texts) expect(prompt).to.contain(text);
      const last = addresses[addresses.length - 1];
      expect((await readSuggestion(last))?.status).to.equal("ready");
      // Each gave way to a message written after it (the next one, by the time it noticed).
      for (const [i, older] of addresses.slice(0, -1).entries()) {
        const s = (await readSuggestion(older)) as DocumentData;
        expect(s).to.deep.include({ status: "superseded", reason: "newer_message" });
        const later = addresses.slice(i + 1).map((a) => a.messageId);
        expect(later).to.include(s.supersededBy);
      }
    });

    it("an event for an older message delivered after the newer one's ends superseded at once", async () => {
      const conversation = await seedConversation({});
      const at = Date.now();
      const older = await createMessage(conversation, {
        direction: "inbound",
        text: "hola",
        createdAt: Timestamp.fromMillis(at),
      });
      const newer = await createMessage(conversation, {
        direction: "inbound",
        text: "¿y mi pedido?",
        createdAt: Timestamp.fromMillis(at + 1),
      });
      await deliverMessageCreated(newer);
      await deliverMessageCreated(older);
      expect(lm.chatRequests()).to.have.length(1);
      expect(await readSuggestion(older)).to.deep.include({
        status: "superseded",
        supersededBy: newer.messageId,
        claims: 0,
      });
      expect((await readSuggestion(newer))?.status).to.equal("ready");
    });

    it("a newer message aborts the call in flight: the server sees the disconnect within 1 s", async () => {
      lm.chunkDelayMs = 300;
      process.env.LLM_TIMEOUT_MS = "5000";
      const conversation = await seedConversation({});
      const first = await createMessage(conversation, { direction: "inbound", text: "hola" });
      const firstRun = deliverMessageCreated(first);
      await untilDocument(db().doc(paths.suggestion(first)), (d) => d.status === "streaming");
      const second = await createMessage(conversation, {
        direction: "inbound",
        text: "¿y mi pedido?",
      });
      await deliverMessageCreated(second);
      await firstRun;
      // Closed by us before the server finished the answer (a 300 ms-a-chunk stream).
      expect(lm.disconnects).to.have.length(1);
      expect(await readSuggestion(first)).to.deep.include({
        status: "superseded",
        supersededBy: second.messageId,
      });
      expect(await readSuggestion(first)).not.to.have.property("text");
      expect((await readSuggestion(second))?.status).to.equal("ready");
    });
  });

  describe("the agent replied", () => {
    it("an agent's reply aborts the suggestion in flight: superseded, agent_replied", async () => {
      lm.chunkDelayMs = 300;
      const conversation = await seedConversation({});
      const question = await createMessage(conversation, { direction: "inbound", text: "hola" });
      const run = deliverMessageCreated(question);
      await untilDocument(db().doc(paths.suggestion(question)), (d) => d.status === "streaming");
      const reply = await createMessage(conversation, {
        direction: "outbound",
        text: "¡Hola! Ya te respondo.",
        authorId: "agent-1",
      });
      await deliverMessageCreated(reply);
      await run;
      // Closed by us before the server finished the answer (a 300 ms-a-chunk stream).
      expect(lm.disconnects).to.have.length(1);
      expect(await readSuggestion(question)).to.deep.include({
        status: "superseded",
        supersededBy: reply.messageId,
        reason: "agent_replied",
      });
      expect(await readSuggestion(reply)).to.equal(undefined);
    });

    it("a suggestion still waiting out the burst window gives way without a model call", async () => {
      // Long enough that no loaded machine reaches its end before the agent's reply arrives.
      process.env.BURST_WINDOW_MS = "10000";
      const conversation = await seedConversation({});
      const question = await createMessage(conversation, { direction: "inbound", text: "hola" });
      const w = watch(question);
      const run = deliverMessageCreated(question);
      // Claimed, and waiting out the window for the customer's next bubble.
      await w.until("generating");
      w.stop();
      const reply = await createMessage(conversation, { direction: "outbound", text: "¡Hola!" });
      await deliverMessageCreated(reply);
      await run;
      expect(lm.chatRequests()).to.have.length(0);
      expect(await readSuggestion(question)).to.deep.include({
        status: "superseded",
        reason: "agent_replied",
      });
    });

    it("a ready suggestion stays ready when the agent replies", async () => {
      const conversation = await seedConversation({});
      const question = await createMessage(conversation, { direction: "inbound", text: "hola" });
      await deliverMessageCreated(question);
      const reply = await createMessage(conversation, { direction: "outbound", text: ANSWER });
      await deliverMessageCreated(reply);
      expect(await readSuggestion(question)).to.deep.include({ status: "ready", text: ANSWER });
    });
  });
});
