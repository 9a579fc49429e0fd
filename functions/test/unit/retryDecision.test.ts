import { expect } from "chai";
import { GenerationError } from "../../src/core/errorCodes";
import { runOnPool } from "../../src/providers/askProvider";
import { backoffDelayMs, MIN_ATTEMPT_MS, retryDecision } from "../../src/providers/retryPolicy";
import { createProviderEndpoint } from "../../src/providers/providerEndpoint";
import { ProviderPool } from "../../src/providers/providerPool";

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

describe("backoffDelayMs: the wait before a retry", () => {
  const delays = { baseDelayMs: 100, maxDelayMs: 8_000 };

  it("doubles with each retry, times a random factor between 1 and 2", () => {
    expect([0, 1, 2].map((n) => backoffDelayMs(n, delays, 0))).to.deep.equal([100, 200, 400]);
    expect([0, 1, 2].map((n) => backoffDelayMs(n, delays, 0.5))).to.deep.equal([150, 300, 600]);
  });

  it("never waits longer than the longest delay", () => {
    expect(backoffDelayMs(10, delays, 0.9)).to.equal(8_000);
  });
});

describe("runOnPool: a caller's abort ends the wait between attempts", () => {
  const TEN_MINUTES = 600_000;

  /** A pool of one server whose every attempt fails with `failure`; the caller aborts meanwhile. */
  function failingRun(
    failure: GenerationError,
    delays: { baseDelayMs: number; maxDelayMs: number },
  ) {
    const caller = new AbortController();
    const pool = new ProviderPool("llm_studio", [
      createProviderEndpoint("llm_studio", "http://127.0.0.1:9/v1", undefined, {
        concurrency: 1,
        breaker: { failureThreshold: 5, cooldownMs: 1000 },
      }),
    ]);
    let calls = 0;
    const run = runOnPool(
      pool,
      {
        maxAttempts: 3,
        timeoutMs: 1000,
        deadlineAt: Date.now() + 6 * TEN_MINUTES,
        signal: caller.signal,
        maxRetryAfterMs: TEN_MINUTES,
        ...delays,
      },
      { model: "qwen3-8b", call: "chat" },
      async () => {
        calls += 1;
        // Once this failure has been handled and the wait for the retry has begun.
        setImmediate(() => caller.abort());
        throw failure;
      },
    );
    return { run, calls: () => calls };
  }

  // Without the abort either run would wait ten minutes, far past the test's timeout.
  it("during the backoff: the run ends at once with the failure it waited after, and sends nothing more", async () => {
    const failure = new GenerationError("provider_error", "500", { status: 500 });
    const { run, calls } = failingRun(failure, {
      baseDelayMs: TEN_MINUTES,
      maxDelayMs: TEN_MINUTES,
    });
    expect(await run).to.deep.equal({ ok: false, error: failure, attempts: 1 });
    expect(calls()).to.equal(1);
  });

  it("during a server's Retry-After: the same", async () => {
    const failure = new GenerationError("provider_rate_limited", "429", {
      status: 429,
      retryAfterMs: TEN_MINUTES,
    });
    const { run, calls } = failingRun(failure, { baseDelayMs: 1, maxDelayMs: 1 });
    expect(await run).to.deep.equal({ ok: false, error: failure, attempts: 1 });
    expect(calls()).to.equal(1);
  });
});
