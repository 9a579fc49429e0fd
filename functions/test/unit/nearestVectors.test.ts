import { expect } from "chai";
import { NearestQuery, PlainValue, readVector, selectNearest } from "../../dev/nearestVectors";

/*
 * The embedded emulator's vector search on plain data, in the corners the integration test
 * (test/integration/vectorSearch.test.ts) leaves out; each as the official emulator answers it.
 */
const vectorValue = (values: PlainValue[]): PlainValue => ({
  map_value: {
    fields: {
      __type__: { string_value: "__vector__" },
      value: { array_value: { values } },
    },
  },
});

describe("nearest vectors", () => {
  it("equal distances come in document-name order, for DOT_PRODUCT too", () => {
    const candidates = ["z", "m", "a"].map((name) => ({ item: name, name, vector: [1, 0] }));
    for (const measure of ["EUCLIDEAN", "COSINE", "DOT_PRODUCT"] as const) {
      const nearest = selectNearest(candidates, { measure, queryVector: [1, 0], limit: 5 });
      expect(nearest.map((n) => n.item)).to.deep.equal(["a", "m", "z"]);
    }
  });

  it("a zero vector's COSINE distance is NaN: listed last, never within a threshold", () => {
    const candidates = [
      { item: "zero", name: "a", vector: [0, 0] },
      { item: "far", name: "b", vector: [-1, 0] },
    ];
    const query: NearestQuery = { measure: "COSINE", queryVector: [1, 0], limit: 5 };
    const all = selectNearest(candidates, query);
    expect(all.map((n) => n.item)).to.deep.equal(["far", "zero"]);
    expect(Number.isNaN(all[1].distance)).to.equal(true);
    expect(selectNearest(candidates, { ...query, threshold: 5 })).to.have.length(1);
  });

  it("reads a vector from the map FieldValue.vector() writes, and nothing else as one", () => {
    expect(readVector(vectorValue([{ double_value: 0.5 }, { double_value: 2 }]))).to.deep.equal([
      0.5, 2,
    ]);
    expect(readVector({ array_value: { values: [{ double_value: 1 }] } })).to.equal(undefined);
    expect(readVector(vectorValue([{ integer_value: 1 } as PlainValue]))).to.equal(undefined);
    expect(readVector({ map_value: { fields: { value: { array_value: {} } } } })).to.equal(
      undefined,
    );
    expect(readVector(undefined)).to.equal(undefined);
  });
});
