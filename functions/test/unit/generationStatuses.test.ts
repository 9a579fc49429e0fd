import { expect } from "chai";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { GENERATION_STATUSES, PENDING_STATUSES } from "../../src/core/vocabulary";

describe("generation statuses: one declaration, as docs/data-contract.md lists them", () => {
  const readme = readFileSync(resolve(__dirname, "../../../../docs/data-contract.md"), "utf8");

  it("declares every status the suggestion's `status` row documents, and no other", () => {
    const row = readme.split("\n").find((line) => line.startsWith("| `status` | always |"));
    const documented = [...(row ?? "").matchAll(/`([a-z]+)`/g)]
      .map((m) => m[1])
      .filter((s) => s !== "status");
    expect([...GENERATION_STATUSES].sort()).to.deep.equal([...new Set(documented)].sort());
  });

  it("the pending statuses are the documented ones that can still change: queued, generating, streaming", () => {
    expect([...PENDING_STATUSES]).to.deep.equal(["queued", "generating", "streaming"]);
    for (const status of PENDING_STATUSES) expect(GENERATION_STATUSES).to.include(status);
  });
});
