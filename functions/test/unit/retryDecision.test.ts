import { expect } from "chai";
import { GenerationError } from "../../src/core/errorCodes";
import { MIN_ATTEMPT_MS, retryDecision } from "../../src/providers/askProvider";

describe("retryDecision: whether a failed attempt is tried again", () => {
  const now = 1_000_000;
  const budget = { deadlineAt: now + 60_000, maxRetryAfterMs: 10_000, aborted: false };
  const serverError = new GenerationError("provider_error", "500", { status: 500 });

  it("retries a transient failure after the backoff", () => {
    expect(retryDecision(serverError, 200, budget, now)).to.deep.equal({
      retry: true,
      extraWaitMs: 0,
    });
  });

  it("never retries a permanent one (a 400) or something that is no GenerationError", () => {
    expect(
      retryDecision(
        new GenerationError("provider_error", "400", { status: 400 }),
        200,
        budget,
        now,
      ),
    ).to.deep.equal({ retry: false });
    expect(
      retryDecision(new GenerationError("model_not_found", "404"), 200, budget, now),
    ).to.deep.equal({
      retry: false,
    });
    expect(retryDecision(new Error("boom"), 200, budget, now)).to.deep.equal({ retry: false });
  });

  it("waits out Retry-After beyond the backoff, up to the cap", () => {
    const limited = (ms: number) =>
      new GenerationError("provider_rate_limited", "429", { status: 429, retryAfterMs: ms });
    expect(retryDecision(limited(700), 200, budget, now)).to.deep.equal({
      retry: true,
      extraWaitMs: 500,
    });
    expect(retryDecision(limited(60_000), 200, budget, now)).to.deep.equal({
      retry: true,
      extraWaitMs: 9_800,
    });
  });

  it("does not start an attempt that could not answer before the deadline", () => {
    const tight = { ...budget, deadlineAt: now + 200 + MIN_ATTEMPT_MS - 1 };
    expect(retryDecision(serverError, 200, tight, now)).to.deep.equal({ retry: false });
    const enough = { ...budget, deadlineAt: now + 200 + MIN_ATTEMPT_MS + 1 };
    expect(retryDecision(serverError, 200, enough, now)).to.include({ retry: true });
  });

  it("stops when the answer is no longer wanted", () => {
    expect(retryDecision(serverError, 200, { ...budget, aborted: true }, now)).to.deep.equal({
      retry: false,
    });
  });
});
