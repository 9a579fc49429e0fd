import { expect } from "chai";
import { FieldValue, Timestamp } from "firebase-admin/firestore";
import { randomUUID } from "node:crypto";
import { paths } from "../../src/core/paths";
import { utcDay } from "../../src/core/utcDay";
import { writeOutcome } from "../../src/results/outcomeWrite";
import { releaseClaim } from "../../src/results/resultClaims";
import { db } from "../support/harness";

/*
 * Write semantics the backend relies on, as real Firestore has them. The embedded emulator is
 * corrected to match (dev/embeddedFirestore.ts): each correction has a test here that fails on
 * the embedded emulator without it, and the same tests on the official emulator show that the
 * corrections are what Firestore does.
 */
describe("Firestore writes behave as in production", () => {
  const ref = () => db().doc(`writeSemantics/${randomUUID()}`);

  it("FieldValue.delete() removes a field, nested ones too, beside other changes", async () => {
    const doc = ref();
    await doc.set({ text: "parcial", keep: 1, error: { code: "x", hint: "h" } });
    await doc.update({
      text: FieldValue.delete(),
      "error.hint": FieldValue.delete(),
      status: "ready",
      updatedAt: FieldValue.serverTimestamp(),
    });
    const data = (await doc.get()).data();
    expect(data).to.not.have.property("text");
    expect(data?.error).to.deep.equal({ code: "x" });
    expect(data).to.include({ keep: 1, status: "ready" });
    expect(data).to.have.property("updatedAt");
  });

  it("every transform of one write applies: two server timestamps and nested increments", async () => {
    const doc = ref();
    await doc.set({ status: "generating", metrics: { byModel: { "gpt-oss-20b": { ready: 1 } } } });
    await doc.update({
      status: "ready",
      updatedAt: FieldValue.serverTimestamp(),
      completedAt: FieldValue.serverTimestamp(),
      "metrics.byModel.gpt-oss-20b.ready": FieldValue.increment(2),
      "metrics.latency.histogram.le_500": FieldValue.increment(1),
    });
    const data = (await doc.get()).data();
    expect(data?.updatedAt).to.be.instanceOf(Timestamp);
    expect(data?.completedAt).to.be.instanceOf(Timestamp);
    expect(data?.metrics).to.deep.equal({
      byModel: { "gpt-oss-20b": { ready: 3 } },
      latency: { histogram: { le_500: 1 } },
    });
  });

  it("a plain set() replaces the document; a merge set() keeps other fields and adds increments", async () => {
    const doc = ref();
    await doc.set({ a: 1, b: 2 });
    await doc.set({ c: 3 });
    expect((await doc.get()).data()).to.deep.equal({ c: 3 });
    await doc.set(
      { counts: { n: FieldValue.increment(2) }, at: FieldValue.serverTimestamp() },
      { merge: true },
    );
    await doc.set({ counts: { n: FieldValue.increment(1) } }, { merge: true });
    const data = (await doc.get()).data();
    expect(data).to.include({ c: 3 });
    expect(data?.counts).to.deep.equal({ n: 3 });
  });

  it("a paged read with startAfter visits every document once, in order, ties by name", async () => {
    const messages = db().collection(`writeSemantics/${randomUUID()}/messages`);
    const batch = db().batch();
    // Four messages share each timestamp, as a batch with one server time would write them.
    for (let i = 0; i < 25; i += 1) {
      batch.set(messages.doc(`m${String(i).padStart(2, "0")}`), {
        i,
        createdAt: Timestamp.fromMillis(1_000 * Math.floor(i / 4)),
      });
    }
    await batch.commit();
    const seen: number[] = [];
    let last: FirebaseFirestore.QueryDocumentSnapshot | undefined;
    for (let page = 0; page < 10; page += 1) {
      const query = messages.orderBy("createdAt", "desc").limit(7);
      const snapshot = await (last ? query.startAfter(last) : query).get();
      if (snapshot.empty) break;
      seen.push(...snapshot.docs.map((d) => d.get("i") as number));
      last = snapshot.docs.at(-1);
    }
    expect(seen).to.deep.equal(Array.from({ length: 25 }, (_, i) => 24 - i));
    const skipped = await messages.orderBy("createdAt").offset(20).get();
    expect(skipped.docs.map((d) => d.get("i"))).to.deep.equal([20, 21, 22, 23, 24]);
    const before = await messages.orderBy("createdAt").endBefore(Timestamp.fromMillis(1_000)).get();
    expect(before.docs.map((d) => d.get("i"))).to.deep.equal([0, 1, 2, 3]);
  });

  it("an outcome written twice by its run (a retried commit) is recorded and counted once; another run's claim is left alone", async () => {
    const workspaceId = `ws-${randomUUID().slice(0, 8)}`;
    const target = {
      workspaceId,
      path: `workspaces/${workspaceId}/conversations/c/suggestions/m1`,
      identity: { messageId: "m1" },
      logFields: {},
    };
    await db().doc(target.path).set({ status: "generating", claimToken: "ours" });
    const skipped = { status: "skipped", reason: "empty_text", detail: "blank" } as const;
    await writeOutcome(db(), target, skipped, {}, "ours");
    await writeOutcome(db(), target, skipped, {}, "ours");
    const metrics = (await db().doc(paths.dailyMetrics(workspaceId, utcDay())).get()).data();
    expect(metrics).to.deep.include({ requests: 1, skipped: 1 });

    await db().doc(target.path).set({ status: "generating", claimToken: "theirs" });
    await writeOutcome(db(), target, skipped, {}, "ours");
    await releaseClaim(db(), target, "ours");
    expect((await db().doc(target.path).get()).data()).to.deep.equal({
      status: "generating",
      claimToken: "theirs",
    });
  });
});
