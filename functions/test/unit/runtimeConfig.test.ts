import { expect } from "chai";
import { parseRuntimeConfig } from "../../src/config/runtimeConfig";

describe("runtime configuration", () => {
  it("runs on the documented defaults with an empty environment", () => {
    const config = parseRuntimeConfig({});
    expect(config.lmStudio).to.deep.equal({
      enabled: true,
      mode: "direct",
      baseUrls: ["http://localhost:1234/v1"],
      apiKey: undefined,
    });
    expect(config.openai).to.deep.equal({
      apiKey: undefined,
      baseUrl: "https://api.openai.com/v1",
    });
    expect(config).to.deep.include({
      timeoutMs: 30000,
      concurrency: 2,
      maxAttempts: 3,
      contextMessages: 20,
      contextCharBudget: 12000,
    });
  });

  it("reads the knowledge settings, and refuses an overlap of half a chunk or more", () => {
    expect(parseRuntimeConfig({}).knowledge).to.deep.equal({
      chunkChars: 1200,
      chunkOverlap: 150,
      embedBatch: 32,
      topK: 4,
      charBudget: 3000,
      maxDistance: 0.5,
      timeoutMs: 2000,
    });
    expect(() => parseRuntimeConfig({ RAG_CHUNK_CHARS: "600", RAG_CHUNK_OVERLAP: "300" })).to.throw(
      "RAG_CHUNK_OVERLAP must be less than half of RAG_CHUNK_CHARS (600); got 300.",
    );
    expect(() => parseRuntimeConfig({ RAG_MAX_DISTANCE: "3" })).to.throw(/RAG_MAX_DISTANCE/);
  });

  it("accepts LM Studio's address with or without /v1, and a comma-separated pool", () => {
    expect(
      parseRuntimeConfig({ LLM_STUDIO_URL: "http://192.168.1.20:1234" }).lmStudio.baseUrls,
    ).to.deep.equal(["http://192.168.1.20:1234/v1"]);
    expect(
      parseRuntimeConfig({ LLM_STUDIO_URL: "http://gpu-box:1234/v1/" }).lmStudio.baseUrls,
    ).to.deep.equal(["http://gpu-box:1234/v1"]);
    expect(
      parseRuntimeConfig({ LLM_STUDIO_URL: "http://a:1234, http://b:1234/v1" }).lmStudio.baseUrls,
    ).to.deep.equal(["http://a:1234/v1", "http://b:1234/v1"]);
  });

  it("treats a secret set to none as no secret", () => {
    expect(
      parseRuntimeConfig({ LLM_STUDIO_API_KEY: "none", OPENAI_API_KEY: "sk-x" }),
    ).to.deep.include({
      lmStudio: {
        enabled: true,
        mode: "direct",
        baseUrls: ["http://localhost:1234/v1"],
        apiKey: undefined,
      },
    });
  });

  it("rejects bad values naming the variable and the allowed range", () => {
    expect(() => parseRuntimeConfig({ LLM_TIMEOUT_MS: "fast" })).to.throw(
      /LLM_TIMEOUT_MS must be a whole number from 100 to 600000; got "fast"/,
    );
    expect(() => parseRuntimeConfig({ LLM_CONCURRENCY: "0" })).to.throw(
      /LLM_CONCURRENCY must be a whole number from 1 to 64/,
    );
    expect(() => parseRuntimeConfig({ LLM_MAX_ATTEMPTS: "2.5" })).to.throw(/LLM_MAX_ATTEMPTS/);
    expect(() => parseRuntimeConfig({ LLM_STUDIO_ENABLED: "maybe" })).to.throw(
      /LLM_STUDIO_ENABLED must be true or false/,
    );
    expect(() => parseRuntimeConfig({ LLM_STUDIO_URL: "localhost:1234" })).to.throw(
      /LLM_STUDIO_URL must use http or https/,
    );
    expect(() => parseRuntimeConfig({ LLM_STUDIO_URL: "not a url" })).to.throw(
      /LLM_STUDIO_URL must be an http\(s\) URL/,
    );
  });

  it("refuses credentials inside a URL: tokens belong in their secrets, URLs reach logs", () => {
    expect(() =>
      parseRuntimeConfig({ LLM_STUDIO_URL: "http://user:secret@gpu-box:1234" }),
    ).to.throw(/LLM_STUDIO_URL must not contain credentials/);
  });

  it("validates the cloud prices for the cost-avoided metric", () => {
    expect(() => parseRuntimeConfig({ CLOUD_PRICE_INPUT_PER_MTOK: "cheap" })).to.throw(
      /CLOUD_PRICE_INPUT_PER_MTOK must be a number from 0 to 1000; got "cheap"/,
    );
    expect(
      parseRuntimeConfig({ CLOUD_PRICE_OUTPUT_PER_MTOK: "2.5" }).cloudPrices.outputPerMTok,
    ).to.equal(2.5);
  });
});
