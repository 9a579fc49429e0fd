import type { DocumentData } from "firebase-admin/firestore";
import { expect } from "chai";
import { paths } from "../../src/core/paths";
import { utcDay } from "../../src/core/utcDay";
import { FakeLmStudio, refusedUrl } from "../support/fakeLmStudio";
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
import { readCorpus } from "../support/personalDataCorpus";

/*
 * Personal data on the cloud path, through the real trigger: two loopback servers, one speaking
 * as LM Studio and one as OpenAI's API. What each server received, and what the agent sees.
 */

const CLOUD_FIRST = { ...GOOD_SETTINGS, provider: "openai", defaultModel: "gpt-4o-mini" };
const CUSTOMER = "Lucía Fernández";
const PHONE = "+54 9 11 5555-1234";
const TRIGGER = `Hola, soy ${CUSTOMER}. Llamame al ${PHONE} por el pedido 4512 de $12.500, porfa.`;

/** The corpus's messages with personal data, as a conversation's history, and their values. */
function corpusConversation() {
  const corpus = readCorpus().lines;
  const lines = corpus.filter((l) => l.expected.length > 0);
  // What the corpus also writes as something else (`$12.345.678` beside DNI 12.345.678).
  const unmarked = corpus.map((l) =>
    l.expected.reduceRight((text, s) => text.slice(0, s.start) + " " + text.slice(s.end), l.text),
  );
  return {
    history: lines.map((l, i) => ({
      direction: (i % 2 === 0 ? "inbound" : "outbound") as "inbound" | "outbound",
      text: l.text,
    })),
    // Names are masked when the conversation knows them: only the customer's own here.
    values: lines
      .flatMap((l) => l.expected.filter((s) => s.kind !== "name").map((s) => s.value))
      .filter((v) => !unmarked.some((text) => text.includes(v))),
  };
}

/** The placeholder the cloud received for the phone of the customer's newest message. */
const phonePlaceholderIn = (content: string) => content.match(/\[TELÉFONO_\d+\]/)?.[0];

describe("privacy on the cloud path (personal data masked before OpenAI, restored in the draft)", function () {
  this.timeout(60_000);
  const lm = FakeLmStudio.forSuite();
  const cloud = FakeLmStudio.forSuite();

  useSuiteEnv(() => ({
    LLM_STUDIO_URL: lm.url,
    LLM_STUDIO_MODE: undefined,
    OPENAI_API_KEY: "sk-test",
    OPENAI_BASE_URL: cloud.url,
    LLM_MAX_ATTEMPTS: "1",
    LLM_RETRY_BASE_DELAY_MS: "10",
    BURST_WINDOW_MS: "0",
    CONTEXT_MESSAGES: "200",
    CONTEXT_CHAR_BUDGET: "200000",
    // Kept as it is (the suite's), so that the logs test's change is undone after it.
    LOG_LEVEL: process.env.LOG_LEVEL,
  }));
  beforeEach(() => {
    cloud.models = [{ id: "gpt-4o-mini", state: "loaded" }];
    // The model writes back the placeholders it was given, as a cloud model does.
    cloud.answer = (body) => {
      const last = body.messages?.at(-1)?.content ?? "";
      const name = last.match(/\[NOMBRE_\d+\]/)?.[0] ?? "";
      return { content: `¡Hola ${name}! Te llamamos al ${phonePlaceholderIn(last)} hoy.` };
    };
    lm.answer = () => ({ content: "Respuesta local" });
  });

  const cloudBodies = () => JSON.stringify(cloud.chatRequests().map((r) => r.body));

  it("OpenAI receives none of the corpus's personal data; the agent's draft has the real values back; the suggestion and the day's metrics count them", async () => {
    const { history, values } = corpusConversation();
    expect(values.length).to.be.above(200);
    const conversation = await seedConversation({
      settings: CLOUD_FIRST,
      history,
      conversation: { channel: "whatsapp", customerName: CUSTOMER },
    });
    const address = await createMessage(conversation, { direction: "inbound", text: TRIGGER });
    await deliverMessageCreated(address);

    const sent = cloudBodies();
    const leaked = [...values, PHONE, CUSTOMER, "Fernández"].filter((v) => sent.includes(v));
    expect(leaked).to.deep.equal([]);
    // What is not personal data reaches the model as it was written.
    expect(sent).to.include("pedido 4512 de $12.500");
    const suggestion = await readSuggestion(address);
    expect(suggestion).to.deep.include({ status: "ready", provider: "openai" });
    expect(suggestion?.text).to.equal(`¡Hola ${CUSTOMER}! Te llamamos al ${PHONE} hoy.`);
    expect(suggestion?.privacy.unresolved).to.equal(0);
    // Distinct values, by kind: every kind of the corpus, none of the values.
    expect(Object.keys(suggestion?.privacy.masked ?? {}).sort()).to.deep.equal([
      "card",
      "cbu",
      "cpf",
      "cuit",
      "curp",
      "dni",
      "email",
      "iban",
      "name",
      "nie",
      "phone",
      "rut",
    ]);
    const metrics = (
      await db().doc(paths.dailyMetrics(conversation.workspaceId, utcDay())).get()
    ).data();
    expect(metrics?.privacy).to.deep.equal({
      maskedAnswers: 1,
      masked: suggestion?.privacy.masked,
    });
  });

  it("streams the draft with the values back, one character a chunk: no state the agent sees shows a placeholder, whole or cut", async () => {
    cloud.chunkChars = 1;
    const answer = cloud.answer;
    let sent = "";
    cloud.answer = (body) => {
      const given = answer(body);
      sent = given.content;
      return given;
    };
    const textEndsWith = (end: string) => (state: DocumentData) =>
      typeof state.text === "string" && state.text.endsWith(end);
    // The stream waits, right after each placeholder, until the agent has seen it restored.
    cloud.chunkGate = async (index) => {
      if (index === sent.indexOf("]!") + 2) await watch.until(textEndsWith(`${CUSTOMER}!`));
      if (index === sent.indexOf("] hoy") + 1) await watch.until(textEndsWith(PHONE));
    };
    const conversation = await seedConversation({
      settings: CLOUD_FIRST,
      conversation: { channel: "whatsapp", customerName: CUSTOMER },
    });
    const address = await createMessage(conversation, { direction: "inbound", text: TRIGGER });
    const watch = watchDocument(db().doc(paths.suggestion(address)));
    await deliverMessageCreated(address);
    const final = `¡Hola ${CUSTOMER}! Te llamamos al ${PHONE} hoy.`;
    await watch.until((state) => state.text === final);
    watch.stop();
    const texts = watch.seen
      .map((state) => state.text)
      .filter((text, i, all): text is string => typeof text === "string" && all[i - 1] !== text);
    // Every state the agent saw is the start of the final draft: no placeholder, whole or cut.
    expect(texts.length).to.be.at.least(3);
    for (const text of texts) expect(final.startsWith(text), text).to.equal(true);
    expect(cloud.chatRequests()[0].body?.stream).to.equal(true);
  });

  it("an invented placeholder is never shown: the agent sees a blank to fill in, and the suggestion counts it", async () => {
    cloud.answer = () => ({ content: "Te escribimos a [EMAIL_7] y al [TELEFONO_1]." });
    const conversation = await seedConversation({ settings: CLOUD_FIRST });
    const address = await createMessage(conversation, { direction: "inbound", text: TRIGGER });
    await deliverMessageCreated(address);
    const suggestion = await readSuggestion(address);
    expect(suggestion?.text).to.equal(`Te escribimos a ___ y al ${PHONE}.`);
    expect(suggestion?.privacy.unresolved).to.equal(1);
  });

  it("reply options (JSON) come back with the values in every option", async () => {
    const conversation = await seedConversation({
      settings: { ...CLOUD_FIRST, suggestionOptions: 2 },
    });
    const address = await createMessage(conversation, { direction: "inbound", text: TRIGGER });
    await deliverMessageCreated(address);
    expect(cloudBodies()).not.to.include(PHONE);
    const options = (await readSuggestion(address))?.options as { text: string }[];
    expect(options).to.have.length(2);
    for (const option of options) expect(option.text).to.include(PHONE).and.not.include("[");
  });

  it("an agent's rewrite and a conversation report are masked on the way out and restored on the way back", async () => {
    const conversation = await seedConversation({
      settings: { ...CLOUD_FIRST, flags: { ...CLOUD_FIRST.flags, reports: true } },
      history: [{ direction: "inbound", text: TRIGGER }],
    });
    const rewrite = await requestFromInbox(conversation, {
      kind: "rewrite",
      draft: `Te llamamos al ${PHONE}`,
      instruction: "friendly",
    });
    cloud.answer = (body) => ({
      content: `¡Te llamamos al ${phonePlaceholderIn(body.messages?.at(-1)?.content ?? "")}!`,
    });
    await rewrite.deliver();
    expect((await db().doc(rewrite.path).get()).get("text")).to.equal(`¡Te llamamos al ${PHONE}!`);

    cloud.report = { ...cloud.report, summary: "La clienta pidió que la llamen al [TELÉFONO_1]." };
    const report = await requestFromInbox(conversation, { kind: "report" });
    await report.deliver();
    const written = (
      await db()
        .doc(paths.report(conversation, `request-${report.requestId}`))
        .get()
    ).data();
    expect(written?.summary).to.equal(`La clienta pidió que la llamen al ${PHONE}.`);
    expect(cloudBodies()).not.to.include(PHONE);
  });

  it("LM Studio, on the team's network, receives the text as it is", async () => {
    const conversation = await seedConversation({
      conversation: { channel: "whatsapp", customerName: CUSTOMER },
    });
    const address = await createMessage(conversation, { direction: "inbound", text: TRIGGER });
    await deliverMessageCreated(address);
    const received = JSON.stringify(lm.chatRequests().map((r) => r.body));
    expect(received).to.include(PHONE).and.include(CUSTOMER);
    const suggestion = await readSuggestion(address);
    expect(suggestion).to.deep.include({ status: "ready", provider: "llm_studio" });
    expect(suggestion).not.to.have.property("privacy");
  });

  it("a workspace that asks for it masks for LM Studio too (privacy.mask_local)", async () => {
    lm.answer = (body) => ({
      content: `Te llamamos al ${phonePlaceholderIn(body.messages?.at(-1)?.content ?? "")}.`,
    });
    const conversation = await seedConversation({
      settings: { ...GOOD_SETTINGS, privacy: { mask_local: true } },
    });
    const address = await createMessage(conversation, { direction: "inbound", text: TRIGGER });
    await deliverMessageCreated(address);
    expect(JSON.stringify(lm.chatRequests().map((r) => r.body))).not.to.include(PHONE);
    expect((await readSuggestion(address))?.text).to.equal(`Te llamamos al ${PHONE}.`);
  });

  it("a fallback from LM Studio to OpenAI in the middle of a burst masks too", async () => {
    const conversation = await seedConversation({
      conversation: { channel: "whatsapp", customerName: CUSTOMER },
    });
    const first = await createMessage(conversation, { direction: "inbound", text: "Hola" });
    await deliverMessageCreated(first);
    expect((await readSuggestion(first))?.provider).to.equal("llm_studio");
    // LM Studio goes away between two messages of the customer's burst.
    process.env.LLM_STUDIO_URL = await refusedUrl();
    const second = await createMessage(conversation, { direction: "inbound", text: TRIGGER });
    await deliverMessageCreated(second);
    const suggestion = await readSuggestion(second);
    expect(suggestion).to.deep.include({ status: "ready", provider: "openai" });
    expect(suggestion?.fallbackFrom).to.deep.include({ provider: "llm_studio" });
    expect(suggestion?.text).to.include(PHONE);
    const sent = cloudBodies();
    expect(sent).not.to.include(PHONE);
    expect(sent).not.to.include(CUSTOMER);
    expect(sent).to.include("[TELÉFONO_1]");
  });

  it("logs, at debug level, hold none of the values, on a fallback and when OpenAI fails too", async () => {
    process.env.LOG_LEVEL = "debug";
    process.env.LLM_STUDIO_URL = await refusedUrl();
    const captured: string[] = [];
    const writes = { out: process.stdout.write, err: process.stderr.write };
    // Kept, not printed: the test's output stays the reporter's.
    const capture = (chunk: unknown): boolean => {
      captured.push(String(chunk));
      return true;
    };
    process.stdout.write = capture as typeof process.stdout.write;
    process.stderr.write = capture as typeof process.stderr.write;
    try {
      const conversation = await seedConversation({
        conversation: { channel: "whatsapp", customerName: CUSTOMER },
      });
      const answered = await createMessage(conversation, { direction: "inbound", text: TRIGGER });
      await deliverMessageCreated(answered);
      expect((await readSuggestion(answered))?.provider).to.equal("openai");
      cloud.faults.push({ kind: "status", status: 500, body: { error: { message: "boom" } } });
      const failed = await createMessage(conversation, { direction: "inbound", text: TRIGGER });
      await deliverMessageCreated(failed);
      expect((await readSuggestion(failed))?.status).to.equal("error");
    } finally {
      process.stdout.write = writes.out;
      process.stderr.write = writes.err;
    }
    const logs = captured.join("");
    expect(logs).to.include("suggestion ready").and.include("suggestion failed");
    for (const value of [PHONE, CUSTOMER, "Fernández", "5555"]) {
      expect(logs, value).not.to.include(value);
    }
  });

  it("with privacy.mask_cloud false, OpenAI receives the text as it is (the switch that keeps it from OpenAI is flags.cloud_fallback)", async () => {
    const conversation = await seedConversation({
      settings: { ...CLOUD_FIRST, privacy: { mask_cloud: false } },
    });
    const address = await createMessage(conversation, { direction: "inbound", text: TRIGGER });
    cloud.answer = () => ({ content: "Te llamamos." });
    await deliverMessageCreated(address);
    expect(cloudBodies()).to.include(PHONE);
    expect(await readSuggestion(address)).not.to.have.property("privacy");
  });

  it("a wrong privacy setting is the suggestion's invalid_config, naming the field and the allowed values", async () => {
    const conversation = await seedConversation({
      settings: { ...CLOUD_FIRST, privacy: { kinds: ["telefono"] } },
    });
    const address = await createMessage(conversation, { direction: "inbound", text: TRIGGER });
    await deliverMessageCreated(address);
    const suggestion = await readSuggestion(address);
    expect(suggestion?.error.code).to.equal("invalid_config");
    expect(suggestion?.error.message)
      .to.include("settings/ai.privacy.kinds")
      .and.include('"phone"');
    expect(cloud.chatRequests()).to.have.length(0);
  });
});
