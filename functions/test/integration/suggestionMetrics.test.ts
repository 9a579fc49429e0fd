import { expect } from "chai";
import type { DocumentData } from "firebase-admin/firestore";
import { paths } from "../../src/core/paths";
import { LATENCY_BUCKETS_MS } from "../../src/metrics/generationMetrics";
import { FakeLmStudio, lmStudioErrors } from "../support/fakeLmStudio";
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

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const histogramTotal = (metrics: DocumentData) =>
  sum(Object.values(metrics.latency.histogram as Record<string, number>));

async function metricsOf(workspaceId: string): Promise<DocumentData> {
  const docs = (await db().collection(paths.metrics(workspaceId)).get()).docs;
  expect(docs, "one metrics document for today").to.have.length(1);
  return docs[0].data();
}

describe("usage metrics (workspaces/{w}/metrics/{YYYY-MM-DD})", () => {
  const lm = FakeLmStudio.forSuite();
  const cloud = FakeLmStudio.forSuite();

  useSuiteEnv(() => ({
    LLM_STUDIO_URL: lm.url,
    LLM_STUDIO_ENABLED: undefined,
    OPENAI_API_KEY: "sk-test",
    OPENAI_BASE_URL: cloud.url,
    LLM_RETRY_BASE_DELAY_MS: "20",
    LLM_MAX_ATTEMPTS: "2",
    LLM_CONCURRENCY: "4",
    CLOUD_PRICE_INPUT_PER_MTOK: undefined,
    CLOUD_PRICE_OUTPUT_PER_MTOK: undefined,
  }));
  beforeEach(() => {
    cloud.models = [{ id: "gpt-4o-mini", state: "loaded" }];
  });

  it("adds up a mix of ready, error, fallback and skipped suggestions exactly", async () => {
    const conversation = await seedConversation({
      settings: { ...GOOD_SETTINGS, flags: { ...GOOD_SETTINGS.flags, cloud_fallback: true } },
    });
    const send = async (text: string) => {
      const address = await createMessage(conversation, { direction: "inbound", text });
      await deliverMessageCreated(address);
      return (await readSuggestion(address)) as DocumentData;
    };
    const ready1 = await send("Hola");
    const ready2 = await send("¿Precio del envío?");
    lm.faults = [
      {
        kind: "status",
        status: 400,
        body: lmStudioErrors.contextOverflow(),
      },
    ];
    const failed = await send("Un mensaje muy largo");
    lm.faults = [
      { kind: "status", status: 503, body: { error: "busy" } },
      { kind: "status", status: 503, body: { error: "busy" } },
    ];
    const viaCloud = await send("¿Siguen ahí?");
    const skipped = await send("   ");
    expect([
      ready1.status,
      ready2.status,
      failed.status,
      viaCloud.status,
      skipped.status,
    ]).to.deep.equal(["ready", "ready", "error", "ready", "skipped"]);
    expect(viaCloud.provider).to.equal("openai");

    const m = await metricsOf(conversation.workspaceId);
    expect(m).to.deep.include({ requests: 5, ready: 3, errors: 1, skipped: 1, fallbacks: 1 });
    expect(m.errorsByCode).to.deep.equal({ context_too_long: 1 });
    expect(m.skippedByReason).to.deep.equal({ empty_text: 1 });
    const readies = [ready1, ready2, viaCloud];
    expect(m.tokens).to.deep.equal({
      prompt: sum(readies.map((s) => s.usage.promptTokens)),
      completion: sum(readies.map((s) => s.usage.completionTokens)),
    });
    const asked = [ready1, ready2, failed, viaCloud];
    expect(m.latency.count).to.equal(4);
    expect(m.latency.sumMs).to.equal(sum(asked.map((s) => s.latencyMs)));
    // No read-modify-write maximum: the histogram's buckets hold every latency.
    expect(m.latency).not.to.have.property("maxMs");
    expect(sum(Object.values(m.latency.histogram) as number[])).to.equal(asked.length);
    expect(histogramTotal(m)).to.equal(4);
    expect(m.byProvider.llm_studio).to.deep.include({ requests: 3, ready: 2, errors: 1 });
    expect(m.byProvider.openai).to.deep.include({ requests: 1, ready: 1 });
    expect(m.byModel["gpt-oss-20b"]).to.deep.include({ ready: 2, errors: 1 });
    expect(m.byModel["gpt-4o-mini"]).to.deep.include({ ready: 1 });
    // gpt-4o-mini's prices for what LM Studio answered locally; the cloud answer avoided nothing.
    const local = [ready1, ready2];
    const expected =
      (sum(local.map((s) => s.usage.promptTokens)) * 0.15 +
        sum(local.map((s) => s.usage.completionTokens)) * 0.6) /
      1e6;
    expect(m.costAvoidedUsd).to.be.closeTo(expected, 1e-12);
    expect(m.date).to.equal(new Date().toISOString().slice(0, 10));
  });

  it("counts every one of many concurrent suggestions", async () => {
    lm.latencyMs = 30;
    lm.answer = (body) => ({
      content: `Respuesta ${"x".repeat((body.messages?.at(-1)?.content.length ?? 0) % 7)}`,
    });
    const { workspaceId, addresses } = await customersWriteAtOnce(
      12,
      (i) => `pregunta ${"?".repeat(i)}`,
    );
    await Promise.all(addresses.map((a) => deliverMessageCreated(a)));
    const suggestions = (await Promise.all(
      addresses.map((a) => readSuggestion(a)),
    )) as DocumentData[];
    expect(suggestions.every((s) => s.status === "ready")).to.equal(true);

    const m = await metricsOf(workspaceId);
    expect(m).to.deep.include({ requests: 12, ready: 12 });
    expect(m.tokens.completion).to.equal(sum(suggestions.map((s) => s.usage.completionTokens)));
    expect(m.tokens.prompt).to.equal(sum(suggestions.map((s) => s.usage.promptTokens)));
    expect(m.latency.count).to.equal(12);
    expect(m.latency.sumMs).to.equal(sum(suggestions.map((s) => s.latencyMs)));
    expect(histogramTotal(m)).to.equal(12);
  });

  it("uses the configured cloud prices for the cost avoided", async () => {
    process.env.CLOUD_PRICE_INPUT_PER_MTOK = "2.5";
    process.env.CLOUD_PRICE_OUTPUT_PER_MTOK = "10";
    const conversation = await seedConversation({});
    const address = await createMessage(conversation, { direction: "inbound", text: "Hola" });
    await deliverMessageCreated(address);
    const s = (await readSuggestion(address)) as DocumentData;
    const m = await metricsOf(conversation.workspaceId);
    expect(m.costAvoidedUsd).to.be.closeTo(
      (s.usage.promptTokens * 2.5 + s.usage.completionTokens * 10) / 1e6,
      1e-12,
    );
    expect(Object.keys(m.latency.histogram)[0]).to.match(
      new RegExp(`^(le_(${LATENCY_BUCKETS_MS.join("|")})|gt_60000)$`),
    );
  });
});
