import { expect } from "chai";
import { FUNCTION_SECRETS } from "../../src/config/functionSecrets";
import type { FunctionName } from "../../src/core/functionTimeouts";

const secretsOf = (name: FunctionName) => FUNCTION_SECRETS[name].map((secret) => secret.name);

describe("each function binds the secrets its code reads, and only those", () => {
  it("suggestions, agent requests and reports call LM Studio and OpenAI: both keys", () => {
    for (const name of ["onMessageCreated", "onAiRequestCreated", "onConversationUpdated"] as const)
      expect(secretsOf(name), name).to.deep.equal(["LLM_STUDIO_API_KEY", "OPENAI_API_KEY"]);
  });

  it("indexing embeds with LM Studio only, never OpenAI: LM Studio's key alone", () => {
    expect(secretsOf("onKnowledgeWritten")).to.deep.equal(["LLM_STUDIO_API_KEY"]);
  });

  it("the bridge sweep runs jobs where LM Studio is unreachable, falling back to OpenAI: OpenAI's key alone", () => {
    expect(secretsOf("sweepBridgeJobs")).to.deep.equal(["OPENAI_API_KEY"]);
  });

  it("health and console probe LM Studio with its token and report whether OpenAI is configured: both keys", () => {
    for (const name of ["aiHealth", "aiConsole"] as const)
      expect(secretsOf(name), name).to.deep.equal(["LLM_STUDIO_API_KEY", "OPENAI_API_KEY"]);
  });
});
