import { expect } from "chai";
import type { ImportResult } from "../../../src/knowledgeImport/importFiles";
import { intoBatches, planImport, writeSize } from "../../../src/knowledgeImport/importPlan";

const article = (id: string, fields: Record<string, unknown> = {}) => ({
  id,
  fields: { title: `T ${id}`, body: `B ${id}`, source: `${id}.md`, ...fields },
});
const result = (over: Partial<ImportResult> = {}): ImportResult => ({
  articles: [],
  skipped: [],
  unparsedSources: [],
  ...over,
});
const stored = (id: string, data: Record<string, unknown> = {}) => ({
  id,
  data: { title: `T ${id}`, body: `B ${id}`, source: `${id}.md`, enabled: true, ...data },
});

describe("kb:import: what an import changes", () => {
  it("creates new articles, enabled unless the file says otherwise", () => {
    const plan = planImport(
      result({ articles: [article("a"), article("b", { enabled: false, tags: ["x"] })] }),
      [],
    );
    expect(plan.writes).to.deep.equal([
      {
        id: "a",
        kind: "create",
        set: { title: "T a", body: "B a", source: "a.md", enabled: true },
        changed: ["title", "body", "source", "enabled"],
        remove: [],
        contentChanged: true,
      },
      {
        id: "b",
        kind: "create",
        set: { title: "T b", body: "B b", tags: ["x"], source: "b.md", enabled: false },
        changed: ["title", "body", "tags", "source", "enabled"],
        remove: [],
        contentChanged: true,
      },
    ]);
  });

  it("writes nothing for an article whose stored fields are the file's", () => {
    const plan = planImport(result({ articles: [article("a", { tags: ["x", "y"] })] }), [
      stored("a", { tags: ["x", "y"], updatedAt: { seconds: 1 } }),
    ]);
    expect(plan).to.deep.equal({ writes: [], unchanged: ["a"], stale: [] });
  });

  it("updates a changed article with all its file's fields, naming those that changed", () => {
    const plan = planImport(result({ articles: [article("a", { body: "nuevo", tags: ["y"] })] }), [
      stored("a", { tags: ["x"] }),
    ]);
    expect(plan.writes).to.deep.equal([
      {
        id: "a",
        kind: "update",
        set: { title: "T a", body: "nuevo", tags: ["y"], source: "a.md" },
        changed: ["body", "tags"],
        remove: [],
        contentChanged: true,
      },
    ]);
  });

  it("deletes fields the file no longer has; a metadata change is not a content change", () => {
    const plan = planImport(result({ articles: [article("a")] }), [
      stored("a", { url: "https://x.com", locale: "es" }),
    ]);
    expect(plan.writes[0]).to.deep.include({
      changed: [],
      remove: ["url", "locale"],
      contentChanged: false,
    });
  });

  it("leaves the admin's enabled switch alone unless the file sets it", () => {
    expect(
      planImport(result({ articles: [article("a")] }), [stored("a", { enabled: false })]).writes,
    ).to.deep.equal([]);
    const plan = planImport(result({ articles: [article("a", { enabled: true })] }), [
      stored("a", { enabled: false }),
    ]);
    expect(plan.writes[0]).to.deep.include({ changed: ["enabled"], contentChanged: false });
    expect(plan.writes[0].set.enabled).to.equal(true);
  });

  it("finds imported articles the folder no longer produces, never hand-written, skipped or unparsed ones", () => {
    const plan = planImport(
      result({
        articles: [article("kept")],
        skipped: [{ source: "vacio.md", reason: "empty_body", id: "vacio" }],
        unparsedSources: ["roto.csv"],
      }),
      [
        stored("kept"),
        stored("gone"),
        stored("vacio", { source: "vacio.md" }),
        stored("roto--fila", { source: "roto.csv" }),
        stored("a-mano", { source: undefined }),
        stored("vacia", { source: "" }),
      ],
    );
    expect(plan.stale).to.deep.equal(["gone"]);
  });

  it("cuts writes into batches of at most 500, and of a size a commit can carry", () => {
    const sizes = (batches: number[][]) => batches.map((b) => b.length);
    const items = Array.from({ length: 1_201 }, () => 10);
    expect(sizes(intoBatches(items, (n) => n))).to.deep.equal([500, 500, 201]);
    expect(
      sizes(intoBatches([6, 3, 3, 9, 1], (n) => n, { maxOps: 500, maxBytes: 10 })),
    ).to.deep.equal([2, 1, 2]);
    expect(sizes(intoBatches([20], (n) => n, { maxOps: 500, maxBytes: 10 }))).to.deep.equal([1]);
    expect(intoBatches([], (n: number) => n)).to.deep.equal([]);
    // 100,000 characters of Spanish text are more than 100,000 bytes.
    expect(writeSize({ set: { body: "ñ".repeat(100_000) } })).to.be.above(200_000);
  });
});
