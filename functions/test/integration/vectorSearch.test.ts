import { expect } from "chai";
import { FieldValue } from "firebase-admin/firestore";
import { randomUUID } from "node:crypto";
import { db } from "../support/harness";

/*
 * Vector search (`findNearest`) as Firestore answers it, for knowledge chunks searched by
 * embedding. The official emulator is the reference; the embedded one is corrected to match
 * (dev/embeddedVectorSearch.ts). Every expected distance is worked out by hand below, for the
 * query vector q = [1, 2, 2] (|q| = 3).
 */
type VectorQueryOptions = Parameters<FirebaseFirestore.Query["findNearest"]>[0];

const QUERY_VECTOR = [1, 2, 2];

/*
 *                     vector    COSINE (1 - q·v / (|q||v|))    EUCLIDEAN |q - v|   DOT q·v
 * same              [2, 4, 4]   1 - 18/18 = 0                  √9 = 3              18
 * close             [1, 2, 0]   1 - 5/(3√5) = 0.2546440075     √4 = 2              5
 * across            [0, 0, 1]   1 - 2/3 = 0.3333333333         √6 = 2.4494897428   2
 * opposite          [-1, 0, 0]  1 + 1/3 = 1.3333333333         √12 = 3.4641016151  -1
 * disabled          [1, 2, 2]   0 (enabled: false)             0                   9
 * other-model       [1, 2, 3]   1 - 11/(3√14) = 0.0200421130   √1 = 1              11
 */
const CHUNKS: Record<string, Record<string, unknown>> = {
  same: { embeddingModel: "m", enabled: true, embedding: FieldValue.vector([2, 4, 4]) },
  close: { embeddingModel: "m", enabled: true, embedding: FieldValue.vector([1, 2, 0]) },
  // A stored field of the result field's name: the answer carries the distance instead.
  across: {
    embeddingModel: "m",
    enabled: true,
    embedding: FieldValue.vector([0, 0, 1]),
    distance: "stale",
  },
  opposite: { embeddingModel: "m", enabled: true, embedding: FieldValue.vector([-1, 0, 0]) },
  disabled: { embeddingModel: "m", enabled: false, embedding: FieldValue.vector([1, 2, 2]) },
  "other-model": {
    embeddingModel: "other",
    enabled: true,
    embedding: FieldValue.vector([1, 2, 3]),
  },
  // Never a candidate for q: no vector, a vector of two dimensions, an array that is no vector.
  "no-vector": { embeddingModel: "m", enabled: true },
  "two-dims": { embeddingModel: "m", enabled: true, embedding: FieldValue.vector([1, 2]) },
  "plain-array": { embeddingModel: "m", enabled: true, embedding: [1, 2, 2] },
};

describe("vector search (findNearest) ranks knowledge chunks as Firestore does", () => {
  let collection: FirebaseFirestore.CollectionReference;
  const enabledOfModel = (model: string) =>
    collection.where("embeddingModel", "==", model).where("enabled", "==", true);

  before(async () => {
    // A fresh workspace: the suite shares one emulator and never clears it.
    collection = db().collection(`workspaces/ws-${randomUUID().slice(0, 8)}/knowledgeChunks`);
    const batch = db().batch();
    for (const [id, data] of Object.entries(CHUNKS)) batch.set(collection.doc(id), data);
    await batch.commit();
  });

  function search(
    query: FirebaseFirestore.Query,
    options: Partial<VectorQueryOptions> & Pick<VectorQueryOptions, "distanceMeasure">,
  ) {
    return query
      .findNearest({
        vectorField: "embedding",
        queryVector: QUERY_VECTOR,
        limit: 12,
        distanceResultField: "distance",
        ...options,
      })
      .get();
  }

  /** The ids in the order returned, each with the distance it came back with. */
  async function ranked(
    query: FirebaseFirestore.Query,
    options: Partial<VectorQueryOptions> & Pick<VectorQueryOptions, "distanceMeasure">,
  ): Promise<[string, number][]> {
    const snapshot = await search(query, options);
    return snapshot.docs.map((doc) => [doc.id, doc.get("distance") as number]);
  }

  function expectRanking(actual: [string, number][], expected: [string, number][]): void {
    expect(actual.map(([id]) => id)).to.deep.equal(expected.map(([id]) => id));
    actual.forEach(([id, distance], i) => {
      expect(distance, `distance of ${id}`).to.be.closeTo(expected[i][1], 1e-6);
    });
  }

  it("COSINE with a threshold: the enabled chunks of the model within it, nearest first, distances in distanceResultField", async () => {
    const snapshot = await search(enabledOfModel("m"), {
      distanceMeasure: "COSINE",
      distanceThreshold: 0.5,
    });
    expectRanking(
      snapshot.docs.map((doc) => [doc.id, doc.get("distance")]),
      [
        ["same", 0],
        ["close", 0.2546440075],
        ["across", 0.3333333333],
      ],
    );
    const same = snapshot.docs[0].data();
    expect(same).to.include({ embeddingModel: "m", enabled: true });
    expect(same.embedding.toArray()).to.deep.equal([2, 4, 4]);
    // The distance is in the answer only: the stored document keeps its own field.
    expect((await collection.doc("across").get()).get("distance")).to.equal("stale");
  });

  it("without distanceResultField the chunks come back as stored", async () => {
    const snapshot = await search(enabledOfModel("m"), {
      distanceMeasure: "COSINE",
      distanceResultField: undefined,
      limit: 3,
    });
    expect(snapshot.docs.map((doc) => doc.id)).to.deep.equal(["same", "close", "across"]);
    expect(snapshot.docs[0].data()).to.not.have.property("distance");
    expect(snapshot.docs[2].get("distance")).to.equal("stale");
  });

  it("EUCLIDEAN: nearest first, limit cuts the rest, the threshold keeps distance <= threshold", async () => {
    expectRanking(await ranked(enabledOfModel("m"), { distanceMeasure: "EUCLIDEAN", limit: 3 }), [
      ["close", 2],
      ["across", 2.4494897428],
      ["same", 3],
    ]);
    expectRanking(
      await ranked(enabledOfModel("m"), { distanceMeasure: "EUCLIDEAN", distanceThreshold: 2 }),
      [["close", 2]],
    );
  });

  it("DOT_PRODUCT: largest first, the threshold keeps distance >= threshold", async () => {
    expectRanking(await ranked(enabledOfModel("m"), { distanceMeasure: "DOT_PRODUCT" }), [
      ["same", 18],
      ["close", 5],
      ["across", 2],
      ["opposite", -1],
    ]);
    expectRanking(
      await ranked(enabledOfModel("m"), { distanceMeasure: "DOT_PRODUCT", distanceThreshold: 2 }),
      [
        ["same", 18],
        ["close", 5],
        ["across", 2],
      ],
    );
  });

  it("prefilters combine with AND; chunks without a vector of q's dimension are skipped, not refused", async () => {
    expectRanking(await ranked(collection, { distanceMeasure: "EUCLIDEAN" }), [
      ["disabled", 0],
      ["other-model", 1],
      ["close", 2],
      ["across", 2.4494897428],
      ["same", 3],
      ["opposite", 3.4641016151],
    ]);
    expectRanking(
      await ranked(collection.where("embeddingModel", "==", "m"), { distanceMeasure: "EUCLIDEAN" }),
      [
        ["disabled", 0],
        ["close", 2],
        ["across", 2.4494897428],
        ["same", 3],
        ["opposite", 3.4641016151],
      ],
    );
    expectRanking(await ranked(enabledOfModel("other"), { distanceMeasure: "COSINE" }), [
      ["other-model", 0.020042113],
    ]);
    // A two-dimensional query finds the one two-dimensional vector (|[1, 2] - [1, 2]| = 0).
    expectRanking(await ranked(collection, { distanceMeasure: "EUCLIDEAN", queryVector: [1, 2] }), [
      ["two-dims", 0],
    ]);
  });

  it("a query limit, an offset or a findNearest limit over 1000 is refused with INVALID_ARGUMENT", async function () {
    // The Admin SDK takes about 7 s to report each refusal, on either emulator: ask all at once.
    this.timeout(60_000);
    const refusals = await Promise.all(
      [
        search(enabledOfModel("m").limit(2), { distanceMeasure: "COSINE" }),
        search(enabledOfModel("m").offset(1), { distanceMeasure: "COSINE" }),
        search(enabledOfModel("m"), { distanceMeasure: "COSINE", limit: 1001 }),
      ].map((answer) =>
        answer.then(
          () => ({ code: "answered" }),
          (error: { code?: number; details?: string }) => error,
        ),
      ),
    );
    expect(refusals.map((r) => [r.code, "details" in r ? r.details : undefined])).to.deep.equal([
      [3, "A query limit cannot be used with FindNearest"],
      [3, "A query offset cannot be used with FindNearest"],
      [3, "FindNearest.limit must be a positive integer of no more than 1000"],
    ]);
  });
});
