import { expect } from "chai";
import type { DocumentData, DocumentReference } from "firebase-admin/firestore";
import { randomUUID } from "node:crypto";
import { StreamWriter } from "../../src/results/streamWriter";
import { db } from "../support/harness";

/** Every state the document passes through, and a wait for one (an event, not a clock). */
function watch(ref: DocumentReference) {
  const seen: DocumentData[] = [];
  const waiting: { until: (d: DocumentData) => boolean; resolve: () => void }[] = [];
  const stop = ref.onSnapshot((snap) => {
    const data = snap.data();
    if (!data) return;
    seen.push(data);
    for (const w of waiting.filter((w) => w.until(data))) {
      waiting.splice(waiting.indexOf(w), 1);
      w.resolve();
    }
  });
  /** Resolves once a state after the first `from` seen ones passes `check`. */
  const until = (check: (d: DocumentData) => boolean, from = 0) =>
    seen.slice(from).some(check)
      ? Promise.resolve()
      : new Promise<void>((resolve) => waiting.push({ until: check, resolve }));
  return { seen, until, stop };
}

describe("StreamWriter: the answer so far, into the result document", () => {
  const newResult = async () => {
    const ref = db().doc(`streamWriter/${randomUUID()}`);
    await ref.set({ status: "generating" });
    return ref;
  };

  it("shows the first text, then the latest, never text it was not given", async () => {
    const ref = await newResult();
    const doc = watch(ref);
    const writer = new StreamWriter(ref, 50, {});
    writer.text("¡Hola");
    await doc.until((d) => d.text === "¡Hola");
    writer.text("¡Hola Lucía!");
    writer.text("¡Hola Lucía! Sí, llega el viernes.");
    await doc.until((d) => d.text === "¡Hola Lucía! Sí, llega el viernes.");
    await writer.close();
    doc.stop();
    const given = ["¡Hola", "¡Hola Lucía!", "¡Hola Lucía! Sí, llega el viernes."];
    for (const d of doc.seen.slice(1)) {
      expect(d.status).to.equal("streaming");
      expect(given).to.include(d.text);
    }
    expect(writer.firstTextAt).to.be.a("number");
  });

  it("a new attempt takes the failed attempt's text off the screen", async () => {
    const ref = await newResult();
    const doc = watch(ref);
    const writer = new StreamWriter(ref, 0, {});
    writer.text("texto del intento que falló");
    await doc.until((d) => d.status === "streaming");
    const shown = doc.seen.length;
    writer.newAttempt();
    await doc.until((d) => d.status === "generating" && d.text === undefined, shown);
    await writer.close();
    doc.stop();
    const last = (await ref.get()).data();
    expect(last?.status).to.equal("generating");
    expect(last).to.not.have.property("text");
  });

  it("writes nothing after close, so no streaming write lands after the outcome", async () => {
    const ref = await newResult();
    const doc = watch(ref);
    const writer = new StreamWriter(ref, 0, {});
    writer.text("primero");
    await doc.until((d) => d.text === "primero");
    await writer.close();
    await ref.update({ status: "ready", text: "final" });
    writer.text("tarde");
    writer.newAttempt();
    await writer.close();
    // A write of the closed writer would come after this one, in order.
    await ref.update({ marker: true });
    await doc.until((d) => d.marker === true);
    doc.stop();
    expect((await ref.get()).data()).to.deep.include({ status: "ready", text: "final" });
    expect(doc.seen.some((d) => d.text === "tarde")).to.equal(false);
  });
});
