import { expect } from "chai";
import { declaredParams } from "firebase-functions/params";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { envExampleText } from "../../src/config/envExample";
import { ENV_SPEC } from "../../src/config/envSpec";
import { readEnv } from "../../src/config/envValues";
import { FUNCTION_SECRETS } from "../../src/config/functionSecrets";
import { parseRuntimeConfig } from "../../src/config/runtimeConfig";

describe("environment variables: one declaration; the secrets are the only params", () => {
  const secretNames = Object.entries(ENV_SPEC)
    .filter(([, spec]) => spec.kind === "secret")
    .map(([name]) => name)
    .sort();

  it("declares no firebase-functions param but the secrets, so the emulator has none to write into .env.local", () => {
    // Importing functionSecrets.ts declared them.
    expect(Object.keys(FUNCTION_SECRETS)).to.have.length.above(0);
    const declared = declaredParams.map((param) => ({
      name: param.name,
      // firebase-functions exports SecretParam as a type only; its class says what it is.
      type: (param.constructor as unknown as { type: string }).type,
    }));
    expect(declared.filter((param) => param.type !== "secret")).to.deep.equal([]);
    expect(declared.map((param) => param.name).sort()).to.deep.equal(secretNames);
  });

  it("the secrets bound to the functions are exactly the spec's secrets, each bound somewhere", () => {
    const bound = new Set(
      Object.values(FUNCTION_SECRETS).flatMap((secrets) => secrets.map((s) => s.name)),
    );
    expect([...bound].sort()).to.deep.equal(secretNames);
  });

  it("parses the spec's defaults from an empty environment", () => {
    const config = parseRuntimeConfig({});
    expect(config.timeoutMs).to.equal(ENV_SPEC.LLM_TIMEOUT_MS.default);
    expect(config.lmStudio.baseUrls).to.deep.equal(["http://localhost:1234/v1"]);
    expect(config.checkModel).to.equal(ENV_SPEC.LLM_STUDIO_CHECK_MODEL.default);
    expect(config.cloudPrices.outputPerMTok).to.equal(ENV_SPEC.CLOUD_PRICE_OUTPUT_PER_MTOK.default);
  });

  it("rejects every bounded variable just outside its bounds, naming it", () => {
    for (const [name, spec] of Object.entries(ENV_SPEC)) {
      if (spec.kind !== "int" && spec.kind !== "number") continue;
      expect(() => readEnv({ [name]: String(spec.max + 1) }, name as keyof typeof ENV_SPEC))
        .to.throw(name)
        .with.property("code", "invalid_config");
    }
  });

  it("LLM_STUDIO_CHECK_MODEL is the check's model, and the old LLM_STUDIO_MODEL still sets it", () => {
    expect(parseRuntimeConfig({ LLM_STUDIO_CHECK_MODEL: "qwen3-8b" }).checkModel).to.equal(
      "qwen3-8b",
    );
    expect(parseRuntimeConfig({ LLM_STUDIO_MODEL: "llama-3.1-8b" }).checkModel).to.equal(
      "llama-3.1-8b",
    );
    expect(
      parseRuntimeConfig({ LLM_STUDIO_CHECK_MODEL: "a", LLM_STUDIO_MODEL: "b" }).checkModel,
    ).to.equal("a");
  });

  it("functions/.env.example is what envSpec.ts makes of every variable (npm run env:example)", () => {
    const file = readFileSync(resolve(__dirname, "../../../.env.example"), "utf8");
    expect(file).to.equal(envExampleText());
    for (const name of Object.keys(ENV_SPEC)) expect(file).to.contain(`# ${name}=`);
    // Copying it changes nothing: every line is a comment.
    expect(file.split("\n").filter((l) => l && !l.startsWith("#"))).to.deep.equal([]);
  });
});
