import { expect } from "chai";
import { parseRuntimeConfig } from "../../src/config/runtimeConfig";
import {
  decideWorkspaceAiSettings,
  WorkspaceAiSettings,
} from "../../src/config/workspaceAiSettings";
import { GenerationError } from "../../src/core/errorCodes";
import { fallbackDecision, planProviderChain } from "../../src/providers/fallbackPolicy";

const freely = { hasNext: true, aborted: false, remainingMs: 60_000, minAttemptMs: 250 };
const allowsFallback = (error: GenerationError) => fallbackDecision(error, freely);
const countsAgainstServer = (error: GenerationError) => error.countsAgainstServer;

function settings(raw: Record<string, unknown>): WorkspaceAiSettings {
  const decision = decideWorkspaceAiSettings({
    ai_enabled: true,
    defaultModel: "gpt-oss-20b",
    ...raw,
  });
  if (decision.kind !== "enabled") throw new Error("expected enabled settings");
  return decision.settings;
}

describe("fallback policy", () => {
  const withOpenAi = parseRuntimeConfig({ OPENAI_API_KEY: "sk-x" });
  const lmStudioOnly = parseRuntimeConfig({});

  it("LM Studio first, then OpenAI's gpt-4o-mini when a key is set", () => {
    expect(planProviderChain(settings({}), withOpenAi)).to.deep.equal([
      { provider: "llm_studio", model: "gpt-oss-20b" },
      { provider: "openai", model: "gpt-4o-mini" },
    ]);
    expect(
      planProviderChain(settings({ fallbackModel: "gpt-4.1-mini" }), withOpenAi)[1].model,
    ).to.equal("gpt-4.1-mini");
  });

  it("no cloud fallback without a key, or when the workspace forbids it", () => {
    expect(planProviderChain(settings({}), lmStudioOnly)).to.have.length(1);
    expect(
      planProviderChain(settings({ flags: { cloud_fallback: false } }), withOpenAi),
    ).to.deep.equal([{ provider: "llm_studio", model: "gpt-oss-20b" }]);
  });

  it("OpenAI first, then LM Studio only with a fallbackModel", () => {
    const openAiFirst = { provider: "openai", defaultModel: "gpt-4o-mini" };
    expect(planProviderChain(settings(openAiFirst), withOpenAi)).to.deep.equal([
      { provider: "openai", model: "gpt-4o-mini" },
    ]);
    expect(
      planProviderChain(settings({ ...openAiFirst, fallbackModel: "qwen3-8b" }), withOpenAi),
    ).to.deep.equal([
      { provider: "openai", model: "gpt-4o-mini" },
      { provider: "llm_studio", model: "qwen3-8b" },
    ]);
    const lmOff = parseRuntimeConfig({ OPENAI_API_KEY: "sk-x", LLM_STUDIO_ENABLED: "false" });
    expect(
      planProviderChain(settings({ ...openAiFirst, fallbackModel: "qwen3-8b" }), lmOff),
    ).to.have.length(1);
  });

  it("a workspace that forbids the cloud cannot make OpenAI its provider", () => {
    expect(() =>
      decideWorkspaceAiSettings({
        ai_enabled: true,
        provider: "openai",
        defaultModel: "gpt-4o-mini",
        flags: { cloud_fallback: false },
      }),
    ).to.throw(/cloud_fallback is false/);
  });

  it("falls back on provider-side failures only", () => {
    const err = (code: GenerationError["code"], details = {}) =>
      new GenerationError(code, "x", details);
    for (const code of [
      "provider_unreachable",
      "provider_timeout",
      "provider_rate_limited",
      "model_not_found",
      "provider_auth",
      "no_provider",
    ] as const) {
      expect(allowsFallback(err(code)), code).to.equal(true);
    }
    expect(allowsFallback(err("provider_error", { status: 503 }))).to.equal(true);
    expect(allowsFallback(err("provider_error", { status: 400 }))).to.equal(false);
    for (const code of ["invalid_config", "context_too_long", "invalid_response"] as const) {
      expect(allowsFallback(err(code)), code).to.equal(false);
    }
  });

  it("only server trouble counts against a server's breaker", () => {
    expect(countsAgainstServer(new GenerationError("provider_unreachable", "x"))).to.equal(true);
    expect(
      countsAgainstServer(
        new GenerationError("provider_error", "x", { status: 500, retryable: true }),
      ),
    ).to.equal(true);
    expect(countsAgainstServer(new GenerationError("model_not_found", "x"))).to.equal(false);
    expect(countsAgainstServer(new GenerationError("context_too_long", "x"))).to.equal(false);
  });

  it("hands over only while there is a next provider, time to use it, and someone waiting", () => {
    const down = new GenerationError("provider_unreachable", "x");
    expect(fallbackDecision(down, freely)).to.equal(true);
    expect(fallbackDecision(down, { ...freely, hasNext: false })).to.equal(false);
    expect(fallbackDecision(down, { ...freely, aborted: true })).to.equal(false);
    expect(fallbackDecision(down, { ...freely, remainingMs: 249 })).to.equal(false);
  });
});
