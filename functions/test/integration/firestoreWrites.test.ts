import { expect } from "chai";
import { FieldValue } from "firebase-admin/firestore";
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
});
