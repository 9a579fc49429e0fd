import { expect } from "chai";
import {
  decideWorkspaceAiSettings,
  type WorkspaceAiSettings,
} from "../../src/config/workspaceAiSettings";
import { GenerationError } from "../../src/core/errorCodes";
import { parseRuntimeConfig } from "../../src/config/runtimeConfig";
import { cloudPlacement } from "../../src/executors/cloudPlacement";
import { directExecutor } from "../../src/executors/directExecutor";
import { planProviderChain } from "../../src/providers/fallbackPolicy";
import { providerForConversation, settingsForConversation } from "../../src/providers/rollout";

function settings(raw: Record<string, unknown>): WorkspaceAiSettings {
  const decision = decideWorkspaceAiSettings({
    ai_enabled: true,
    provider: "llm_studio",
    defaultModel: "gpt-oss-20b",
    ...raw,
  });
  if (decision.kind !== "enabled") throw new Error("expected enabled settings");
  return decision.settings;
}

function configError(raw: Record<string, unknown>): string {
  try {
    settings(raw);
  } catch (err) {
    expect(err).to.be.instanceOf(GenerationError);
    expect((err as GenerationError).code).to.equal("invalid_config");
    return (err as GenerationError).message;
  }
  throw new Error("expected invalid_config");
}

const conversations = Array.from({ length: 240 }, (_, i) => `conversation-${i}`);
const withBoth = parseRuntimeConfig({
  LLM_STUDIO_URL: "http://127.0.0.1:1234",
  OPENAI_API_KEY: "sk-test",
});

describe("rollout.llm_studio: LM Studio's share of conversations", () => {
  it("over 240 conversations at 25 %, LM Studio answers 25 ± 8 % of them", () => {
    const at25 = settings({ rollout: { llm_studio: 25 }, fallbackModel: "gpt-4o-mini" });
    const local = conversations.filter(
      (c) => providerForConversation(at25, "w1", c) === "llm_studio",
    ).length;
    const share = (100 * local) / conversations.length;
    expect(share).to.be.within(17, 33);
  });

  it("each conversation always goes to the same provider, and a larger share only adds conversations", () => {
    const at25 = settings({ rollout: { llm_studio: 25 } });
    const at60 = settings({ rollout: { llm_studio: 60 } });
    for (const c of conversations) {
      const first = providerForConversation(at25, "w1", c);
      for (let i = 0; i < 3; i++) expect(providerForConversation(at25, "w1", c)).to.equal(first);
      if (first === "llm_studio") expect(providerForConversation(at60, "w1", c)).to.equal(first);
    }
  });

  it("defaults to 100 for provider llm_studio and 0 for provider openai", () => {
    expect(settings({}).rollout).to.deep.equal({ llmStudio: 100 });
    expect(settings({ provider: "openai", defaultModel: "gpt-4o-mini" }).rollout).to.deep.equal({
      llmStudio: 0,
    });
    for (const c of conversations.slice(0, 50)) {
      expect(settingsForConversation(settings({}), "w1", c).provider).to.equal("llm_studio");
    }
  });

  it("the privacy switch wins: with flags.cloud_fallback false no conversation reaches OpenAI", () => {
    const privateAt25 = settings({ rollout: { llm_studio: 25 }, flags: { cloud_fallback: false } });
    for (const c of conversations) {
      const seen = settingsForConversation(privateAt25, "w1", c);
      expect(planProviderChain(seen, withBoth).map((s) => s.provider)).to.deep.equal([
        "llm_studio",
      ]);
    }
  });

  it("fallback works both ways: a conversation moved to OpenAI falls back to LM Studio's model", () => {
    const at0 = settings({ rollout: { llm_studio: 0 }, fallbackModel: "gpt-4.1-mini" });
    const seen = settingsForConversation(at0, "w1", "any");
    expect(planProviderChain(seen, withBoth, seen.tasks.suggestions.model)).to.deep.equal([
      { provider: "openai", model: "gpt-4.1-mini" },
      { provider: "llm_studio", model: "gpt-oss-20b" },
    ]);
    const openAiFirst = settings({
      provider: "openai",
      defaultModel: "gpt-4o-mini",
      fallbackModel: "qwen3-8b",
      rollout: { llm_studio: 100 },
    });
    const moved = settingsForConversation(openAiFirst, "w1", "any");
    expect(planProviderChain(moved, withBoth, moved.tasks.suggestions.model)).to.deep.equal([
      { provider: "llm_studio", model: "qwen3-8b" },
      { provider: "openai", model: "gpt-4o-mini" },
    ]);
  });

  it("in bridge mode a conversation moved to OpenAI is served directly, not queued", () => {
    const bridged = parseRuntimeConfig({
      LLM_STUDIO_MODE: "bridge",
      LLM_STUDIO_URL: "http://127.0.0.1:1234",
      OPENAI_API_KEY: "sk-test",
    });
    const at0 = settings({ rollout: { llm_studio: 0 } });
    const seen = settingsForConversation(at0, "w1", "any");
    expect(cloudPlacement().executorFor(bridged, seen)).to.equal(directExecutor);
    expect(cloudPlacement().executorFor(bridged, settings({}))).to.not.equal(directExecutor);
  });

  it("errors name the field", () => {
    expect(configError({ rollout: { llm_studio: 120 } })).to.equal(
      "settings/ai.rollout.llm_studio must be a number from 0 to 100; got 120.",
    );
    expect(configError({ rollout: 25 })).to.equal("settings/ai.rollout must be a map.");
    expect(
      configError({ provider: "openai", defaultModel: "gpt-4o-mini", rollout: { llm_studio: 25 } }),
    ).to.contain("settings/ai.fallbackModel");
  });
});
