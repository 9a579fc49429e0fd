import { expect } from "chai";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import {
  GENERATION_STATUSES,
  isPending,
  PENDING_STATUSES,
  TERMINAL_STATUSES,
} from "../../src/core/vocabulary";

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
    expect([...TERMINAL_STATUSES]).to.deep.equal(["ready", "error", "skipped", "superseded"]);
    // What the claim and latest-wins ask of a stored status, for every documented one.
    const pending = [
      "queued",
      "generating",
      "streaming",
      "ready",
      "error",
      "skipped",
      "superseded",
    ].filter((status) => isPending(status));
    expect(pending).to.deep.equal(["queued", "generating", "streaming"]);
    expect(isPending(undefined)).to.equal(false);
    expect(isPending("READY")).to.equal(false);
  });
});
