import { expect } from "chai";
import { DocumentData, Timestamp } from "firebase-admin/firestore";
import { FUNCTION_TIMEOUT_SECONDS } from "../../src/core/functionTimeouts";
import { paths } from "../../src/core/paths";
import { DEFAULT_REPORT, FakeLmStudio } from "../support/fakeLmStudio";
import {
  db,
  GOOD_SETTINGS,
  requestFromInbox,
  seedConversation,
  updateConversation,
  useSuiteEnv,
} from "../support/harness";

const REPORT_SETTINGS = {
  ...GOOD_SETTINGS,
  flags: { ...GOOD_SETTINGS.flags, reports: true },
  tasks: { reports: { model: "llama-3.1-8b", temperature: 0.1, maxTokens: 500 } },
};

type Where = { workspaceId: string; conversationId: string };

async function reportsOf(where: Where): Promise<DocumentData[]> {
  const snapshot = await db().collection(paths.reports(where)).get();
  return snapshot.docs.map((d) => ({ id: d.id, ...d.data() }));
}

/** `count` alternating messages, a second apart, written as a webhook backfill would. */
async function writeMessages(where: Where, count: number, text: (i: number) => string) {
  const start = Date.now() - count * 1_000;
  for (let from = 0; from < count; from += 400) {
    const batch = db().batch();
    for (let i = from; i < Math.min(count, from + 400); i += 1) {
      batch.set(
        db().doc(paths.message({ ...where, messageId: `m${String(i).padStart(5, "0")}` })),
        {
          direction: i % 2 === 0 ? "inbound" : "outbound",
          type: "text",
          text: text(i),
          createdAt: Timestamp.fromMillis(start + i * 1_000),
        },
      );
    }
    await batch.commit();
  }
}

describe("conversation reports (tasks.reports, on close)", () => {
  const lm = FakeLmStudio.forSuite();
  useSuiteEnv(() => ({
    LLM_STUDIO_URL: lm.url,
    LLM_MAX_ATTEMPTS: "1",
    REPORT_CHAR_BUDGET: undefined,
    REPORT_MAX_MESSAGES: undefined,
    REPORT_PAGE_SIZE: undefined,
  }));
  beforeEach(() => {
    lm.models.push({ id: "llama-3.1-8b", state: "loaded" });
    lm.answer = () => ({ content: "Resumen: la clienta reclamó por una demora y se escaló." });
  });

  async function closedConversation(settings: DocumentData = REPORT_SETTINGS, messages = 6) {
    const where = await seedConversation({
      settings,
      conversation: { channel: "whatsapp", locale: "es-AR", status: "open" },
    });
    await writeMessages(where, messages, (i) =>
      i % 2 === 0 ? `Cliente ${i}: ¿y mi pedido 4512?` : `Agente ${i}: lo reviso`,
    );
    const close = await updateConversation(where, { status: "closed" });
    return { where, close };
  }

  it("a close makes one report with every field, with the reports task's own model and temperature", async () => {
    const { where, close } = await closedConversation();
    await close();
    const [report] = await reportsOf(where);
    expect(report.id).to.match(/^close-\d+$/);
    expect(report).to.deep.include({
      status: "ready",
      ...DEFAULT_REPORT,
      structured: true,
      provider: "llm_studio",
      model: "llama-3.1-8b",
      trigger: "close",
      modelCalls: 1,
    });
    expect(report.coverage).to.deep.include({ messages: 6, truncated: false });
    expect(report.coverage.firstMessageAt).to.be.instanceOf(Timestamp);
    expect(report.coverage.lastMessageAt.toMillis()).to.be.above(
      report.coverage.firstMessageAt.toMillis(),
    );
    expect(report.usage).to.include.keys("promptTokens", "completionTokens");
    for (const field of ["latencyMs"]) expect(report[field]).to.be.a("number");
    for (const field of ["createdAt", "completedAt"])
      expect(report[field]).to.be.instanceOf(Timestamp);

    const [request] = lm.chatRequests();
    expect(request.body).to.deep.include({
      model: "llama-3.1-8b",
      temperature: 0.1,
      max_tokens: 500,
    });
    const format = request.body?.response_format as { type: string; json_schema: { name: string } };
    expect(format).to.deep.include({ type: "json_schema" });
    expect(format.json_schema.name).to.equal("conversation_report");
    expect(request.body?.messages?.[1].content).to.contain("Cliente 0").and.contain("Agente 5");
  });

  it("a redelivered close, or a later update of a closed conversation, makes no second report", async () => {
    const { where, close } = await closedConversation();
    await close();
    await close();
    const again = await updateConversation(where, { tags: ["vip"] });
    await again();
    expect(await reportsOf(where)).to.have.length(1);
    expect(lm.chatRequests()).to.have.length(1);
  });

  it("makes no report while flags.reports is off (the default)", async () => {
    const { where, close } = await closedConversation(GOOD_SETTINGS);
    await close();
    expect(await reportsOf(where)).to.have.length(0);
    expect(lm.chatRequests()).to.have.length(0);
  });

  it("JSON that fails the schema falls back to a plain summary with structured: false", async () => {
    lm.report = { ...DEFAULT_REPORT, sentiment: "furious" };
    const other = await FakeLmStudio.start();
    try {
      other.models = lm.models;
      other.answer = lm.answer;
      other.report = lm.report;
      process.env.LLM_STUDIO_URL = other.url;
      const { where, close } = await closedConversation();
      await close();
      const [report] = await reportsOf(where);
      expect(report).to.deep.include({
        status: "ready",
        structured: false,
        summary: "Resumen: la clienta reclamó por una demora y se escaló.",
      });
      expect(report).not.to.have.property("sentiment");
      expect(other.chatRequests().map((r) => Boolean(r.body?.response_format))).to.deep.equal([
        true,
        false,
      ]);
    } finally {
      await other.close();
    }
  });

  it("summarises a 2,000-message conversation in chunks, every prompt within REPORT_CHAR_BUDGET", async () => {
    process.env.REPORT_CHAR_BUDGET = "6000";
    process.env.REPORT_PAGE_SIZE = "200";
    lm.answer = (body) => ({
      content: `Resumen parcial de ${(body.messages?.[1]?.content ?? "").length} caracteres: pedido 4512 demorado.`,
    });
    const { where, close } = await closedConversation(REPORT_SETTINGS, 2_000);
    await close();
    const [report] = await reportsOf(where);
    expect(report.status).to.equal("ready");
    expect(report.coverage).to.deep.include({ messages: 2_000, truncated: false });
    expect(report.documentsRead).to.equal(2_000);
    const prompts = lm
      .chatRequests()
      .map((r) => (r.body?.messages ?? []).reduce((sum, m) => sum + m.content.length, 0));
    expect(prompts.length).to.be.above(10);
    expect(report.modelCalls).to.equal(prompts.length);
    expect(Math.max(...prompts)).to.be.at.most(6_000);
    // The last call is the structured report over the combined summaries.
    expect(lm.chatRequests().at(-1)?.body?.response_format).to.not.equal(undefined);
  });

  it("beyond REPORT_MAX_MESSAGES covers the newest messages and says so", async () => {
    process.env.REPORT_MAX_MESSAGES = "50";
    process.env.REPORT_PAGE_SIZE = "20";
    const { where, close } = await closedConversation(REPORT_SETTINGS, 80);
    await close();
    const [report] = await reportsOf(where);
    expect(report.coverage).to.deep.include({ messages: 50, truncated: true });
    const prompt = lm.chatRequests().at(-1)?.body?.messages?.[1].content ?? "";
    expect(prompt).to.contain("Agente 79").and.contain("Cliente 30").and.not.contain("Agente 29:");
  });

  it("a report asked for through aiRequests is planned inside that function's 300 s, not the close trigger's 540 s", async () => {
    const where = await seedConversation({ settings: REPORT_SETTINGS });
    await writeMessages(where, 4, (i) => `mensaje ${i}`);
    let release: () => void = () => undefined;
    lm.gate = new Promise((resolve) => (release = resolve));
    const request = await requestFromInbox(where, { kind: "report" });
    const delivered = request.deliver();
    await lm.until(() => lm.inFlight === 1);
    const report = (
      await db()
        .doc(paths.report(where, `request-${request.requestId}`))
        .get()
    ).data() as DocumentData;
    release();
    await delivered;
    const plannedMs = report.deadlineAt.toMillis() - report.createdAt.toMillis();
    expect(plannedMs).to.be.at.most(FUNCTION_TIMEOUT_SECONDS.onAiRequestCreated * 1000);
    expect(plannedMs).to.be.above(FUNCTION_TIMEOUT_SECONDS.onAiRequestCreated * 1000 - 60_000);
  });

  it("a report request delivered again while its report is made: one report, and the request ends ready", async () => {
    const where = await seedConversation({ settings: REPORT_SETTINGS });
    await writeMessages(where, 4, (i) => `mensaje ${i}`);
    let release: () => void = () => undefined;
    lm.gate = new Promise((resolve) => (release = resolve));
    const request = await requestFromInbox(where, { kind: "report" });
    const first = request.deliver();
    await lm.until(() => lm.inFlight === 1);
    // The redelivery finds the report being made: the run that makes it ends the request.
    await request.deliver();
    expect((await db().doc(request.path).get()).get("status")).to.equal("generating");
    release();
    await first;
    const done = (await db().doc(request.path).get()).data() as DocumentData;
    expect(done).to.deep.include({ status: "ready", reportId: `request-${request.requestId}` });
    expect(lm.chatRequests()).to.have.length(1);
  });

  it("a member's report request makes a report of its own, mirrored on the request", async () => {
    const where = await seedConversation({ settings: REPORT_SETTINGS });
    await writeMessages(where, 4, (i) => `mensaje ${i}`);
    const request = await requestFromInbox(where, { kind: "report" });
    await request.deliver();
    const done = (await db().doc(request.path).get()).data() as DocumentData;
    expect(done).to.deep.include({ status: "ready", reportId: `request-${request.requestId}` });
    const [report] = await reportsOf(where);
    expect(report).to.deep.include({
      status: "ready",
      trigger: "request",
      requestId: request.requestId,
    });
  });
});
