import FakeTimers from "@sinonjs/fake-timers";
import { expect } from "chai";
import type { ChildProcess } from "node:child_process";
import { hostname } from "node:os";
import functionsTest from "firebase-functions-test";
import { type DocumentData, Timestamp } from "firebase-admin/firestore";
import { HealthServer, serveHealthEndpoint } from "../../dev/healthServer";
import { MessageAddress, paths } from "../../src/core/paths";
import { rendezvousOrder } from "../../src/core/rendezvous";
import { jobIdOf } from "../../src/queue/jobQueue";
import { parseRuntimeConfig } from "../../src/config/runtimeConfig";
import { probeBridges } from "../../src/health/bridgePresence";
import { sweepBridgeJobs } from "../../src/index";
import { FakeLmStudio } from "../support/fakeLmStudio";
import {
  createMessage,
  customersWriteAtOnce,
  db,
  deliverMessageCreated,
  NOWHERE_URL,
  readSuggestion,
  requestFromInbox,
  seedConversation,
  useSuiteEnv,
} from "../support/harness";
import { commandEnv, startCommand, waitForOutput } from "../support/runCommand";
import { untilDocument, untilQuery, watchDocument } from "../support/watchDocument";

// The scheduled function itself, as Cloud Scheduler would run it.
const wrappedSweep = functionsTest({ projectId: process.env.GCLOUD_PROJECT }).wrap(
  sweepBridgeJobs as never,
) as unknown as (event: object) => Promise<void>;
const tick = () => wrappedSweep({});
const ANSWER = "¡Hola! Tu pedido 4512 sale hoy y llega el viernes.";

describe("bridge mode: the worker beside LM Studio runs the queued jobs", function () {
  this.timeout(30_000);
  const lm = FakeLmStudio.forSuite();
  const bridges: ChildProcess[] = [];

  useSuiteEnv(() => ({
    LLM_STUDIO_MODE: "bridge",
    LLM_STUDIO_URL: lm.url,
    BRIDGE_HEARTBEAT_MS: "200",
    BRIDGE_PICKUP_MS: "1000",
    LLM_MAX_ATTEMPTS: "1",
  }));
  beforeEach(() => {
    lm.answer = () => ({ content: ANSWER });
  });
  afterEach(async () => {
    await Promise.all(
      bridges.splice(0).map(async (bridge) => {
        if (bridge.exitCode !== null || bridge.signalCode !== null) return;
        const exited = new Promise((resolve) => bridge.once("close", resolve));
        // Ctrl-C, not SIGKILL: a bridge killed inside a transaction (a job's finish) leaves the
        // job locked on the emulator until the lock expires, and the cleanup below would wait.
        bridge.kill("SIGINT");
        await exited;
      }),
    );
    // Jobs left by one test must not be taken by the next one's bridges.
    const left = await db().collection(paths.llmJobs()).where("status", "!=", "done").get();
    await Promise.all(left.docs.map((d) => d.ref.update({ status: "done" })));
  });

  const bridgeCommand = (id: string, extra: Record<string, string> = {}): ChildProcess => {
    const bridge = startCommand(
      "src/bridge/bridgeCommand.js",
      ["--id", id],
      commandEnv({
        FIRESTORE_EMULATOR_HOST: process.env.FIRESTORE_EMULATOR_HOST as string,
        GCLOUD_PROJECT: process.env.GCLOUD_PROJECT as string,
        LLM_STUDIO_MODE: "bridge",
        LLM_STUDIO_URL: lm.url,
        OPENAI_BASE_URL: NOWHERE_URL,
        BRIDGE_HEARTBEAT_MS: "200",
        BURST_WINDOW_MS: "0",
        STREAM_FLUSH_MS: "100",
        LLM_MAX_ATTEMPTS: "1",
        LOG_LEVEL: "silent",
        ...extra,
      }),
    );
    bridges.push(bridge);
    return bridge;
  };

  async function startBridge(
    id: string,
    extra: Record<string, string> = {},
  ): Promise<ChildProcess> {
    const bridge = bridgeCommand(id, extra);
    await waitForOutput(bridge, /Bridge \S+ running beside LM Studio/);
    return bridge;
  }

  async function customerWrites(text = "¿Cuándo llega?"): Promise<MessageAddress> {
    const conversation = await seedConversation({});
    return createMessage(conversation, { direction: "inbound", text });
  }

  const jobRef = (address: MessageAddress) =>
    db().doc(paths.llmJob(jobIdOf(paths.suggestion(address))));
  const job = async (address: MessageAddress) =>
    (await jobRef(address).get()).data() as DocumentData;
  /** Resolves once a listener sees the job `done`. */
  const jobDone = (address: MessageAddress) =>
    untilDocument(jobRef(address), (j) => j.status === "done");
  /** Resolves once a listener sees the suggestion in `status`. */
  const suggestionIs = (address: MessageAddress, status: string) =>
    untilDocument(db().doc(paths.suggestion(address)), (s) => s.status === status);
  /** Resolves once a listener sees `count` bridges' presence. */
  const bridgesPresent = (count: number) =>
    untilQuery(db().collection(paths.bridges()), (snapshot) => snapshot.size >= count);

  it("a suggestion queued by the trigger streams into its document from the bridge", async () => {
    await startBridge("office-1");
    lm.chunkDelayMs = 40;
    const address = await customerWrites();
    const watch = watchDocument(db().doc(paths.suggestion(address)));
    let release: () => void = () => undefined;
    lm.gate = new Promise((resolve) => (release = resolve));
    // The trigger's invocation ends while the model has not answered (the gate is still shut).
    await deliverMessageCreated(address);
    expect((await readSuggestion(address))?.status).to.equal("queued");
    await lm.until(() => lm.inFlight === 1);
    await watch.until("generating");
    release();
    await jobDone(address);
    await watch.until("ready");
    watch.stop();
    expect(watch.statuses()).to.deep.equal(["queued", "generating", "streaming", "ready"]);
    expect(await readSuggestion(address)).to.deep.include({ text: ANSWER, provider: "llm_studio" });
    expect(await job(address)).to.deep.include({ status: "done", runs: 1, bridgeId: "office-1" });
    expect(lm.chatRequests()).to.have.length(1);
  });

  it("a bridge whose LM Studio does not answer says so and takes no job; once LM Studio answers it takes the job", async () => {
    lm.offline = true;
    const bridge = bridgeCommand("office-waiting");
    const banner = await waitForOutput(bridge, /Bridge office-waiting running beside LM Studio/);
    expect(banner).to.match(
      /which does not answer: .+ \[provider_unreachable\]\. It takes no jobs until LM Studio answers\./,
    );
    const presence = () => db().doc(paths.bridge("office-waiting")).get();
    expect((await presence()).get("lmStudio")).to.deep.include({ ready: false });

    const address = await customerWrites();
    await deliverMessageCreated(address);
    expect((await readSuggestion(address))?.status).to.equal("queued");
    // Two heartbeats after the job was queued (the bridge saw it on its queue), it is untouched.
    const seenAt = (await presence()).get("lastSeen").toMillis();
    await untilDocument(
      db().doc(paths.bridge("office-waiting")),
      (p) => p.lastSeen.toMillis() > seenAt + 200,
    );
    expect(await job(address)).to.deep.include({ status: "queued", runs: 0 });
    expect(lm.chatRequests()).to.have.length(0);

    lm.offline = false;
    await waitForOutput(bridge, /LM Studio answers: taking jobs\./);
    await jobDone(address);
    expect(await readSuggestion(address)).to.deep.include({ status: "ready", text: ANSWER });
  });

  it("a bridge killed mid-job: its lease runs out, another bridge takes over, the model is asked once more", async () => {
    lm.chunkDelayMs = 300;
    const first = await startBridge("office-1");
    const address = await customerWrites();
    await deliverMessageCreated(address);
    await suggestionIs(address, "streaming");
    first.kill("SIGKILL");
    lm.chunkDelayMs = 0;
    await startBridge("office-2");
    await jobDone(address);
    expect(await readSuggestion(address)).to.deep.include({ status: "ready", text: ANSWER });
    expect(await job(address)).to.deep.include({ runs: 2, bridgeId: "office-2" });
    expect(lm.chatRequests()).to.have.length(2);
  });

  it("two bridges share the queue: each takes jobs while the other is busy, and none runs twice", async () => {
    // Leases of 3 s: on a busy machine a 600 ms one may lapse, and a takeover is another test's.
    await Promise.all([
      startBridge("office-1", { BRIDGE_HEARTBEAT_MS: "1000" }),
      startBridge("office-2", { BRIDGE_HEARTBEAT_MS: "1000" }),
    ]);
    let release: () => void = () => undefined;
    lm.gate = new Promise((resolve) => (release = resolve));
    const { addresses } = await customersWriteAtOnce(8);
    await Promise.all(addresses.map((a) => deliverMessageCreated(a)));
    // Both bridges at their LLM_CONCURRENCY (2) at once: the idle one did not wait its turn.
    await lm.until(() => lm.inFlight === 4);
    const running = (await Promise.all(addresses.map(job))).filter((j) => j.status === "running");
    expect(new Set(running.map((j) => j.bridgeId))).to.deep.equal(
      new Set(["office-1", "office-2"]),
    );
    release();
    await Promise.all(addresses.map((a) => suggestionIs(a, "ready")));
    expect(lm.chatRequests()).to.have.length(8);
    expect(lm.maxInFlight).to.equal(4);
    const jobs = await Promise.all(addresses.map(job));
    expect(jobs.map((j) => j.runs)).to.deep.equal(Array(8).fill(1));
  });

  it("a conversation's jobs stay on one bridge while it is live, and move to the other when it stops", async () => {
    // Beats slow enough that a loaded machine never makes a live bridge look silent, and a grace
    // no pickup outlasts: which bridge runs a job depends on presence alone, never on a clock.
    const steady = { BRIDGE_HEARTBEAT_MS: "3000", BRIDGE_HOME_GRACE_MS: "60000" };
    const started = {
      "office-1": await startBridge("office-1", steady),
      "office-2": await startBridge("office-2", steady),
    };
    const conversation = await seedConversation({});
    // Each bridge has seen the other's presence before the first job.
    await bridgesPresent(2);
    const served: string[] = [];
    const ask = async (text: string) => {
      const address = await createMessage(conversation, { direction: "inbound", text });
      await deliverMessageCreated(address);
      await jobDone(address);
      served.push((await job(address)).bridgeId);
      await createMessage(conversation, { direction: "outbound", text: "Ya te respondo." });
    };
    for (const text of ["Hola", "¿Cuándo llega?", "¿Y el envío?"]) await ask(text);
    expect(new Set(served).size, served.join(", ")).to.equal(1);
    // Its home stops (Ctrl-C): the next job goes to the other bridge at once, not after the grace
    // and without waiting for the sweep.
    const home = served[0] as keyof typeof started;
    const exited = new Promise((resolve) => started[home].once("close", resolve));
    started[home].kill("SIGINT");
    await exited;
    await ask("¿Sigue ahí?");
    expect(served.at(-1)).to.equal(home === "office-1" ? "office-2" : "office-1");
  });

  it("a conversation's home bridge that crashes (no Ctrl-C, its presence still live): once the grace is over, the other bridge runs the job", async () => {
    // Beats slow enough that the crashed home still looks live when the job comes: the other
    // bridge hands it over because the grace ran out, not because the home fell silent.
    const steady = { BRIDGE_HEARTBEAT_MS: "30000", BRIDGE_HOME_GRACE_MS: "1000" };
    const started = {
      "office-1": await startBridge("office-1", steady),
      "office-2": await startBridge("office-2", steady),
    };
    const conversation = await seedConversation({});
    await bridgesPresent(2);
    const affinity = `${conversation.workspaceId}/${conversation.conversationId}`;
    const [home, other] = rendezvousOrder(affinity, ["office-1", "office-2"] as const, (id) => id);
    const crashed = new Promise((resolve) => started[home].once("close", resolve));
    started[home].kill("SIGKILL");
    await crashed;
    const presence = (await db().doc(paths.bridge(home)).get()).data();
    expect(presence?.stoppedAt).to.equal(null);

    try {
      const address = await createMessage(conversation, { direction: "inbound", text: "Hola" });
      await deliverMessageCreated(address);
      await jobDone(address);
      expect(await job(address)).to.deep.include({ bridgeId: other, runs: 1 });
      expect(await readSuggestion(address)).to.deep.include({ status: "ready", text: ANSWER });
    } finally {
      // Their presence would look live for two of their 30 s beats: the next tests count bridges.
      const stopped = new Promise((resolve) => started[other].once("close", resolve));
      started[other].kill("SIGKILL");
      await stopped;
      await Promise.all([home, other].map((id) => db().doc(paths.bridge(id)).delete()));
    }
  });

  it("an agent regenerates a suggestion the bridge made: the same job runs again as run 2, and the request mirrors it", async () => {
    // Leases of 3 s: a 600 ms one may lapse on a busy machine, and a takeover is another test's.
    await startBridge("office-1", { BRIDGE_HEARTBEAT_MS: "1000" });
    const address = await customerWrites();
    await deliverMessageCreated(address);
    await jobDone(address);
    expect(await readSuggestion(address)).to.deep.include({ status: "ready", version: 1 });

    lm.answer = () => ({ content: "¡Hola! Sale hoy; te paso el seguimiento apenas lo tenga." });
    const request = await requestFromInbox(
      { workspaceId: address.workspaceId, conversationId: address.conversationId },
      { kind: "regenerate", messageId: address.messageId },
    );
    await request.deliver();
    await untilDocument(db().doc(request.path), (r) => r.status === "ready");
    expect(await readSuggestion(address)).to.deep.include({
      status: "ready",
      version: 2,
      requestId: request.requestId,
      text: "¡Hola! Sale hoy; te paso el seguimiento apenas lo tenga.",
    });
    // The bridge marks its job done after it wrote the result: wait for that write.
    const jobWatch = watchDocument(db().doc(paths.llmJob(jobIdOf(paths.suggestion(address)))));
    const [done] = (await jobWatch.until((j) => j.status === "done" && j.runs === 2)).slice(-1);
    jobWatch.stop();
    expect(done).to.deep.include({ status: "done", runs: 2 });
    expect(lm.chatRequests()).to.have.length(2);
  });

  it("a job superseded while queued is never run", async () => {
    const conversation = await seedConversation({});
    const at = Date.now();
    const older = await createMessage(conversation, {
      direction: "inbound",
      text: "hola",
      createdAt: Timestamp.fromMillis(at),
    });
    await deliverMessageCreated(older);
    expect((await readSuggestion(older))?.status).to.equal("queued");
    const newer = await createMessage(conversation, {
      direction: "inbound",
      text: "¿y mi pedido?",
      createdAt: Timestamp.fromMillis(at + 1),
    });
    await deliverMessageCreated(newer);
    expect((await readSuggestion(newer))?.status).to.equal("queued");
    await startBridge("office-1");
    await Promise.all([suggestionIs(newer, "ready"), suggestionIs(older, "superseded")]);
    expect(lm.chatRequests()).to.have.length(1);
  });

  describe("no bridge picks the job up within BRIDGE_PICKUP_MS (the scheduled sweep)", () => {
    /**
     * Runs the sweep once, as its schedule would, when the job is overdue. Only Date is faked, and
     * it keeps pace with real time: the clock jumps past BRIDGE_PICKUP_MS instead of the test
     * waiting it out, while timers, sockets and Firestore run as they do.
     */
    const sweepOverdue = async (address: MessageAddress) => {
      // The job follows the suggestion's `queued` claim in a transaction of its own.
      await untilDocument(jobRef(address), (j) => j.status === "queued");
      const clock = FakeTimers.install({
        now: Date.now(),
        toFake: ["Date"],
        shouldAdvanceTime: true,
      });
      try {
        clock.tick(Number(process.env.BRIDGE_PICKUP_MS) + 1);
        await tick();
      } finally {
        clock.uninstall();
      }
    };

    it("falls back to OpenAI where the workspace allows it", async () => {
      const cloud = await FakeLmStudio.start();
      try {
        cloud.models = [{ id: "gpt-4o-mini", state: "loaded" }];
        process.env.OPENAI_API_KEY = "sk-test";
        process.env.OPENAI_BASE_URL = cloud.url;
        const address = await customerWrites();
        await deliverMessageCreated(address);
        process.env.BRIDGE_PICKUP_MS = "600000";
        await tick();
        expect((await readSuggestion(address))?.status, "not yet due").to.equal("queued");
        process.env.BRIDGE_PICKUP_MS = "1000";
        await sweepOverdue(address);
        expect(await readSuggestion(address)).to.deep.include({
          status: "ready",
          provider: "openai",
          fallbackFrom: { provider: "llm_studio", code: "bridge_offline" },
        });
        expect(lm.chatRequests()).to.have.length(0);
        expect(await job(address)).to.deep.include({ status: "done", bridgeId: "cloud-sweeper" });
      } finally {
        await cloud.close();
      }
    });

    it("otherwise ends bridge_offline, with the hint to start the bridge", async () => {
      const address = await customerWrites();
      await deliverMessageCreated(address);
      await sweepOverdue(address);
      const s = (await readSuggestion(address)) as DocumentData;
      expect(s.status).to.equal("error");
      expect(s.error.code).to.equal("bridge_offline");
      expect(s.error.message).to.contain("npm run bridge");
      expect(s.error.hint).to.contain("npm run bridge");
    });
  });

  describe("presence and health", () => {
    let health: HealthServer;
    before(async () => {
      health = await serveHealthEndpoint(0);
    });
    after(() => health.close());

    it("a running bridge keeps its presence; health is 200 without hosts, 503 once it stops", async () => {
      process.env.HEALTH_CACHE_MS = "0";
      const bridge = await startBridge("office-presence");
      const presence = (
        await db().doc(paths.bridge("office-presence")).get()
      ).data() as DocumentData;
      // Each model with its type, which the console shows (LM Studio says llm or embeddings).
      expect(presence.models).to.deep.include({ id: "gpt-oss-20b", state: "loaded", type: "llm" });
      const probed = await probeBridges(db(), parseRuntimeConfig(process.env));
      expect(probed.lmStudio.servers.flatMap((s) => s.models)).to.deep.include({
        id: "gpt-oss-20b",
        state: "loaded",
        type: "llm",
      });
      expect(presence).to.include.keys("lastSeen", "inFlight", "host");

      const up = await fetch(health.url);
      const body = await up.text();
      expect(up.status).to.equal(200);
      expect(JSON.parse(body)).to.deep.include({ status: "healthy", mode: "bridge" });
      // A bridge is not asked anything: no latency, the age of its presence instead.
      expect(JSON.parse(body).llm_studio).to.deep.include({
        latencyMs: null,
        servers: { healthy: 1, total: 1 },
      });
      expect(JSON.parse(body).llm_studio.presenceAgeMs).to.be.a("number");
      expect(JSON.parse(body).llm_studio.models).to.deep.include({
        id: "gpt-oss-20b",
        state: "loaded",
      });
      expect(body).not.to.contain(hostname()).and.not.to.contain("office-presence");

      const exited = new Promise((resolve) => bridge.on("close", resolve));
      bridge.kill("SIGINT");
      await exited;
      const down = await fetch(health.url);
      expect(down.status).to.equal(503);
      const others = JSON.parse(await down.text());
      expect(others.llm_studio.error.code).to.equal("bridge_offline");
      // Stopped with Ctrl-C, it counts nowhere: no dead server lingers in the counts.
      expect(others.llm_studio.servers).to.deep.equal({ healthy: 0, total: 0 });
    });
  });
});
