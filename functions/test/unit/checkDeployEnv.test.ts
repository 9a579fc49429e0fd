import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deployEnvProblem, fileSetting, readDeployEnv } from "../../src/config/deployEnv";
import { commandEnv, runCommand } from "../support/runCommand";

const PROJECT = "demo-deploy-check";

describe("deploy:check-env: the environment firebase deploy uploads, checked before it does", () => {
  let dir: string;
  const write = (files: Record<string, string>) => {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  };
  const check = () => {
    const deployed = readDeployEnv(dir, PROJECT);
    const problem = deployEnvProblem(deployed.env);
    return {
      deployed,
      problem,
      file: problem?.variable && fileSetting(deployed, problem.variable),
    };
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "deploy-env-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("no .env file is valid: every variable takes its default", () => {
    expect(check()).to.deep.include({ problem: undefined });
    expect(check().deployed.files).to.deep.equal([]);
  });

  it("reads .env, then .env.<project> over it, as deploy does", () => {
    write({
      ".env": "LLM_STUDIO_MODE=sideways\nLLM_TIMEOUT_MS=45000\n",
      [`.env.${PROJECT}`]: "LLM_STUDIO_MODE=bridge\n",
    });
    const { deployed, problem } = check();
    expect(problem).to.equal(undefined);
    expect(deployed.files).to.deep.equal([".env", `.env.${PROJECT}`]);
    expect(deployed.env).to.deep.include({ LLM_STUDIO_MODE: "bridge", LLM_TIMEOUT_MS: "45000" });
  });

  it("does not read .env.local (the emulator's) nor another project's file", () => {
    write({ ".env.local": "LLM_STUDIO_MODE=sideways\n", ".env.other-project": "LOG_LEVEL=loud\n" });
    expect(check()).to.deep.include({ problem: undefined });
  });

  it("a bad value names its file, the variable and the allowed values", () => {
    write({ ".env": "LOG_LEVEL=info\n", [`.env.${PROJECT}`]: "LLM_STUDIO_MODE=brige\n" });
    const { problem, file } = check();
    expect(problem).to.deep.equal({
      variable: "LLM_STUDIO_MODE",
      message: 'LLM_STUDIO_MODE must be one of direct, bridge; got "brige".',
    });
    expect(file).to.equal(`.env.${PROJECT}`);
  });

  it("a number out of bounds names its bounds; an older name is traced to its file", () => {
    write({ ".env": "LLM_CONCURRENCY=0\n" });
    expect(check().problem?.message).to.equal(
      'LLM_CONCURRENCY must be a whole number from 1 to 64; got "0".',
    );
    write({ ".env": "LLM_STUDIO_MODEL=qwen3-8b\nLLM_TIMEOUT_MS=fast\n" });
    expect(check().problem?.variable).to.equal("LLM_TIMEOUT_MS");
    const deployed = readDeployEnv(dir, PROJECT);
    expect(fileSetting(deployed, "LLM_STUDIO_CHECK_MODEL")).to.equal(".env");
  });

  it("a FUNCTIONS_REGION Cloud Functions does not have stops the deploy", () => {
    write({ ".env": "FUNCTIONS_REGION=eur3\n" });
    expect(check().problem?.variable).to.equal("FUNCTIONS_REGION");
    expect(check().problem?.message).to.match(
      /^FUNCTIONS_REGION must be one of .*europe-west1.*; got "eur3"\.$/,
    );
    write({ ".env": "FUNCTIONS_REGION=europe-west1\n" });
    expect(check().problem).to.equal(undefined);
  });

  it("a rule between two variables is checked too", () => {
    write({ ".env": "RAG_CHUNK_CHARS=600\nRAG_CHUNK_OVERLAP=300\n" });
    expect(check().problem).to.deep.equal({
      message: "RAG_CHUNK_OVERLAP must be less than half of RAG_CHUNK_CHARS (600); got 300.",
    });
  });

  it("a secret in a .env file is refused: it would be uploaded as a plain variable", () => {
    write({ [`.env.${PROJECT}`]: "OPENAI_API_KEY=sk-test\n" });
    const { problem, file } = check();
    expect(problem?.variable).to.equal("OPENAI_API_KEY");
    expect(problem?.message).to.contain("firebase functions:secrets:set OPENAI_API_KEY");
    expect(problem?.message).to.not.contain("sk-test");
    expect(file).to.equal(`.env.${PROJECT}`);
  });

  it("the command exits 1 naming the file and the variable, 0 when every value is valid", async () => {
    const env = commandEnv({ GCLOUD_PROJECT: PROJECT });
    write({ [`.env.${PROJECT}`]: "LLM_STUDIO_MODE=brige\n" });
    const bad = await runCommand("src/cli/checkDeployEnv.js", [dir], env);
    expect(bad.code).to.equal(1);
    expect(bad.stderr.trim()).to.equal(
      `✗ functions/.env.${PROJECT}: LLM_STUDIO_MODE must be one of direct, bridge; got "brige".`,
    );
    write({ [`.env.${PROJECT}`]: "LLM_STUDIO_MODE=bridge\n" });
    const good = await runCommand("src/cli/checkDeployEnv.js", [dir], env);
    expect(good.code).to.equal(0);
    expect(good.stdout).to.contain(`✓ The functions' environment is valid (.env.${PROJECT};`);
  });
});
