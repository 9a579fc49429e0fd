import { expect } from "chai";
import { indexProgress, isSettled } from "../../../src/knowledge/indexProgress";

const at = (seconds: number, nanoseconds = 0) => ({ seconds, nanoseconds });

describe("kb:import --wait: how far indexing got", () => {
  const written = ["a", "b", "c", "d", "e", "f"].map((id) => ({ id, at: at(100, 500) }));

  it("counts an article done only with ready or error after its own write", () => {
    const progress = indexProgress(
      written,
      new Map<string, Record<string, unknown> | undefined>([
        ["a", { status: "ready", indexedAt: at(101) }],
        [
          "b",
          {
            status: "error",
            indexedAt: at(100, 501),
            error: { code: "provider_unreachable", message: "Could not connect", hint: "Start it" },
          },
        ],
        ["c", { status: "indexing", indexedAt: at(50) }],
        // The previous version's index: written before this import's write.
        ["d", { status: "ready", indexedAt: at(100, 500) }],
        ["e", undefined],
        ["f", { status: "error", indexedAt: at(99) }],
      ]),
    );
    expect(progress).to.deep.equal({
      ready: ["a"],
      failed: [
        {
          id: "b",
          code: "provider_unreachable",
          message: "Could not connect",
          hint: "Start it",
        },
      ],
      indexing: ["c"],
      waiting: ["d", "e", "f"],
    });
    expect(isSettled(progress)).to.equal(false);
  });

  it("is settled when every article is ready or failed; an error without details still counts", () => {
    const progress = indexProgress(
      written.slice(0, 2),
      new Map([
        ["a", { status: "ready", indexedAt: at(200) }],
        ["b", { status: "error", indexedAt: at(200) }],
      ]),
    );
    expect(progress.failed).to.deep.equal([{ id: "b", code: "unknown", message: "" }]);
    expect(isSettled(progress)).to.equal(true);
  });
});
