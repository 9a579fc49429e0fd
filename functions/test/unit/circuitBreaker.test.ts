import { expect } from "chai";
import { ERROR_CODES, ErrorCode, GenerationError } from "../../src/core/errorCodes";
import {
  AttemptOutcome,
  breakerDecision,
  BreakerPosition,
  CircuitBreaker,
} from "../../src/providers/circuitBreaker";

const failed = (code: ErrorCode, status?: number, callerAborted = false): AttemptOutcome => ({
  ok: false,
  error: new GenerationError(code, code, status === undefined ? {} : { status }),
  callerAborted,
});

describe("circuit breaker", () => {
  let now: number;
  const breaker = () =>
    new CircuitBreaker({ failureThreshold: 3, cooldownMs: 1000, now: () => now });
  beforeEach(() => {
    now = 1_000_000;
  });

  it("opens after the threshold of consecutive failures and refuses requests", () => {
    const b = breaker();
    b.record(failed("provider_unreachable"));
    b.record(failed("provider_unreachable"));
    expect(b.tryAcquire()).to.equal(true);
    b.record(failed("provider_timeout"));
    expect(b.tryAcquire()).to.equal(false);
    expect(b.isAvailable()).to.equal(false);
    expect(b.snapshot()).to.deep.include({
      state: "open",
      isOpen: true,
      lastErrorCode: "provider_timeout",
      retryAt: now + 1000,
    });
  });

  it("a success in between resets the count", () => {
    const b = breaker();
    b.record(failed("provider_error"));
    b.record(failed("provider_error"));
    b.record({ ok: true });
    b.record(failed("provider_error"));
    b.record(failed("provider_error"));
    expect(b.snapshot().isOpen).to.equal(false);
  });

  it("after the cooldown lets exactly one probe through; its success closes the circuit", () => {
    const b = breaker();
    for (let i = 0; i < 3; i++) b.record(failed("provider_unreachable"));
    now += 1000;
    expect(b.snapshot()).to.deep.include({ state: "half_open", isOpen: false });
    expect(b.tryAcquire()).to.equal(true);
    expect(b.tryAcquire()).to.equal(false);
    b.record({ ok: true });
    expect(b.snapshot().state).to.equal("closed");
    expect(b.tryAcquire()).to.equal(true);
  });

  it("a probe that ended in a bug of ours (no GenerationError) frees the probe, proving nothing", () => {
    const b = breaker();
    for (let i = 0; i < 3; i++) b.record(failed("provider_unreachable"));
    now += 1000;
    expect(b.tryAcquire()).to.equal(true);
    expect(
      b.record({ ok: false, error: new TypeError("a bug"), callerAborted: false }),
    ).to.deep.equal({ kind: "ignore" });
    expect(b.snapshot().state).to.equal("half_open");
    expect(b.tryAcquire()).to.equal(true);
  });

  it("a failed probe opens the circuit for another cooldown at once", () => {
    const b = breaker();
    for (let i = 0; i < 3; i++) b.record(failed("provider_unreachable"));
    now += 1000;
    expect(b.tryAcquire()).to.equal(true);
    b.record(failed("provider_unreachable"));
    expect(b.tryAcquire()).to.equal(false);
    now += 999;
    expect(b.tryAcquire()).to.equal(false);
    now += 1;
    expect(b.tryAcquire()).to.equal(true);
  });

  it("counts requests and the success rate for the metrics", () => {
    const b = breaker();
    expect(b.snapshot()).to.deep.include({ successRate: 1, totalRequests: 0 });
    b.record({ ok: true });
    b.record({ ok: true });
    b.record({ ok: true });
    b.record(failed("provider_rate_limited"));
    expect(b.snapshot()).to.deep.include({
      successRate: 0.75,
      totalRequests: 4,
      failures: 1,
      consecutiveFailures: 1,
    });
  });
});

describe("breakerDecision: which failures count against a server", () => {
  const closed: BreakerPosition = { state: "closed", consecutiveFailures: 0, failureThreshold: 3 };
  const kind = (outcome: AttemptOutcome, position = closed) =>
    breakerDecision(outcome, position).kind;

  it("each code of the error table, with no status, a 503 and a 400: the server's fault or the request's", () => {
    // Written out rather than read from the table, so that a change to the table shows up here.
    const count = ["count", "count", "count"];
    const reset = ["reset", "reset", "reset"];
    const expected: Record<ErrorCode, string[]> = {
      provider_unreachable: count,
      provider_timeout: count,
      model_not_found: reset,
      wrong_model_type: reset,
      provider_auth: count,
      provider_rate_limited: count,
      // Only when the failure is the server's: a 5xx, or no status (an error inside a stream).
      provider_error: ["count", "count", "reset"],
      invalid_response: reset,
      context_too_long: reset,
      invalid_config: reset,
      storage_rejected: reset,
      bridge_offline: reset,
      search_failed: reset,
      invalid_request: reset,
      request_conflict: reset,
      quota_exceeded: reset,
      no_provider: reset,
    };
    const decided = Object.fromEntries(
      ERROR_CODES.map((code) => [
        code,
        [kind(failed(code)), kind(failed(code, 503)), kind(failed(code, 400))],
      ]),
    );
    expect(decided).to.deep.equal(expected);
  });

  it("provider_error's 408 and 409 are the server's; its 404 is the request's", () => {
    expect(kind(failed("provider_error", 408))).to.equal("count");
    expect(kind(failed("provider_error", 409))).to.equal("count");
    expect(kind(failed("provider_error", 404))).to.equal("reset");
  });

  it("an answer resets; a caller's abort says nothing against the server and resets too", () => {
    expect(kind({ ok: true })).to.equal("reset");
    expect(kind(failed("provider_timeout", undefined, true))).to.equal("reset");
    expect(kind(failed("provider_error", 500, true))).to.equal("reset");
  });

  it("a bug thrown by the call is no outcome: ignored", () => {
    expect(
      kind({ ok: false, error: new TypeError("x is undefined"), callerAborted: false }),
    ).to.equal("ignore");
  });

  it("the threshold's consecutive failure trips the breaker, and carries its code", () => {
    const two = { ...closed, consecutiveFailures: 2 };
    expect(
      breakerDecision(failed("provider_timeout"), { ...closed, consecutiveFailures: 1 }),
    ).to.deep.equal({
      kind: "count",
      code: "provider_timeout",
    });
    expect(breakerDecision(failed("provider_timeout"), two)).to.deep.equal({
      kind: "trip",
      code: "provider_timeout",
    });
  });

  it("a failed probe trips at once; a probe that proves the server alive closes the circuit", () => {
    const probing: BreakerPosition = { ...closed, state: "half_open" };
    expect(kind(failed("provider_unreachable"), probing)).to.equal("trip");
    expect(kind(failed("context_too_long"), probing)).to.equal("reset");
  });
});

describe("circuit breaker applying its decisions", () => {
  const breaker = () => new CircuitBreaker({ failureThreshold: 2, cooldownMs: 1000 });

  it("failures of our own request never open the circuit", () => {
    const b = breaker();
    for (let i = 0; i < 5; i++) b.record(failed("context_too_long", 400));
    for (let i = 0; i < 5; i++) b.record(failed("provider_error", 400));
    expect(b.snapshot()).to.deep.include({
      state: "closed",
      isOpen: false,
      failures: 0,
      totalRequests: 10,
    });
  });

  it("the server's failures open it, and record returns what was decided", () => {
    const b = breaker();
    expect(b.record(failed("provider_error", 502))).to.deep.equal({
      kind: "count",
      code: "provider_error",
    });
    expect(b.record(failed("provider_unreachable"))).to.deep.equal({
      kind: "trip",
      code: "provider_unreachable",
    });
    expect(b.snapshot()).to.deep.include({
      isOpen: true,
      failures: 2,
      lastErrorCode: "provider_unreachable",
    });
  });

  it("an ignored outcome leaves the counts as they were", () => {
    const b = breaker();
    b.record(failed("provider_timeout"));
    b.record({ ok: false, error: new Error("bug"), callerAborted: false });
    expect(b.snapshot()).to.deep.include({ totalRequests: 1, consecutiveFailures: 1 });
  });
});
