import { expect } from "chai";
import { parseRuntimeConfig } from "../../src/config/runtimeConfig";
import { decideWorkspaceAiSettings } from "../../src/config/workspaceAiSettings";
import { hintFor, invalidConfig } from "../../src/core/errorCodes";
import { planRun, RunFacts } from "../../src/engine/planRun";
import { ProviderRouter } from "../../src/providers/providerRouter";

describe("planRun: what the engine does with a job, from what it read", () => {
  const config = parseRuntimeConfig({});
  const runtime = { config, router: new ProviderRouter(config) };
  const enabled = decideWorkspaceAiSettings({ ai_enabled: true, defaultModel: "gpt-oss-20b" });
  const facts = (over: Partial<RunFacts> = {}): RunFacts => ({
    decision: { kind: "run" },
    settings: enabled,
    runtime,
    env: {},
    language: "en",
    ...over,
  });

  it("runs a job whose settings and environment are valid and that no newer job owns", () => {
    const plan = planRun(facts());
    expect(plan.kind).to.equal("run");
    expect(plan.kind === "run" && plan.settings.defaultModel).to.equal("gpt-oss-20b");
  });

  it("ignores what the task ignores before looking at anything else", () => {
    const plan = planRun(
      facts({
        decision: { kind: "ignored", reason: "not_inbound" },
        settings: invalidConfig("settings/ai.temperature must be a number from 0 to 2; got 5."),
        runtime: invalidConfig("LLM_TIMEOUT_MS must be a whole number"),
      }),
    );
    expect(plan).to.deep.equal({ kind: "ignored", reason: "not_inbound" });
  });

  it("reports invalid settings as invalid_config, even when the environment is broken too", () => {
    const plan = planRun(
      facts({
        settings: invalidConfig("settings/ai.temperature must be a number from 0 to 2; got 5."),
        runtime: invalidConfig("LLM_TIMEOUT_MS must be a whole number"),
      }),
    );
    expect(plan.kind).to.equal("decided");
    if (plan.kind !== "decided" || plan.outcome.status !== "error") throw new Error("not an error");
    expect(plan.outcome.code).to.equal("invalid_config");
    expect(plan.outcome.message).to.contain("settings/ai.temperature");
  });

  it("writes nothing for a workspace with AI off, even when the environment is broken", () => {
    const plan = planRun(
      facts({ settings: { kind: "disabled", reason: "ai_disabled" }, runtime: invalidConfig("x") }),
    );
    expect(plan).to.deep.equal({ kind: "disabled", reason: "ai_disabled" });
  });

  it("ends the result with the environment's invalid_config, in the team's language", () => {
    const plan = planRun(
      facts({ runtime: invalidConfig("LLM_STUDIO_URL must be an http(s) URL"), language: "es" }),
    );
    if (plan.kind !== "decided" || plan.outcome.status !== "error") throw new Error("not an error");
    expect(plan.outcome.code).to.equal("invalid_config");
    expect(plan.outcome.hint)
      .to.equal(hintFor("invalid_config", "es"))
      .and.not.equal(hintFor("invalid_config", "en"));
  });

  it("skips a message with nothing to answer, without a model call", () => {
    const plan = planRun(
      facts({ decision: { kind: "skipped", reason: "empty_text", detail: "blank" } }),
    );
    expect(plan).to.deep.include({
      kind: "decided",
      outcome: { status: "skipped", reason: "empty_text", detail: "blank" },
    });
  });

  it("gives way at once to a newer job found before the claim", () => {
    const plan = planRun(facts({ newer: { supersededBy: "m2", reason: "newer_message" } }));
    expect(plan).to.deep.include({
      kind: "decided",
      outcome: { status: "superseded", supersededBy: "m2", reason: "newer_message" },
    });
  });
});
