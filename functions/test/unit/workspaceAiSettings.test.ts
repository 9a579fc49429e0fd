import { expect } from "chai";
import {
  decideWorkspaceAiSettings,
  readEmbeddingModel,
  settingsLanguage,
} from "../../src/config/workspaceAiSettings";
import { GenerationError } from "../../src/core/errorCodes";
import { PERSONAL_DATA_KINDS } from "../../src/core/vocabulary";

const valid = {
  ai_enabled: true,
  provider: "llm_studio",
  defaultModel: "gpt-oss-20b",
  temperature: 0.3,
  maxTokens: 150,
  flags: { suggestions: true, rag: false, provider_ready: true },
};

function configError(raw: unknown): GenerationError {
  try {
    decideWorkspaceAiSettings(raw);
  } catch (err) {
    expect(err).to.be.instanceOf(GenerationError);
    expect((err as GenerationError).code).to.equal("invalid_config");
    return err as GenerationError;
  }
  throw new Error("expected invalid_config");
}

describe("workspace AI settings", () => {
  it("gives the team's language from its locale, even where the rest of the settings fails", () => {
    expect(settingsLanguage({ locale: "es-AR" })).to.equal("es");
    expect(settingsLanguage({ locale: "es_ES", temperature: "hot" })).to.equal("es");
    expect(settingsLanguage({ locale: "pt-BR" })).to.equal("en");
    expect(settingsLanguage({ locale: "español!" })).to.equal("en");
    expect(settingsLanguage(undefined)).to.equal("en");
  });

  it("accepts the team's settings document as it is", () => {
    expect(decideWorkspaceAiSettings(valid)).to.deep.equal({
      kind: "enabled",
      settings: {
        provider: "llm_studio",
        defaultModel: "gpt-oss-20b",
        temperature: 0.3,
        maxTokens: 150,
        suggestionOptions: 1,
        embeddingModel: "text-embedding-nomic-embed-text-v1.5",
        rollout: { llmStudio: 100 },
        tasks: {
          suggestions: { model: "gpt-oss-20b", temperature: 0.3, maxTokens: 150 },
          reports: { model: "gpt-oss-20b", temperature: 0.1, maxTokens: 500 },
        },
        flags: { rag: false, providerReady: true, cloudFallback: true, reports: false },
        privacy: {
          maskCloud: true,
          maskLocal: false,
          kinds: [...PERSONAL_DATA_KINDS],
          countries: ["AR", "BR", "CL", "ES", "MX", "UY"],
          keep: [],
        },
      },
    });
  });

  it("masks for the cloud by default, with the locale's country first, and names a bad privacy field", () => {
    const privacyOf = (raw: Record<string, unknown>) => {
      const decided = decideWorkspaceAiSettings({ ...valid, ...raw });
      if (decided.kind !== "enabled") throw new Error("disabled");
      return decided.settings.privacy;
    };
    expect(privacyOf({ locale: "es-CL" }).countries).to.deep.equal([
      "CL",
      "AR",
      "BR",
      "ES",
      "MX",
      "UY",
    ]);
    expect(
      privacyOf({
        privacy: {
          mask_cloud: false,
          kinds: ["phone"],
          countries: ["UY"],
          keep: ["AR#########", "OC-####"],
        },
      }),
    ).to.deep.equal({
      maskCloud: false,
      maskLocal: false,
      kinds: ["phone"],
      countries: ["UY"],
      keep: ["AR#########", "OC-####"],
    });
    expect(configError({ ...valid, privacy: { countries: ["PE"] } }).message).to.match(
      /settings\/ai\.privacy\.countries must be a non-empty list of "AR", "BR", "CL", "ES", "MX", "UY"; got \["PE"\]/,
    );
    expect(configError({ ...valid, privacy: { countries: [] } }).message).to.match(/countries/);
    expect(configError({ ...valid, privacy: { keep: ["(a+)+$"] } }).message).to.match(
      /settings\/ai\.privacy\.keep must be a list of at most 20 code patterns/,
    );
    expect(configError({ ...valid, privacy: { mask_cloud: "yes" } }).message).to.match(
      /settings\/ai\.privacy\.mask_cloud must be true or false/,
    );
    expect(configError({ ...valid, privacy: "on" }).message).to.match(/privacy must be a map/);
  });

  it("reads the embedding model from tasks.embeddings.model, with LM Studio's bundled one as default", () => {
    expect(readEmbeddingModel(undefined)).to.equal("text-embedding-nomic-embed-text-v1.5");
    expect(readEmbeddingModel({ ai_enabled: false })).to.equal(
      "text-embedding-nomic-embed-text-v1.5",
    );
    expect(readEmbeddingModel({ tasks: { embeddings: { model: " bge-m3 " } } })).to.equal("bge-m3");
    expect(() => readEmbeddingModel({ tasks: { embeddings: { model: 7 } } })).to.throw(
      'settings/ai.tasks.embeddings.model must be a model id such as "text-embedding-nomic-embed-text-v1.5"',
    );
    expect(() => readEmbeddingModel({ tasks: { embeddings: "bge-m3" } })).to.throw(
      "settings/ai.tasks.embeddings must be a map with a model.",
    );
    const decided = decideWorkspaceAiSettings({
      ...valid,
      tasks: { embeddings: { model: "bge-m3" } },
    });
    expect(decided.kind === "enabled" && decided.settings.embeddingModel).to.equal("bge-m3");
  });

  it("reads each task's model settings, defaults from the flat ones, and names a bad field", () => {
    const decided = decideWorkspaceAiSettings({
      ...valid,
      tasks: {
        suggestions: { model: "qwen3-8b" },
        reports: { model: "llama-3.1-8b", temperature: 0.1, maxTokens: 500 },
      },
    });
    if (decided.kind !== "enabled") throw new Error("enabled settings expected");
    expect(decided.settings.tasks).to.deep.equal({
      suggestions: { model: "qwen3-8b", temperature: 0.3, maxTokens: 150 },
      reports: { model: "llama-3.1-8b", temperature: 0.1, maxTokens: 500 },
    });
    expect(() =>
      decideWorkspaceAiSettings({ ...valid, tasks: { reports: { temperature: 3 } } }),
    ).to.throw("settings/ai.tasks.reports.temperature must be a number from 0 to 2");
    expect(decideWorkspaceAiSettings({ ...valid }, "reports")).to.deep.equal({
      kind: "disabled",
      reason: "reports_disabled",
    });
  });

  it("turns suggestions off without a document, with ai_enabled false, or with flags.suggestions false", () => {
    expect(decideWorkspaceAiSettings(undefined)).to.deep.equal({
      kind: "disabled",
      reason: "no_settings",
    });
    expect(decideWorkspaceAiSettings({ ...valid, ai_enabled: false })).to.deep.equal({
      kind: "disabled",
      reason: "ai_disabled",
    });
    expect(decideWorkspaceAiSettings({ ...valid, flags: { suggestions: false } })).to.deep.equal({
      kind: "disabled",
      reason: "suggestions_disabled",
    });
  });

  it("fills in temperature, maxTokens and provider when they are absent", () => {
    const decision = decideWorkspaceAiSettings({ ai_enabled: true, defaultModel: "qwen3-8b" });
    expect(decision).to.deep.include({ kind: "enabled" });
    expect(decision.kind === "enabled" && decision.settings).to.deep.include({
      provider: "llm_studio",
      temperature: 0.3,
      maxTokens: 150,
    });
  });

  it("names the field and the allowed values when a value is wrong", () => {
    expect(configError({ ...valid, temperature: 2.5 }).message).to.match(
      /settings\/ai\.temperature.*0 to 2.*2\.5/,
    );
    expect(configError({ ...valid, temperature: "warm" }).message).to.match(/temperature/);
    expect(configError({ ...valid, maxTokens: 0 }).message).to.match(
      /settings\/ai\.maxTokens.*1 to 8192/,
    );
    expect(configError({ ...valid, maxTokens: 12.5 }).message).to.match(/maxTokens/);
    expect(configError({ ...valid, maxTokens: 100000 }).message).to.match(/maxTokens/);
    expect(configError({ ...valid, provider: "anthropic" }).message).to.match(
      /settings\/ai\.provider must be one of "llm_studio", "openai"; got "anthropic"/,
    );
    expect(configError({ ...valid, defaultModel: "  " }).message).to.match(
      /settings\/ai\.defaultModel/,
    );
    expect(configError({ ...valid, ai_enabled: "yes" }).message).to.match(
      /ai_enabled must be true or false/,
    );
    expect(configError({ ...valid, flags: "on" }).message).to.match(/flags must be a map/);
  });
});
