import { expect } from "chai";
import { type DocumentData, Timestamp } from "firebase-admin/firestore";
import { paths } from "../../src/core/paths";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { QualityTable } from "../../src/cli/qualityTable";
import { FakeLmStudio } from "../support/fakeLmStudio";
import {
  createMessage,
  db,
  deliverMessageCreated,
  GOOD_SETTINGS,
  readSuggestion,
  seedConversation,
  useSuiteEnv,
} from "../support/harness";
import { commandEnv, runCommand } from "../support/runCommand";

const SUGGESTED = "¡Hola María! Tu pedido 4512 salió ayer y llega el viernes por la mañana.";

describe("what agents actually send (agentUse) and npm run quality", () => {
  const lm = FakeLmStudio.forSuite();
  useSuiteEnv(() => ({
    LLM_STUDIO_URL: lm.url,
  }));
  beforeEach(() => {
    lm.answer = () => ({ content: SUGGESTED });
  });

  /** A customer asks, the suggestion is ready, then the agent sends `sent`. */
  async function agentSends(
    sent: string,
    options: { workspaceId?: string; settings?: DocumentData; name?: boolean } = {},
  ) {
    const conversation = await seedConversation({
      workspaceId: options.workspaceId,
      settings: options.settings,
    });
    const at = Date.now();
    const question = await createMessage(conversation, {
      direction: "inbound",
      text: "¿Cuándo llega?",
      createdAt: Timestamp.fromMillis(at),
    });
    await deliverMessageCreated(question);
    const reply = await createMessage(conversation, {
      direction: "outbound",
      text: sent,
      // After its suggestion was ready, as an agent writes it; never at the question's instant.
      createdAt: Timestamp.fromMillis(Math.max(Date.now(), at + 1)),
      authorId: "agent-1",
      ...(options.name ? { suggestionId: question.messageId } : {}),
    });
    await deliverMessageCreated(reply);
    return {
      conversation,
      question,
      reply,
      suggestion: (await readSuggestion(question)) as DocumentData,
    };
  }

  it("records sent_as_is, edited and not_used on the suggestion, with the similarity and the message", async () => {
    const asIs = await agentSends(
      "¡Hola María! Tu pedido 4512 salió ayer y llega el viernes por la mañana",
    );
    expect(asIs.suggestion.agentUse).to.deep.include({
      outcome: "sent_as_is",
      outboundMessageId: asIs.reply.messageId,
    });
    expect(asIs.suggestion.agentUse.similarity).to.be.at.least(0.95);
    const edited = await agentSends("Hola María, tu pedido 4512 llega el viernes por la tarde.");
    expect(edited.suggestion.agentUse.outcome).to.equal("edited");
    const notUsed = await agentSends("Te paso con el área de facturación.");
    expect(notUsed.suggestion.agentUse.outcome).to.equal("not_used");
    expect(notUsed.suggestion.agentUse.similarity).to.be.below(0.5);
  });

  it("an option the agent sent counts, and a suggestion named by suggestionId is the one compared", async () => {
    const { suggestion } = await agentSends(`${SUGGESTED} (opción 2)`, {
      settings: { ...GOOD_SETTINGS, suggestionOptions: 3 },
      name: true,
    });
    expect(suggestion.options).to.have.length(3);
    expect(suggestion.agentUse).to.deep.include({ outcome: "sent_as_is", similarity: 1 });
  });

  it("a redelivered agent message is counted once, in the day's metrics per provider and model", async () => {
    const { conversation, reply } = await agentSends(SUGGESTED);
    await deliverMessageCreated(reply);
    const day = new Date().toISOString().slice(0, 10);
    const m = (
      await db().doc(paths.dailyMetrics(conversation.workspaceId, day)).get()
    ).data() as DocumentData;
    expect(m.agentUse).to.deep.equal({ sent_as_is: 1 });
    expect(m.byProvider.llm_studio.agentUse).to.deep.equal({ sent_as_is: 1 });
    expect(m.byModel["gpt-oss-20b"].agentUse).to.deep.equal({ sent_as_is: 1 });
  });

  it("npm run quality prints the acceptance per provider and model", async () => {
    const first = await agentSends(SUGGESTED);
    const { workspaceId } = first.conversation;
    await agentSends("Hola María, tu pedido 4512 llega el viernes por la tarde.", { workspaceId });
    await agentSends("Te paso con el área de facturación.", { workspaceId });
    await agentSends("Ya lo reviso y te aviso.", { workspaceId });

    const env = commandEnv({
      FIRESTORE_EMULATOR_HOST: process.env.FIRESTORE_EMULATOR_HOST as string,
      GCLOUD_PROJECT: process.env.GCLOUD_PROJECT as string,
    });
    const json = await runCommand(
      "src/cli/quality.js",
      ["--workspace", workspaceId, "--json"],
      env,
    );
    expect(json.code, json.stderr).to.equal(0);
    const table = JSON.parse(json.stdout) as QualityTable;
    const provider = table.providers.find((r) => r.name === "llm_studio");
    expect(provider).to.deep.include({ suggestions: 4, measured: 4 });
    expect(provider?.percent).to.deep.equal({ sent_as_is: 25, edited: 25, not_used: 50 });
    expect(provider?.medianLatency).to.match(/^≤ \d+ ms$/);
    expect(provider?.costAvoidedUsd).to.be.above(0);
    expect(table.models.map((r) => r.name)).to.deep.equal(["gpt-oss-20b"]);

    const text = await runCommand(
      "src/cli/quality.js",
      ["--workspace", workspaceId, "--days", "7"],
      env,
    );
    expect(text.stdout).to.match(/llm_studio\s+4\s+25\.0 %\s+25\.0 %\s+50\.0 %/);
    expect(text.stdout).to.contain("gpt-oss-20b");
  });

  it("npm run quality speaks a Spanish terminal's language, the workspace's where the terminal names none, and English with --lang en", async () => {
    const { workspaceId } = (await agentSends(SUGGESTED)).conversation;
    const env = (values: Record<string, string>) =>
      commandEnv({
        FIRESTORE_EMULATOR_HOST: process.env.FIRESTORE_EMULATOR_HOST as string,
        GCLOUD_PROJECT: process.env.GCLOUD_PROJECT as string,
        ...values,
      });
    const quality = (args: string[], values: Record<string, string>) =>
      runCommand("src/cli/quality.js", ["--workspace", workspaceId, ...args], env(values));

    const spanish = await quality([], { LANG: "es_ES.UTF-8" });
    expect(spanish.code, spanish.stderr).to.equal(0);
    expect(spanish.stdout).to.match(
      /^proveedor +sugerencias +tal cual +editadas +sin usar +latencia mediana +costo evitado$/m,
    );
    expect(spanish.stdout)
      .to.contain("(1 día(s) con métricas)")
      .and.contain("Los porcentajes son sobre las sugerencias listas");
    expect(spanish.stdout).to.match(/^llm_studio +1 +100\.0 %/m);

    const english = await quality(["--lang", "en"], { LANG: "es_ES.UTF-8" });
    expect(english.stdout).to.match(/^provider +suggestions +sent as is +edited +not used/m);
    expect(english.stdout).to.not.contain("sugerencias");

    await db().doc(paths.aiSettings(workspaceId)).set({ locale: "es-AR" }, { merge: true });
    const workspace = await quality([], { LANG: "C.UTF-8" });
    expect(workspace.stdout).to.match(/^modelo +sugerencias/m);
    const terminal = await quality([], { LANG: "en_US.UTF-8" });
    expect(terminal.stdout).to.match(/^model +suggestions/m);

    const wrong = await quality(["--lang", "de"], { LANG: "en_US.UTF-8" });
    expect(wrong.code).to.equal(2);
    expect(wrong.stderr).to.contain('--lang must be one of es, en; got "de".');
  });

  it("npm run quality finds the running npm run dev by itself, and says what to set when there is none", async () => {
    const first = await agentSends(SUGGESTED);
    const { workspaceId } = first.conversation;
    const stateFile = join(mkdtempSync(join(tmpdir(), "dev-stack-")), "stack.json");
    // What a running `npm run dev` leaves for the other tools: its emulator, its (live) pid.
    writeFileSync(
      stateFile,
      JSON.stringify({ firestoreHost: process.env.FIRESTORE_EMULATOR_HOST, pid: process.pid }),
    );
    const found = await runCommand(
      "src/cli/quality.js",
      ["--workspace", workspaceId, "--json"],
      commandEnv({ DEV_STACK_STATE_FILE: stateFile }),
    );
    expect(found.code, found.stderr).to.equal(0);
    const table = JSON.parse(found.stdout) as QualityTable;
    expect(table.providers.find((r) => r.name === "llm_studio")).to.deep.include({
      suggestions: 1,
    });

    rmSync(stateFile);
    const none = await runCommand(
      "src/cli/quality.js",
      ["--workspace", workspaceId],
      commandEnv({ DEV_STACK_STATE_FILE: stateFile, GOOGLE_CLOUD_PROJECT: "", GCLOUD_PROJECT: "" }),
    );
    expect(none.code).to.equal(2);
    expect(none.stderr).to.contain("start `npm run dev`").and.contain("FIRESTORE_EMULATOR_HOST");
    expect(none.stderr).to.not.contain("Unable to detect a Project Id");
  });
});
