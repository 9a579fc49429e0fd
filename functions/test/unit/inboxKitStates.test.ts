import { expect } from "chai";
import { Timestamp } from "firebase/firestore";
import { reportState } from "../../inbox-kit/src/reportState";
import { suggestionState } from "../../inbox-kit/src/suggestionState";
import type { Report, Suggestion } from "../../inbox-kit/src/types";

/*
 * The inbox kit's states: what an agent's screen shows for each document a suggestion or a
 * report goes through, decided once for every frontend.
 */

const now = Timestamp.fromMillis(1_765_000_000_000);
const base: Suggestion = {
  status: "generating",
  messageId: "m-1",
  conversationId: "c-1",
  workspaceId: "w-1",
  createdAt: now,
  updatedAt: now,
  claimToken: "t",
  claims: 1,
  version: 1,
};

describe("inbox kit: the suggestion's state on the agent's screen", () => {
  it("no document is hidden (AI off, or not written yet)", () => {
    expect(suggestionState(undefined)).to.deep.equal({ state: "hidden", why: "none" });
  });

  it("queued (bridge mode) and generating are both waiting, queued said apart", () => {
    expect(suggestionState({ ...base, status: "queued" })).to.deep.equal({
      state: "waiting",
      messageId: "m-1",
      queued: true,
    });
    expect(suggestionState(base)).to.deep.include({ state: "waiting", queued: false });
  });

  it("streaming shows the words so far with the version", () => {
    expect(
      suggestionState({ ...base, status: "streaming", text: "¡Hola Lu", version: 2 }),
    ).to.deep.equal({
      state: "streaming",
      messageId: "m-1",
      text: "¡Hola Lu",
      version: 2,
    });
  });

  it("ready carries text, provider, model, sources, truncation and every option", () => {
    const ready = suggestionState({
      ...base,
      status: "ready",
      text: "Uno",
      options: [{ text: "Uno" }, { text: "Dos" }],
      provider: "openai",
      model: "gpt-4o-mini",
      truncated: true,
      knowledge: { status: "used", ms: 12 },
      sources: [{ articleId: "a", title: "Envíos", url: "https://x.test/a", distance: 0.1 }],
    });
    expect(ready).to.deep.equal({
      state: "ready",
      messageId: "m-1",
      text: "Uno",
      options: ["Uno", "Dos"],
      provider: "openai",
      model: "gpt-4o-mini",
      sources: [{ articleId: "a", title: "Envíos", url: "https://x.test/a", distance: 0.1 }],
      knowledge: "used",
      truncated: true,
      version: 1,
    });
  });

  it("a ready suggestion without options offers its one text", () => {
    const ready = suggestionState({
      ...base,
      status: "ready",
      text: "Hola",
      provider: "llm_studio",
      model: "m",
    });
    expect(ready).to.deep.include({ options: ["Hola"], sources: [], truncated: false });
  });

  it("error carries the code, the message and the team-language hint", () => {
    const error = suggestionState({
      ...base,
      status: "error",
      error: { code: "provider_unreachable", message: "ECONNREFUSED", hint: "Inicie el servidor" },
    });
    expect(error).to.deep.equal({
      state: "error",
      messageId: "m-1",
      code: "provider_unreachable",
      message: "ECONNREFUSED",
      hint: "Inicie el servidor",
    });
  });

  it("skipped and superseded are hidden, saying which", () => {
    expect(suggestionState({ ...base, status: "skipped", reason: "empty_text" })).to.deep.equal({
      state: "hidden",
      why: "skipped",
    });
    expect(
      suggestionState({ ...base, status: "superseded", reason: "agent_replied" }),
    ).to.deep.equal({
      state: "hidden",
      why: "superseded",
    });
  });
});

describe("inbox kit: the report's state", () => {
  const report: Report & { id: string } = {
    id: "close-1",
    status: "ready",
    workspaceId: "w-1",
    conversationId: "c-1",
    createdAt: now,
    updatedAt: now,
    claimToken: "t",
    claims: 1,
    structured: true,
    summary: "La clienta reclamó por el pedido 4512.",
    customerIntent: "saber cuándo llega",
    sentiment: "negative",
    resolution: "escalated",
    nextSteps: ["Logística reenvía"],
    topics: ["envíos"],
    language: "es",
    coverage: { messages: 6, firstMessageAt: now, lastMessageAt: now, truncated: false },
  };

  it("none, generating, ready with its judgement, or error", () => {
    expect(reportState(undefined)).to.deep.equal({ state: "none" });
    expect(reportState({ ...report, status: "generating" })).to.deep.equal({
      state: "generating",
      reportId: "close-1",
    });
    expect(reportState(report)).to.deep.equal({
      state: "ready",
      reportId: "close-1",
      summary: "La clienta reclamó por el pedido 4512.",
      judgement: {
        customerIntent: "saber cuándo llega",
        sentiment: "negative",
        resolution: "escalated",
        nextSteps: ["Logística reenvía"],
        topics: ["envíos"],
        language: "es",
      },
      messages: 6,
    });
    expect(
      reportState({
        ...report,
        status: "error",
        error: { code: "provider_timeout", message: "m", hint: "h" },
      }),
    ).to.deep.include({ state: "error", code: "provider_timeout", hint: "h" });
  });

  it("a plain-text report (the schema failed) is its summary alone", () => {
    const plain = reportState({
      ...report,
      structured: false,
      customerIntent: undefined,
      text: "Resumen",
      summary: undefined,
    });
    expect(plain).to.deep.equal({
      state: "ready",
      reportId: "close-1",
      summary: "Resumen",
      messages: 6,
    });
  });
});
