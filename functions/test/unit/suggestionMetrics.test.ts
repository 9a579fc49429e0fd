import { expect } from "chai";
import { reportCounters } from "../../src/tasks/conversationReport/reportSchema";
import {
  latencyBucket,
  modelKey,
  generationMetricsDelta,
} from "../../src/metrics/generationMetrics";

const prices = { inputPerMTok: 0.15, outputPerMTok: 0.6 };

describe("suggestion metrics", () => {
  it("a ready LM Studio answer counts tokens, latency and the cloud cost it avoided", () => {
    const delta = generationMetricsDelta(
      {
        status: "ready",
        answer: {
          text: "x",
          provider: "llm_studio",
          model: "qwen/qwen3-8b",
          usage: { promptTokens: 1000, completionTokens: 100, totalTokens: 1100 },
          finishReason: "stop",
          truncated: false,
          attempts: 1,
          latencyMs: 1200,
        },
      },
      prices,
      new Set(["qwen/qwen3-8b"]),
    );
    expect(delta).to.deep.equal({
      requests: 1,
      ready: 1,
      tokens: { prompt: 1000, completion: 100 },
      latency: { count: 1, sumMs: 1200, histogram: { le_2000: 1 } },
      byProvider: {
        llm_studio: {
          requests: 1,
          ready: 1,
          promptTokens: 1000,
          completionTokens: 100,
          latencySumMs: 1200,
          histogram: { le_2000: 1 },
          costAvoidedUsd: (1000 * 0.15 + 100 * 0.6) / 1e6,
        },
      },
      byModel: {
        "qwen_qwen3-8b": {
          requests: 1,
          ready: 1,
          promptTokens: 1000,
          completionTokens: 100,
          latencySumMs: 1200,
          histogram: { le_2000: 1 },
          costAvoidedUsd: (1000 * 0.15 + 100 * 0.6) / 1e6,
        },
      },
      costAvoidedUsd: (1000 * 0.15 + 100 * 0.6) / 1e6,
    });
  });

  it("a ready answer counts its time to first text in its own histogram", () => {
    const delta = generationMetricsDelta(
      {
        status: "ready",
        firstTextMs: 420,
        answer: {
          text: "x",
          provider: "llm_studio",
          model: "m",
          usage: null,
          finishReason: "stop",
          truncated: false,
          attempts: 1,
          latencyMs: 3000,
        },
      },
      prices,
    );
    expect(delta.firstText).to.deep.equal({ count: 1, sumMs: 420, histogram: { le_500: 1 } });
    expect(delta).to.not.have.property("fallbacksByCode");
  });

  it("an error that never reached a provider has no latency", () => {
    const delta = generationMetricsDelta(
      {
        status: "error",
        code: "invalid_config",
        message: "m",
        hint: "h",
        attempts: 0,
        latencyMs: 0,
      },
      prices,
    );
    expect(delta).to.deep.equal({ requests: 1, errors: 1, errorsByCode: { invalid_config: 1 } });
  });

  it("a fallback answer from OpenAI counts as a fallback and avoids no cost", () => {
    const delta = generationMetricsDelta(
      {
        status: "ready",
        answer: {
          text: "x",
          provider: "openai",
          model: "gpt-4o-mini",
          usage: { promptTokens: 10, completionTokens: 5, totalTokens: 15 },
          finishReason: "stop",
          truncated: false,
          attempts: 4,
          latencyMs: 70_000,
          fallbackFrom: { provider: "llm_studio", code: "provider_unreachable" },
        },
      },
      prices,
    );
    expect(delta).to.include({ fallbacks: 1 });
    expect(delta.fallbacksByCode).to.deep.equal({ provider_unreachable: 1 });
    expect(delta).not.to.have.property("costAvoidedUsd");
    expect(delta.latency).to.deep.include({ histogram: { gt_60000: 1 } });
  });

  it("counts a model the workspace did not configure under `other`, so keys stay bounded", () => {
    const answer = (model: string) =>
      generationMetricsDelta(
        {
          status: "ready",
          answer: {
            text: "x",
            provider: "llm_studio",
            model,
            usage: null,
            finishReason: "stop",
            truncated: false,
            attempts: 1,
            latencyMs: 10,
          },
        },
        prices,
        new Set(["gpt-oss-20b"]),
      ).byModel;
    expect(answer("gpt-oss-20b")).to.have.keys(["gpt-oss-20b"]);
    const keys = new Set(
      Array.from({ length: 200 }, (_, i) => Object.keys(answer(`rogue-model-${i}`) as object)[0]),
    );
    expect([...keys]).to.deep.equal(["other"]);
  });

  it("buckets latency and makes model ids into map keys", () => {
    expect(latencyBucket(0)).to.equal("le_250");
    expect(latencyBucket(250)).to.equal("le_250");
    expect(latencyBucket(251)).to.equal("le_500");
    expect(latencyBucket(60_001)).to.equal("gt_60000");
    expect(modelKey("gpt-oss-20b")).to.equal("gpt-oss-20b");
    expect(modelKey("lmstudio-community/gpt-4.1")).to.equal("lmstudio-community_gpt-4_1");
  });
});

describe("report metrics", () => {
  const answer = (structured?: { value: unknown }) => ({
    text: "x",
    provider: "llm_studio" as const,
    model: "m",
    usage: null,
    finishReason: "stop",
    truncated: false,
    attempts: 1,
    latencyMs: 10,
    ...(structured ? { structured } : {}),
  });

  it("a structured report counts its sentiment and resolution; a plain-text one counts as unknown", () => {
    expect(
      reportCounters(answer({ value: { sentiment: "negative", resolution: "escalated" } })),
    ).to.deep.equal({ sentiment: { negative: 1 }, resolution: { escalated: 1 } });
    expect(reportCounters(answer())).to.deep.equal({
      sentiment: { unknown: 1 },
      resolution: { unknown: 1 },
    });
  });
});
