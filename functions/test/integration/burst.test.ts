import { expect } from "chai";
import { Timestamp } from "firebase-admin/firestore";
import pLimit from "p-limit";
import { paths } from "../../src/core/paths";
import { FakeLmStudio, Fault } from "../support/fakeLmStudio";
import {
  createMessage,
  db,
  messageCreatedEvent,
  seedConversation,
  useSuiteEnv,
} from "../support/harness";

/*
 * The inbox at its busiest: many conversations at once, customers writing several messages in
 * a row, a model server failing now and then, and at-least-once delivery handing every event
 * over twice. On the official emulator this is where transactions contend, listeners come and
 * go under commits, and a commit's answer can be lost (`2 UNKNOWN:`).
 */
const TERMINAL = ["ready", "error", "skipped", "superseded"];

describe("a burst: 100 conversations × 10 messages, 5% server errors, every event twice", function () {
  const lm = FakeLmStudio.forSuite();

  useSuiteEnv(() => ({
    LLM_STUDIO_URL: lm.url,
    LLM_MAX_ATTEMPTS: "3",
    LLM_CONCURRENCY: "8",
    LLM_RETRY_BASE_DELAY_MS: "10",
    LLM_TIMEOUT_MS: "60000",
  }));

  it("ends every message in a terminal state, no invocation throws, and each model answer is recorded once", async function () {
    // A failure bound only: the test waits on the deliveries themselves.
    this.timeout(900_000);
    const conversations = 100;
    const perConversation = 10;
    // Every 20th model request answers 500: retried, then recorded as it ends.
    lm.faults = Array.from({ length: conversations * perConversation * 3 }, (_, i): Fault =>
      i % 20 === 7
        ? {
            kind: "status",
            status: 500,
            body: {
              error: "The model has crashed without additional information. (Exit code: null)",
            },
          }
        : { kind: "delay", ms: 0 },
    );
    const { workspaceId } = await seedConversation({});
    const addresses = [];
    // Each message a millisecond after the one before in its conversation, by its own time
    // rather than by when the test wrote it: which one is the newest never rests on a clock tick.
    const typedAt = Date.now() - perConversation;
    for (let c = 0; c < conversations; c += 1) {
      const conversation = await seedConversation({ workspaceId });
      for (let m = 0; m < perConversation; m += 1) {
        addresses.push(
          await createMessage(conversation, {
            direction: "inbound",
            text: `mensaje ${m}`,
            createdAt: Timestamp.fromMillis(typedAt + m),
          }),
        );
      }
    }
    const events = await Promise.all(addresses.map((a) => messageCreatedEvent(a)));
    // Every event twice, in an order no one planned, a few dozen in flight as instances would.
    const deliveries = [...events, ...events]
      .map((deliver, i) => ({ deliver, order: (i * 7919) % (events.length * 2) }))
      .sort((a, b) => a.order - b.order);
    const limit = pLimit(40);
    const thrown: unknown[] = [];
    await Promise.all(
      deliveries.map(({ deliver }) => limit(() => deliver().catch((err) => thrown.push(err)))),
    );

    expect(thrown.map(String), "invocations that threw").to.deep.equal([]);
    const statuses = await Promise.all(
      addresses.map(async (a) => (await db().doc(paths.suggestion(a)).get()).get("status")),
    );
    const notTerminal = statuses.filter((s) => !TERMINAL.includes(s));
    expect(notTerminal, "suggestions not in a terminal state").to.deep.equal([]);
    // The newest message of each conversation owns it: it is never superseded.
    const newest = addresses.filter((_, i) => i % perConversation === perConversation - 1);
    for (const a of newest) {
      const status = (await db().doc(paths.suggestion(a)).get()).get("status");
      expect(["ready", "error"], `${a.conversationId}'s newest message`).to.include(status);
    }
    // Each ready suggestion counted once in the day's metrics, however often its event came.
    const ready = statuses.filter((s) => s === "ready").length;
    const day = new Date().toISOString().slice(0, 10);
    const metrics = (await db().doc(paths.dailyMetrics(workspaceId, day)).get()).data();
    expect(metrics?.ready, "ready suggestions counted").to.equal(ready);
  });
});
