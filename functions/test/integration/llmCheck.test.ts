import { expect } from "chai";
import { EmbeddingsRequestBody, FakeLmStudio, refusedUrl } from "../support/fakeLmStudio";
import { commandEnv, runCommand, runCommandLine } from "../support/runCommand";
import type { ConnectionReport } from "../../src/health/checkLmStudioConnection";

const LLM_CHECK = "src/cli/llmCheck.js";

describe("npm run llm:check (the LM Studio connection test)", () => {
  const lm = FakeLmStudio.forSuite();
  beforeEach(() => {
    lm.models = [
      { id: "gpt-oss-20b", state: "loaded" },
      { id: "qwen3-8b", state: "not-loaded" },
      { id: "text-embedding-nomic-embed-text-v1.5", state: "not-loaded", type: "embeddings" },
    ];
  });

  async function check(
    env: Record<string, string>,
  ): Promise<{ code: number | null; report: ConnectionReport }> {
    const result = await runCommand(
      LLM_CHECK,
      ["--json"],
      commandEnv({ LLM_STUDIO_URL: lm.url, ...env }),
    );
    return { code: result.code, report: JSON.parse(result.stdout) as ConnectionReport };
  }

  it("exits 0 with models, load state, latency and tokens per second when LM Studio is healthy", async () => {
    const { code, report } = await check({});
    expect(code).to.equal(0);
    expect(report.ok).to.equal(true);
    const server = report.servers[0];
    expect(server.modelSource).to.equal("lmstudio");
    expect(server.models.map((m) => [m.id, m.state])).to.deep.equal([
      ["gpt-oss-20b", "loaded"],
      ["qwen3-8b", "not-loaded"],
      ["text-embedding-nomic-embed-text-v1.5", "not-loaded"],
    ]);
    expect(server.steps.map((s) => [s.name, s.status])).to.deep.equal([
      ["server", "ok"],
      ["models", "ok"],
      ["model", "ok"],
      ["completion", "ok"],
    ]);
    expect(server.completion?.latencyMs).to.be.a("number");
    expect(server.completion?.tokensPerSecond).to.be.a("number");
    expect(lm.chatRequests()).to.have.length(1);
    expect(lm.chatRequests()[0].body?.model).to.equal("gpt-oss-20b");
  });

  it("judges an answer with no reply text as the suggestions do: invalid_response, exit 1", async () => {
    lm.answer = () => ({ content: "", reasoning: "pensando…", finishReason: "length" });
    const { code, report } = await check({});
    expect(code).to.equal(1);
    const step = report.servers[0].steps.at(-1);
    expect(step).to.deep.include({ name: "completion", status: "fail", code: "invalid_response" });
    expect(step?.summary).to.contain("ran out of tokens");
  });

  it("checks LLM_STUDIO_CHECK_MODEL, the model the check is named for", async () => {
    const { report } = await check({ LLM_STUDIO_CHECK_MODEL: "qwen3-8b" });
    expect(report.model).to.equal("qwen3-8b");
    expect(lm.chatRequests()[0].body?.model).to.equal("qwen3-8b");
  });

  it("speaks Spanish when LANG is es: diagnoses, fixes and the verdict", async () => {
    const refused = await runCommand(
      LLM_CHECK,
      [],
      commandEnv({ LLM_STUDIO_URL: await refusedUrl(), LANG: "es_AR.UTF-8" }),
    );
    expect(refused.code).to.equal(1);
    expect(refused.stdout)
      .to.contain("solución:")
      .and.contain("Inicie el servidor de LM Studio")
      .and.contain("LM Studio no está listo para las sugerencias.");
    const healthy = await runCommand(
      LLM_CHECK,
      [],
      commandEnv({ LLM_STUDIO_URL: lm.url, LANG: "es_ES.UTF-8" }),
    );
    expect(healthy.stdout).to.contain("cargado").and.contain("LM Studio está listo");
    // Every line the operator reads: no English diagnosis, heading or model state is left.
    for (const out of [refused.stdout, healthy.stdout]) {
      expect(out).to.match(/^LM Studio en http/m);
      expect(out).to.not.match(/Could not|LM Studio at|\(loaded|answered|available|is ready/);
    }
    expect(refused.stdout).to.match(/No se pudo conectar con .* \(ECONNREFUSED\)\./);
  });

  it("says in Spanish that no chat model is available, when the server has none", async () => {
    lm.models = lm.models.filter((m) => m.id.startsWith("text-embedding"));
    const result = await runCommand(
      LLM_CHECK,
      ["--json", "--lang", "es"],
      commandEnv({ LLM_STUDIO_URL: lm.url }),
    );
    const report = JSON.parse(result.stdout) as ConnectionReport;
    const step = report.servers[0].steps.find((s) => s.name === "model");
    expect(step).to.deep.include({ status: "fail", code: "model_not_found" });
    expect(step?.summary).to.contain("ninguno").and.not.contain("none");
  });

  it("--lang en beats a Spanish terminal; a bad --lang is refused, naming the allowed values", async () => {
    const spanish = commandEnv({ LLM_STUDIO_URL: lm.url, LANG: "es_ES.UTF-8" });
    const english = await runCommand(LLM_CHECK, ["--lang", "en"], spanish);
    expect(english.code, english.stderr).to.equal(0);
    expect(english.stdout)
      .to.match(/^LM Studio at http/m)
      .and.contain("LM Studio is ready");
    expect(english.stdout).to.not.contain("listo");
    // LC_ALL=C names no language: LANG still decides.
    const neutral = await runCommand(LLM_CHECK, [], { ...spanish, LC_ALL: "C" });
    expect(neutral.stdout).to.contain("LM Studio está listo para las sugerencias.");

    const wrong = await runCommand(LLM_CHECK, ["--lang", "fr"], spanish);
    expect(wrong.code).to.equal(2);
    expect(wrong.stderr).to.contain('--lang debe ser uno de es, en; se recibió "fr".');
    expect(lm.chatRequests()).to.have.length(2);
  });

  it("--json through npm run -s is JSON alone, as the docs say to run it", async function () {
    this.timeout(200_000); // npm run compiles lib/ first
    const viaNpm = await runCommandLine(
      "npm",
      ["run", "-s", "llm:check", "--", "--json"],
      commandEnv({ LLM_STUDIO_URL: lm.url }),
    );
    expect(viaNpm.code, viaNpm.stderr).to.equal(0);
    const parsed = JSON.parse(viaNpm.stdout) as { ok: boolean };
    expect(parsed.ok).to.equal(true);
  });

  it("diagnoses a server that is not running, with the fix, and exits non-zero", async () => {
    const { code, report } = await check({ LLM_STUDIO_URL: await refusedUrl() });
    expect(code).to.equal(1);
    const [step] = report.servers[0].steps;
    expect(step).to.deep.include({ name: "server", status: "fail", code: "provider_unreachable" });
    expect(step.summary).to.contain("ECONNREFUSED");
    expect(step.fix).to.contain("lms server start").and.contain("Serve on Local Network");
  });

  it("names a missing model and lists the available ones", async () => {
    const { code, report } = await check({ LLM_STUDIO_MODEL: "llama-3.3-70b" });
    expect(code).to.equal(1);
    const step = report.servers[0].steps.find((s) => s.name === "model");
    expect(step).to.deep.include({ status: "fail", code: "model_not_found" });
    expect(step?.summary).to.contain('"llama-3.3-70b"').and.contain("gpt-oss-20b, qwen3-8b");
    expect(step?.summary).not.to.contain("text-embedding");
    expect(step?.fix).to.contain("lms get llama-3.3-70b");
    expect(lm.chatRequests()).to.have.length(0);
  });

  it("warns that a downloaded but unloaded model loads on first use, and still passes", async () => {
    const { code, report } = await check({ LLM_STUDIO_MODEL: "qwen3-8b" });
    expect(code).to.equal(0);
    expect(report.servers[0].steps.find((s) => s.name === "model")).to.deep.include({
      status: "warn",
    });
  });

  it("diagnoses a missing LM Studio API token, and passes with LLM_STUDIO_API_KEY", async () => {
    lm.apiToken = "lms-secret";
    const denied = await check({});
    expect(denied.code).to.equal(1);
    expect(denied.report.servers[0].steps[0]).to.deep.include({
      status: "fail",
      code: "provider_auth",
    });
    expect(denied.report.servers[0].steps[0].fix).to.contain("LLM_STUDIO_API_KEY");

    const allowed = await check({ LLM_STUDIO_API_KEY: "lms-secret" });
    expect(allowed.code).to.equal(0);
  });

  it("diagnoses a model too slow to answer as a timeout", async () => {
    lm.faults = [{ kind: "hang" }];
    const { code, report } = await check({ LLM_TIMEOUT_MS: "400" });
    expect(code).to.equal(1);
    expect(report.servers[0].steps.at(-1)).to.deep.include({
      name: "completion",
      code: "provider_timeout",
    });
    expect(report.servers[0].steps.at(-1)?.fix).to.contain("LLM_TIMEOUT_MS");
  });

  it("falls back to /v1/models on OpenAI-compatible servers without LM Studio's native API", async () => {
    lm.nativeApi = false;
    const { code, report } = await check({});
    expect(code).to.equal(0);
    expect(report.servers[0].modelSource).to.equal("openai-compatible");
    expect(report.servers[0].models[0]).to.deep.equal({ id: "gpt-oss-20b", state: "unknown" });
  });

  it("prints readable ✓/✗ lines without colour codes when not on a terminal", async () => {
    const result = await runCommand(LLM_CHECK, [], commandEnv({ LLM_STUDIO_URL: lm.url }));
    expect(result.code).to.equal(0);
    expect(result.stdout).to.match(/✓ LM Studio at http:\/\/127\.0\.0\.1:\d+\/v1 answered\./);
    expect(result.stdout).to.contain("gpt-oss-20b (loaded, llm, Q4_K_M)");
    expect(result.stdout).to.contain("LM Studio is ready for suggestions.");
    expect(result.stdout).not.to.contain("\u001b[");
  });

  describe("the embedding model of the knowledge base (LLM_STUDIO_CHECK_EMBEDDING_MODEL)", () => {
    const EMBEDDER = "text-embedding-nomic-embed-text-v1.5";
    const embeddingSteps = (report: ConnectionReport) =>
      report.servers[0].embedding?.steps.map((s) => [s.name, s.status, s.code]);

    it("finds it listed as an embedding model, embeds one word and prints the 768 dimensions", async () => {
      const { code, report } = await check({});
      expect(code).to.equal(0);
      expect(report.embeddingModel).to.equal(EMBEDDER);
      expect(embeddingSteps(report)).to.deep.equal([
        ["embedding_model", "ok", undefined],
        ["embedding", "ok", undefined],
        ["auto_evict", "warn", undefined],
      ]);
      expect(report.servers[0].embedding?.probe?.dimensions).to.equal(768);
      expect(report.servers[0].embedding?.probe?.latencyMs).to.be.a("number");
      const sent = lm.embeddingRequests().map((r) => r.body as EmbeddingsRequestBody);
      expect(sent).to.deep.equal([{ model: EMBEDDER, input: ["ping"], encoding_format: "float" }]);

      lm.models[2].state = "not-loaded"; // the embedding loaded it, as LM Studio's JIT does
      const text = await runCommand(LLM_CHECK, [], commandEnv({ LLM_STUDIO_URL: lm.url }));
      expect(text.stdout).to.match(/✓ Embedding in \d+ ms: 768 dimensions\./);
      expect(text.stdout).to.contain(
        "! LM Studio's JIT Auto-Evict keeps only one model loaded on demand: the chat model and the embedding model evict each other",
      );
      expect(text.stdout).to.contain(
        `fix: Load both ahead of time (models loaded with lms load are never evicted): \`lms load gpt-oss-20b\` and \`lms load ${EMBEDDER}\`.`,
      );
      expect(text.stdout).to.match(
        /LM Studio is ready for suggestions\.\nThe embedding model is ready for the knowledge base\.\n$/,
      );
    });

    it("does not warn about Auto-Evict when both models are loaded already", async () => {
      lm.models[2].state = "loaded";
      const { report } = await check({});
      expect(embeddingSteps(report)?.map(([name]) => name)).to.deep.equal([
        "embedding_model",
        "embedding",
      ]);
    });

    it("names a missing embedding model with the server's embedding models, and exits 1", async () => {
      const { code, report } = await check({
        LLM_STUDIO_CHECK_EMBEDDING_MODEL: "text-embedding-bge-m3",
      });
      expect(code).to.equal(1);
      expect(report.ok).to.equal(false);
      expect(report.servers[0].suggestionsReady).to.equal(true);
      const [step] = report.servers[0].embedding?.steps ?? [];
      expect(step).to.deep.include({
        name: "embedding_model",
        status: "fail",
        code: "model_not_found",
      });
      expect(step.summary).to.equal(
        `Embedding model "text-embedding-bge-m3" is not available. Embedding models on the server: ${EMBEDDER}.`,
      );
      expect(step.fix).to.contain("lms get text-embedding-bge-m3");
      expect(lm.embeddingRequests()).to.have.length(0);

      const text = await runCommand(
        LLM_CHECK,
        [],
        commandEnv({
          LLM_STUDIO_URL: lm.url,
          LLM_STUDIO_CHECK_EMBEDDING_MODEL: "text-embedding-bge-m3",
        }),
      );
      expect(text.code).to.equal(1);
      expect(text.stdout).to.contain("LM Studio is ready for suggestions.");
      expect(text.stdout).to.contain("The embedding model is not ready");
    });

    it("reports a chat model named as the embedding model as wrong_model_type, with its fix", async () => {
      const { code, report } = await check({ LLM_STUDIO_CHECK_EMBEDDING_MODEL: "qwen3-8b" });
      expect(code).to.equal(1);
      const [step] = report.servers[0].embedding?.steps ?? [];
      expect(step).to.deep.include({ status: "fail", code: "wrong_model_type" });
      expect(step.summary).to.equal(
        '"qwen3-8b" is a chat model (type llm), not an embedding model.',
      );
      expect(step.fix).to.contain("settings/ai.tasks.embeddings.model");
      expect(lm.embeddingRequests()).to.have.length(0);
    });

    it('classifies LM Studio\'s "Model is not embedding." where the model list has no types', async () => {
      lm.nativeApi = false;
      const { code, report } = await check({ LLM_STUDIO_CHECK_EMBEDDING_MODEL: "qwen3-8b" });
      expect(code).to.equal(1);
      expect(embeddingSteps(report)).to.deep.equal([
        ["embedding_model", "ok", undefined],
        ["embedding", "fail", "wrong_model_type"],
      ]);
      expect(report.servers[0].embedding?.steps[1].summary).to.contain("Model is not embedding.");
      expect(report.servers[0].embedding?.steps[1].fix).to.contain(
        "settings/ai.tasks.embeddings.model",
      );
    });

    it("diagnoses embeddings that fail while chat answers, and exits 1", async () => {
      lm.embeddingsDown = true;
      const { code, report } = await check({});
      expect(code).to.equal(1);
      expect(report.servers[0].suggestionsReady).to.equal(true);
      const failed = report.servers[0].embedding?.steps.find((s) => s.name === "embedding");
      expect(failed).to.deep.include({ status: "fail", code: "provider_unreachable" });
      expect(failed?.fix).to.contain(`lms load ${EMBEDDER}`).and.contain("server log");
    });

    it("fails a model whose vectors are longer than Firestore's vector search takes (2,048)", async () => {
      lm.models[2] = { ...lm.models[2], dimensions: 4096 };
      const { code, report } = await check({});
      expect(code).to.equal(1);
      const step = report.servers[0].embedding?.steps.find((s) => s.name === "embedding");
      expect(step?.status).to.equal("fail");
      expect(step?.summary).to.contain("4096 dimensions").and.contain("at most 2048");
      expect(report.servers[0].embedding?.probe?.dimensions).to.equal(4096);
    });

    it("speaks Spanish too, and is skipped with none", async () => {
      const es = await runCommand(
        LLM_CHECK,
        [],
        commandEnv({ LLM_STUDIO_URL: lm.url, LANG: "es_AR.UTF-8" }),
      );
      expect(es.stdout).to.match(/✓ Embedding en \d+ ms: 768 dimensiones\./);
      expect(es.stdout).to.contain("El Auto-Evict de JIT de LM Studio mantiene un solo modelo");
      expect(es.stdout).to.contain(
        "El modelo de embeddings está listo para la base de conocimiento.",
      );

      const before = lm.embeddingRequests().length;
      const skipped = await check({ LLM_STUDIO_CHECK_EMBEDDING_MODEL: "none" });
      expect(skipped.code).to.equal(0);
      expect(skipped.report.servers[0].embedding).to.equal(undefined);
      expect(lm.embeddingRequests()).to.have.length(before);
    });
  });

  it("rejects an invalid setting with the variable's name", async () => {
    const result = await runCommand(
      LLM_CHECK,
      [],
      commandEnv({ LLM_STUDIO_URL: lm.url, LLM_TIMEOUT_MS: "slow" }),
    );
    expect(result.code).to.equal(2);
    expect(result.stderr).to.contain("LLM_TIMEOUT_MS").and.contain("invalid_config");
  });
});
