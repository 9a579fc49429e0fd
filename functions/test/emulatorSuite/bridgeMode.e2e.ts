import { expect } from "chai";
import { ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { FUNCTIONS_DIR } from "../../src/config/devStackState";
import { createInterface } from "node:readline";
import { Timestamp } from "firebase-admin/firestore";
import { paths } from "../../src/core/paths";
import { jobIdOf } from "../../src/queue/jobQueue";
import { FakeLmStudio } from "../support/fakeLmStudio";
import { PROJECT_ID } from "./suiteProject";
import { suiteForDescribe } from "./suiteWorld";
import { adminUntil, statusSequence, streamAsTheAgentSees, watchDocument } from "./suiteClients";

/*
 * Bridge mode through the emulator suite: the functions queue jobs, the scheduled sweep (fired
 * as Cloud Scheduler fires it, by a Pub/Sub message) ends the ones no bridge took, and
 * `npm run bridge`, a process of its own beside "LM Studio", answers them.
 */

const PICKUP_MS = 1_000;
const SWEEP_TOPIC = "firebase-schedule-sweepBridgeJobs";

describe("the emulator suite runs the deployed functions (bridge mode)", function () {
  this.timeout(180_000);
  const lm = FakeLmStudio.forSuite();
  const world = suiteForDescribe(
    "bridge",
    () => ({
      LLM_STUDIO_MODE: "bridge",
      // The functions cannot reach LM Studio in bridge mode; only the bridge does.
      LLM_STUDIO_URL: "http://127.0.0.1:9",
      BRIDGE_PICKUP_MS: String(PICKUP_MS),
      OPENAI_BASE_URL: "http://127.0.0.1:9",
    }),
    {
      ai_enabled: true,
      provider: "llm_studio",
      defaultModel: "gpt-oss-20b",
      flags: { suggestions: true, provider_ready: true },
    },
  );

  it("the scheduled sweep, fired through Pub/Sub, ends a job no bridge took bridge_offline", async () => {
    const agent = await world.clients.member(world.workspaceId, "agent");
    const messageId = `m-${Date.now()}`;
    const where = await world.conversation();
    const watch = watchDocument(agent.db, paths.suggestion({ ...where, messageId }));
    await watch.until("the listener's first snapshot", () => true);
    await world.customerWrites(where, "¿Tienen envío a Rosario?", messageId);
    await watch.until("queued", (d) => d?.status === "queued");

    // The claim shows `queued` at once; the job itself follows in the queue's own transaction.
    const jobRef = world.clients.admin.db.doc(
      paths.llmJob(jobIdOf(paths.suggestion({ ...where, messageId }))),
    );
    const job = await adminUntil(
      jobRef,
      "queued with its time",
      (d) => d?.status === "queued" && d.createdAt instanceof Timestamp,
    );
    // The sweep takes jobs whose createdAt is at least BRIDGE_PICKUP_MS old. It runs in the
    // Functions emulator, whose clock the test cannot move: the job is moved back instead, to
    // where it stands once the pickup time has passed, rather than the test waiting it out.
    const queuedAt = (job?.createdAt as Timestamp).toMillis();
    await jobRef.update({ createdAt: Timestamp.fromMillis(queuedAt - PICKUP_MS - 1_000) });
    const published = await fetch(
      `http://${world.project.suite.hosts.pubsub}/v1/projects/${PROJECT_ID}/topics/${SWEEP_TOPIC}:publish`,
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ messages: [{ data: Buffer.from("{}").toString("base64") }] }),
      },
    );
    expect(published.status, await published.clone().text()).to.equal(200);

    const ended = await watch.until(
      "an outcome",
      (d) => d?.status === "error" || d?.status === "ready",
    );
    watch.stop();
    // The sweep claims the job (`generating`) and records its outcome a few milliseconds later:
    // a listener may see both writes as one change, so `generating` may or may not show.
    const seen = statusSequence(watch.snapshots).filter((s) => s !== "generating");
    expect(seen).to.deep.equal(["(none)", "queued", "error"]);
    expect(ended?.error).to.include({ code: "bridge_offline" });
    expect(lm.chatRequests()).to.have.length(0);
  });

  it("npm run bridge, pointed at the suite's Firestore, answers a queued job", async () => {
    // `npm run bridge` builds lib/ when a source is newer, then runs this file: a build would
    // rewrite the lib/ the Functions emulator is serving (and make it reload), so the test runs
    // the compiled command, as the script does after its build.
    const bridge: ChildProcess = spawn(process.execPath, ["lib/bridge/bridgeCommand.js"], {
      cwd: FUNCTIONS_DIR,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        FIRESTORE_EMULATOR_HOST: world.project.suite.hosts.firestore,
        GCLOUD_PROJECT: PROJECT_ID,
        LLM_STUDIO_MODE: "bridge",
        LLM_STUDIO_URL: lm.url,
        BRIDGE_HEARTBEAT_MS: "500",
        LOG_LEVEL: "error",
        // The banner's English, whatever the developer's terminal speaks.
        LANG: "en_US.UTF-8",
        LC_ALL: "",
        LC_MESSAGES: "",
        // Never the developer's own running stack.
        DEV_STACK_STATE_FILE: join(world.project.dir, "no-stack.json"),
      },
    });
    const output: string[] = [];
    const exited = new Promise<number | null>((r) => bridge.once("exit", (code) => r(code)));
    try {
      await new Promise<void>((resolveRunning, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`the bridge never said it was running: ${output.join("\n")}`)),
          60_000,
        );
        for (const stream of [bridge.stdout, bridge.stderr]) {
          createInterface({ input: stream! }).on("line", (line) => {
            output.push(line);
            if (!/^Bridge \S+ running beside LM Studio/.test(line)) return;
            clearTimeout(timer);
            resolveRunning();
          });
        }
        void exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`the bridge exited (${code}): ${output.join("\n")}`));
        });
      });

      const agent = await world.clients.member(world.workspaceId, "agent");
      const messageId = `m-${Date.now()}`;
      const where = await world.conversation();
      const watch = watchDocument(agent.db, paths.suggestion({ ...where, messageId }));
      await watch.until("the listener's first snapshot", () => true);
      lm.answer = () => ({ content: "¡Sí! Enviamos a Rosario en 48 horas." });
      streamAsTheAgentSees(lm, watch);
      await world.customerWrites(where, "¿Tienen envío a Rosario?", messageId);
      const ready = await watch.until(
        "an outcome",
        (d) => d?.status === "ready" || d?.status === "error",
      );
      watch.stop();
      expect(statusSequence(watch.snapshots)).to.deep.equal([
        "(none)",
        "queued",
        "generating",
        "streaming",
        "ready",
      ]);
      expect(ready).to.deep.include({
        text: "¡Sí! Enviamos a Rosario en 48 horas.",
        provider: "llm_studio",
      });
    } finally {
      // Ctrl-C, as an operator stops it; a bridge that does not stop in 15 s is killed.
      bridge.kill("SIGINT");
      const force = setTimeout(() => bridge.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(force);
    }
    expect(
      output.some((line) => / run 1 {2}ready /.test(line)),
      output.join("\n"),
    ).to.equal(true);
  });
});
