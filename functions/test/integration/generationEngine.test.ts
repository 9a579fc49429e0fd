import { cloudPlacement } from "../../src/executors/cloudPlacement";
import { expect } from "chai";
import { randomUUID } from "node:crypto";
import { paths } from "../../src/core/paths";
import type { GenerationTask } from "../../src/engine/generationTask";
import { runGenerationTask } from "../../src/engine/runGenerationTask";
import { FakeLmStudio } from "../support/fakeLmStudio";
import { db, GOOD_SETTINGS, useSuiteEnv } from "../support/harness";

/*
 * The engine runs any task the same way. This task exists only here: it knows nothing of
 * messages or suggestions, only what it reads, how it prompts and where its result lives, and
 * it gets the claim, the provider call, the recorded outcome and the metrics from the engine.
 */
interface EchoJob {
  workspaceId: string;
  id: string;
  topic: string;
}

const echoTask: GenerationTask<EchoJob, { topic: string }> = {
  name: "echo",
  streams: false,
  prepare: (job) => ({
    job,
    decision: job.topic === "" ? { kind: "ignored", reason: "no_topic" } : { kind: "run" },
    target: {
      workspaceId: job.workspaceId,
      path: `workspaces/${job.workspaceId}/echoes/${job.id}`,
      identity: { workspaceId: job.workspaceId, echoId: job.id },
      logFields: { workspaceId: job.workspaceId, echoId: job.id },
    },
  }),
  modelRequest: (settings) => ({ settings, model: "qwen3-8b", temperature: 0.1, maxTokens: 42 }),
  loadContext: async (_db, job) => ({ topic: job.topic }),
  buildPrompt: (context) => ({
    messages: [
      { role: "system", content: "Summarise." },
      { role: "user", content: context.topic },
    ],
    trace: { chars: context.topic.length },
  }),
  resultFields: () => ({}),
};

describe("the generation engine runs any task", () => {
  const lm = FakeLmStudio.forSuite();
  useSuiteEnv(() => ({
    LLM_STUDIO_URL: lm.url,
    LLM_MAX_ATTEMPTS: "1",
  }));
  beforeEach(() => {
    lm.models.push({ id: "qwen3-8b", state: "loaded" });
  });

  async function workspace(): Promise<string> {
    const workspaceId = `ws-${randomUUID().slice(0, 8)}`;
    await db().doc(paths.aiSettings(workspaceId)).set(GOOD_SETTINGS);
    return workspaceId;
  }

  it("claims, prompts with the task's own model settings, records the result and counts it", async () => {
    lm.answer = () => ({ content: "Resumen listo." });
    const workspaceId = await workspace();
    const job = { workspaceId, id: "e1", topic: "pedido 4512" };

    const first = await runGenerationTask(echoTask, job, {
      db: db(),
      timeoutMs: 60_000,
      placement: cloudPlacement(),
    });
    const again = await runGenerationTask(echoTask, job, {
      db: db(),
      timeoutMs: 60_000,
      placement: cloudPlacement(),
    });

    expect(first.kind).to.equal("recorded");
    expect(again).to.deep.equal({ kind: "duplicate", existingStatus: "ready" });
    const [request] = lm.chatRequests();
    expect(lm.chatRequests()).to.have.length(1);
    expect(request.body).to.deep.include({ model: "qwen3-8b", temperature: 0.1, max_tokens: 42 });
    const result = (await db().doc(`workspaces/${workspaceId}/echoes/e1`).get()).data();
    expect(result).to.deep.include({
      status: "ready",
      text: "Resumen listo.",
      echoId: "e1",
      model: "qwen3-8b",
      claims: 1,
    });
    const day = new Date().toISOString().slice(0, 10);
    const metrics = (await db().doc(paths.dailyMetrics(workspaceId, day)).get()).data();
    expect(metrics).to.deep.include({ requests: 1, ready: 1 });
  });

  it("ignores a job its task declines before touching Firestore or a model", async () => {
    // Any use of this database is a read or a write the engine should not have made.
    const untouchable = new Proxy({} as FirebaseFirestore.Firestore, {
      get: (_target, member) => {
        throw new Error(`the engine used Firestore (${String(member)}) for an ignored job`);
      },
    });
    const workspaceId = await workspace();
    const result = await runGenerationTask(
      echoTask,
      { workspaceId, id: "e2", topic: "" },
      { db: untouchable, timeoutMs: 60_000, placement: cloudPlacement() },
    );
    expect(result).to.deep.equal({ kind: "ignored", reason: "no_topic" });
    expect((await db().doc(`workspaces/${workspaceId}/echoes/e2`).get()).exists).to.equal(false);
    expect(lm.chatRequests()).to.have.length(0);
  });

  it("closes the model call when the caller's signal aborts", async () => {
    lm.faults = [{ kind: "hang" }];
    const workspaceId = await workspace();
    const controller = new AbortController();
    const result = runGenerationTask(
      echoTask,
      { workspaceId, id: "e3", topic: "largo" },
      { db: db(), timeoutMs: 60_000, placement: cloudPlacement(), signal: controller.signal },
    );
    // Aborted once the request is at the server (it hangs there until the client leaves).
    await lm.until(() => lm.inFlight === 1);
    controller.abort();
    expect((await result).kind).to.equal("recorded");
    expect(lm.chatRequests()).to.have.length(1);
    expect(lm.disconnects, "the server saw the client leave").to.have.length(1);
  });
});
