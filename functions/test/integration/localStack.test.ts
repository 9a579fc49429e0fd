import { expect } from "chai";
import { initializeApp } from "firebase-admin/app";
import { getFirestore } from "firebase-admin/firestore";
import { DEMO_PROJECT_ID } from "../../dev/localStack";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { EMBEDDING_MODEL, FakeLmStudio, refusedUrl } from "../support/fakeLmStudio";
import {
  BUILD_DIR,
  commandEnv,
  runCommand,
  startCommand,
  waitForOutput,
} from "../support/runCommand";

const DEMO = "dev/demoCommand.js";
const DEV = "dev/devCommand.js";
const KB_GAPS = "src/cli/kbGaps.js";

describe("npm run dev and npm run demo (the local stack)", () => {
  const lm = FakeLmStudio.forSuite();
  let stateFile: string;
  beforeEach(() => {
    lm.answer = () => ({
      content:
        "¡Hola Lucía! Si salió ayer, debería llegarte antes del viernes. Te aviso apenas tenga el seguimiento.",
    });
    stateFile = join(mkdtempSync(join(tmpdir(), "dev-stack-")), "stack.json");
  });

  // The commands choose their emulator as the suite did (DEV_FIRESTORE_EMULATOR is inherited).
  const official = () => process.env.TEST_FIRESTORE_EMULATOR === "official";
  const emulatorLine = () =>
    official()
      ? /official Cloud Firestore emulator [\d.]+ at 127\.0\.0\.1:\d+, rules from firestore\.rules/
      : /embedded emulator at 127\.0\.0\.1:\d+; it has no security rules, no transaction isolation, no collection-group queries/;

  const env = (extra: Record<string, string> = {}) =>
    commandEnv({
      LLM_STUDIO_URL: lm.url,
      DEV_STACK_STATE_FILE: stateFile,
      LLM_RETRY_BASE_DELAY_MS: "20",
      ...extra,
    });

  it("demo on its own starts a stack on the emulator it finds, prints the ready suggestion and exits 0", async () => {
    const result = await runCommand(DEMO, [], env());
    expect(result.code, result.stdout + result.stderr).to.equal(0);
    expect(result.stdout).to.contain("No local stack running: started one on the");
    expect(result.stdout).to.match(emulatorLine());
    expect(result.stdout).to.match(/suggestion generating[\s\S]*suggestion ready/);
    expect(result.stdout).to.contain("✓ Suggested reply (llm_studio, gpt-oss-20b");
    expect(result.stdout).to.contain("debería llegarte antes del viernes");
    // The seeded history costs no model calls: one request, for the new message.
    expect(lm.chatRequests()).to.have.length(1);
    const sent = lm.chatRequests()[0].body;
    expect(sent).to.deep.include({ model: "gpt-oss-20b", temperature: 0.3, max_tokens: 150 });
    expect(sent?.messages?.at(-1)?.content).to.contain("antes del viernes");
  });

  it("demo speaks a Spanish terminal's language, and English with --lang en", async () => {
    const spanish = await runCommand(DEMO, [], env({ LANG: "es_ES.UTF-8" }));
    expect(spanish.code, spanish.stdout + spanish.stderr).to.equal(0);
    expect(spanish.stdout)
      .to.contain("No hay un entorno local corriendo: se inició uno en el")
      .and.match(/^Conversación demo-\d+ \(WhatsApp, es-AR\), modelo gpt-oss-20b:$/m)
      .and.match(/sugerencia generating[\s\S]*sugerencia ready/)
      .and.contain("✓ Respuesta sugerida (llm_studio, gpt-oss-20b");
    expect(spanish.stdout).to.not.match(/No local stack|Conversation|Suggested reply|suggestion /);

    const english = await runCommand(DEMO, ["--lang", "en"], env({ LANG: "es_ES.UTF-8" }));
    expect(english.code, english.stdout + english.stderr).to.equal(0);
    expect(english.stdout)
      .to.contain("No local stack running: started one on the")
      .and.match(/^Conversation demo-\d+ \(WhatsApp, es-AR\), model gpt-oss-20b:$/m)
      .and.contain("✓ Suggested reply (llm_studio, gpt-oss-20b");
  });

  it("demo's error in Spanish: the error table's hint and the way without LM Studio", async () => {
    const result = await runCommand(
      DEMO,
      [],
      env({ LLM_STUDIO_URL: await refusedUrl(), LLM_MAX_ATTEMPTS: "1", LANG: "es_AR.UTF-8" }),
    );
    expect(result.code).to.equal(1);
    expect(result.stderr)
      .to.contain("✗ provider_unreachable: ")
      .and.contain("solución: Inicie el servidor de LM Studio")
      .and.contain("¿No hay LM Studio en esta máquina? Reinicie con --simulate-lm-studio");
  });

  it("demo works in bridge mode: the job is queued and a local bridge runs it", async () => {
    const result = await runCommand(
      DEMO,
      [],
      env({ LLM_STUDIO_MODE: "bridge", BRIDGE_HEARTBEAT_MS: "200" }),
    );
    expect(result.code, result.stdout + result.stderr).to.equal(0);
    expect(result.stdout).to.match(/suggestion queued[\s\S]*suggestion ready/);
    expect(result.stdout).to.contain("debería llegarte antes del viernes");
    expect(lm.chatRequests()).to.have.length(1);
  });

  it("demo exits non-zero with the error code and hint when LM Studio is not running", async () => {
    const result = await runCommand(
      DEMO,
      [],
      env({ LLM_STUDIO_URL: await refusedUrl(), LLM_MAX_ATTEMPTS: "1" }),
    );
    expect(result.code).to.equal(1);
    expect(result.stderr)
      .to.contain("provider_unreachable")
      .and.contain("hint: Start the LM Studio server")
      .and.contain("No LM Studio on this machine? Restart with --simulate-lm-studio");
  });

  it("dev turns a created message into a ready suggestion, demo uses it, and Ctrl-C stops it cleanly", async function () {
    this.timeout(90_000);
    const dev = startCommand(DEV, [], env({ DEV_FIRESTORE_PORT: "0", DEV_HEALTH_PORT: "0" }));
    let stderr = "";
    dev.stderr?.on("data", (d) => (stderr += d));
    try {
      const banner = await waitForOutput(dev, /Waiting for messages/);
      expect(banner).to.match(emulatorLine());
      expect(banner).to.match(
        /✓ LM Studio at http:\/\/127\.0\.0\.1:\d+\/v1: 1 model\(s\), loaded: gpt-oss-20b/,
      );
      expect(existsSync(stateFile)).to.equal(true);
      const healthUrl = /Health: (http:\/\/127\.0\.0\.1:\d+\/api\/ai\/health)/.exec(banner)?.[1];
      const health = await fetch(healthUrl as string);
      expect(health.status).to.equal(200);
      expect(
        ((await health.json()) as { llm_studio: { status: string } }).llm_studio.status,
      ).to.equal("healthy");

      const outcome = waitForOutput(
        dev,
        /customer-question {2}ready {2}llm_studio {2}gpt-oss-20b {2}\d+ ms {2}attempts 1/,
      );
      const demo = await runCommand(DEMO, [], env());
      expect(demo.code, demo.stdout + demo.stderr).to.equal(0);
      expect(demo.stdout).to.contain("Using the running local stack");
      await outcome;
      expect(lm.chatRequests()).to.have.length(1);

      const exited = new Promise<number | null>((resolve) => dev.on("close", resolve));
      dev.kill("SIGINT");
      expect(await exited).to.equal(0);
      expect(existsSync(stateFile)).to.equal(false);
    } finally {
      if (dev.exitCode === null) dev.kill("SIGKILL");
    }
    expect(stderr).to.equal("");
  });

  it("demo --rag imports the sample FAQ, shows a grounded suggestion with its sources, then leaves a gap kb:gaps lists", async function () {
    this.timeout(120_000);
    lm.models.push({ ...EMBEDDING_MODEL });
    const dev = startCommand(DEV, [], env({ DEV_FIRESTORE_PORT: "0", DEV_HEALTH_PORT: "0" }));
    try {
      await waitForOutput(dev, /Waiting for messages/);
      const demo = await runCommand(DEMO, ["--rag"], env(), 90_000);
      expect(demo.code, demo.stdout + demo.stderr).to.equal(0);
      expect(demo.stdout).to.contain("Indexed: ready 8, failed 0.");
      expect(demo.stdout).to.match(
        /Lucía: ¿Puedo pagar en cuotas\?[\s\S]*Sources[^\n]*\n\s+· ¿Puedo pagar en cuotas\? {2}https:\/\/ayuda\.ejemplo\.com\/pagos\/cuotas/,
      );
      expect(demo.stdout).to.match(
        /Lucía: ¿Venden tarjetas de regalo para cumpleaños\?[\s\S]*it is now a knowledge gap/,
      );
      // The first answer went out as the agent's reply before the second question was asked.
      expect(demo.stdout).to.contain("Agente (sends the suggestion):");
      const gaps = await runCommand(KB_GAPS, ["--workspace", "demo-workspace"], env());
      expect(gaps.code, gaps.stdout + gaps.stderr).to.equal(0);
      expect(gaps.stdout).to.contain("¿Venden tarjetas de regalo para cumpleaños?");
      expect(gaps.stdout).to.not.contain("¿Puedo pagar en cuotas?");
    } finally {
      dev.kill("SIGINT");
      await new Promise((resolve) => dev.once("close", resolve));
    }
  });

  it("demo --message asks the customer's own question", async () => {
    const demo = await runCommand(DEMO, ["--message", "¿Hacen envíos a Salta?"], env());
    expect(demo.code, demo.stdout + demo.stderr).to.equal(0);
    expect(demo.stdout).to.contain("Lucía: ¿Hacen envíos a Salta?");
    expect(lm.chatRequests().at(-1)?.body?.messages?.at(-1)?.content).to.contain(
      "¿Hacen envíos a Salta?",
    );
  });

  it("dev prints one line per outcome, reprints the LM Studio line when it comes up, states the emulator's limits, answers agents' requests and reports closed conversations", async function () {
    // A failure bound: dev starts its own emulator (a JVM on the official pass) and demo runs too.
    this.timeout(90_000);
    lm.offline = true;
    const dev = startCommand(
      DEV,
      [],
      env({
        DEV_FIRESTORE_PORT: "0",
        DEV_HEALTH_PORT: "0",
        DEV_PROBE_INTERVAL_MS: "150",
        LLM_MAX_ATTEMPTS: "1",
      }),
    );
    try {
      const banner = await waitForOutput(dev, /Waiting for messages/);
      expect(banner).to.match(emulatorLine());
      if (official()) expect(banner).to.not.contain("Frontend: the embedded emulator");
      else expect(banner).to.contain("Frontend: the embedded emulator serves this backend only");
      expect(banner).to.match(/✗ .*\[provider_unreachable\].*Restart with --simulate-lm-studio/);
      lm.offline = false;
      const after = await waitForOutput(dev, /\d\d:\d\d:\d\d {2}✓ LM Studio at/, 5_000);
      expect(after).to.match(/✓ LM Studio at http:\/\/127\.0\.0\.1:\d+\/v1: 1 model\(s\)/);

      lm.faults = [
        { kind: "status", status: 400, body: { error: "line one\nline two\r\nline three" } },
      ];
      const outcome = waitForOutput(dev, /customer-question {2}error .*line three/);
      await runCommand(DEMO, [], env());
      const printed = await outcome;
      const line = printed.split("\n").find((l) => l.includes("customer-question  error"));
      expect(line).to.contain("line one line two line three");

      // Agents' requests run locally too: a rewrite is answered on its document.
      lm.faults = [];
      const host = /emulator(?: [\d.]+)? at (127\.0\.0\.1:\d+)/.exec(banner)?.[1] as string;
      const path = "workspaces/demo-workspace/conversations/local/aiRequests/r-local";
      const answered = waitForOutput(dev, /local\/r-local {2}ready/);
      // The client reads FIRESTORE_EMULATOR_HOST (the suite's own emulator) when it first
      // connects, over settings.host: keep it out of the way while this one talks to dev's.
      const suiteHost = process.env.FIRESTORE_EMULATOR_HOST;
      delete process.env.FIRESTORE_EMULATOR_HOST;
      const devDb = getFirestore(
        initializeApp({ projectId: DEMO_PROJECT_ID }, `dev-${Date.now()}`),
      );
      try {
        devDb.settings({ host, ssl: false });
        await devDb.doc(path).set({
          kind: "rewrite",
          draft: "Hola, ya lo reviso",
          instruction: "formal",
          requestedBy: "agent-1",
          createdAt: new Date(),
        });
        await answered;
        expect((await devDb.doc(path).get()).get("status")).to.equal("ready");

        // Closing a conversation runs its report locally too.
        await devDb.doc("workspaces/demo-workspace/settings/ai").update({ "flags.reports": true });
        const conversation = "workspaces/demo-workspace/conversations/to-close";
        await devDb.doc(conversation).set({ status: "open", channel: "whatsapp" });
        await devDb.doc(`${conversation}/messages/m1`).set({
          direction: "inbound",
          type: "text",
          text: "Gracias, ya llegó.",
          createdAt: new Date(),
        });
        const reported = waitForOutput(dev, /to-close\/\(conversation\) {2}ready/);
        await devDb.doc(conversation).update({ status: "closed" });
        await reported;
        const reports = await devDb.collection(`${conversation}/reports`).get();
        expect(reports.docs.map((d) => d.get("status"))).to.deep.equal(["ready"]);
      } finally {
        process.env.FIRESTORE_EMULATOR_HOST = suiteHost;
        await devDb.terminate();
      }
    } finally {
      dev.kill("SIGKILL");
    }
  });

  it("dev --simulate-lm-studio: without LM Studio, demo still ends in a ready suggestion, said to be simulated", async function () {
    this.timeout(90_000);
    const dev = startCommand(
      DEV,
      ["--simulate-lm-studio"],
      // Nothing listens where LM Studio would be: the simulated server must be the one used.
      env({ LLM_STUDIO_URL: await refusedUrl(), DEV_FIRESTORE_PORT: "0", DEV_HEALTH_PORT: "0" }),
    );
    try {
      const banner = await waitForOutput(dev, /Waiting for messages/);
      expect(banner).to.match(/SIMULATED LM Studio \(--simulate-lm-studio\)/);
      expect(banner).to.match(
        /✓ LM Studio at http:\/\/127\.0\.0\.1:\d+\/v1: 2 model\(s\), loaded: gpt-oss-20b, text-embedding-nomic-embed-text-v1\.5/,
      );
      const demo = await runCommand(DEMO, [], env());
      expect(demo.code, demo.stdout + demo.stderr).to.equal(0);
      expect(demo.stdout).to.contain("✓ Suggested reply (llm_studio, gpt-oss-20b");
      expect(demo.stdout).to.contain("Respuesta simulada");
      expect(lm.chatRequests()).to.have.length(0);

      // The knowledge base, end to end on the running stack: kb:import writes the articles,
      // dev's onKnowledgeWritten indexes them with the simulated embedder, --wait sees them ready.
      const indexed = waitForOutput(dev, /envios--cordoba {2}indexed {2}\d+ chunk\(s\)/);
      const kb = await runCommand(
        "src/cli/kbImport.js",
        [
          "--workspace",
          "demo-workspace",
          "--dir",
          resolve(BUILD_DIR, "../test/fixtures/faq"),
          "--wait",
        ],
        env(),
        60_000,
      );
      expect(kb.code, kb.stdout + kb.stderr).to.equal(0);
      await indexed;
      expect(kb.stdout).to.match(/Indexed: ready \d+, failed 0\./);
    } finally {
      dev.kill("SIGKILL");
    }
  });
});
