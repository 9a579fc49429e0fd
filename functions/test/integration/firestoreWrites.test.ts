import { expect } from "chai";
import { FieldValue, Timestamp } from "firebase-admin/firestore";
import { randomUUID } from "node:crypto";
import { db } from "../support/harness";

/*
 * Write semantics the backend relies on, as real Firestore has them; the embedded emulator is
 * corrected to match (dev/embeddedFirestore.ts), and these run against whichever emulator the
 * suite uses.
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
  });
});
