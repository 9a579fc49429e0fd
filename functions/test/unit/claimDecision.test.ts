import { expect } from "chai";
import { decideClaim } from "../../src/results/claimDecision";

describe("decideClaim: who may generate a result", () => {
  const now = 1_000_000;
  const fresh = now - 1_000;
  const stale = now - 400_000;

  it("a redelivered event finds the first delivery's claim and does not generate", () => {
    expect(
      decideClaim(
        { exists: true, status: "generating", updatedAtMs: fresh },
        undefined,
        300_000,
        now,
      ),
    ).to.deep.equal({ claimed: false, status: "generating" });
  });

  it("a claim pending past the function's timeout is taken over, and says so", () => {
    for (const status of ["queued", "generating", "streaming"]) {
      expect(
        decideClaim({ exists: true, status, updatedAtMs: stale }, undefined, 300_000, now),
      ).to.deep.equal({ claimed: true, reclaimed: true, write: "reclaim" });
    }
  });

  it("a finished result is never generated again by a redelivery, however old", () => {
    for (const status of ["ready", "error", "skipped", "superseded"]) {
      expect(
        decideClaim({ exists: true, status, updatedAtMs: stale }, undefined, 300_000, now),
      ).to.deep.equal({ claimed: false, status });
    }
  });

  it("a result released by a failed attempt is created again", () => {
    expect(
      decideClaim({ exists: false, status: undefined }, undefined, 300_000, now),
    ).to.deep.equal({
      claimed: true,
      reclaimed: false,
      write: "create",
    });
  });

  it("a client's request is claimed once, and not at all once deleted", () => {
    const request = { mode: "request" } as const;
    expect(decideClaim({ exists: true, status: undefined }, request, 300_000, now)).to.deep.equal({
      claimed: true,
      reclaimed: false,
      write: "claim_request",
    });
    expect(
      decideClaim(
        { exists: true, status: "generating", updatedAtMs: fresh },
        request,
        300_000,
        now,
      ),
    ).to.include({ claimed: false });
    expect(decideClaim({ exists: false, status: undefined }, request, 300_000, now)).to.include({
      claimed: false,
    });
  });

  it("regenerates a finished suggestion once per request, never while it is being generated", () => {
    const again = { mode: "regenerate", requestId: "r2" } as const;
    expect(
      decideClaim(
        { exists: true, status: "ready", requestId: "r1", updatedAtMs: fresh },
        again,
        300_000,
        now,
      ),
    ).to.deep.equal({ claimed: true, reclaimed: false, write: "regenerate" });
    expect(
      decideClaim(
        { exists: true, status: "ready", requestId: "r2", updatedAtMs: fresh },
        again,
        300_000,
        now,
      ),
    ).to.include({ claimed: false });
    expect(
      decideClaim(
        { exists: true, status: "streaming", requestId: "r1", updatedAtMs: fresh },
        again,
        300_000,
        now,
      ),
    ).to.deep.equal({ claimed: false, status: "streaming" });
  });
});
