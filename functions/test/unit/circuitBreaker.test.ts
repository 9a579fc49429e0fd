import { expect } from "chai";
import { CircuitBreaker } from "../../src/providers/circuitBreaker";

describe("circuit breaker", () => {
  let now: number;
  const breaker = () =>
    new CircuitBreaker({ failureThreshold: 3, cooldownMs: 1000, now: () => now });
  beforeEach(() => {
    now = 1_000_000;
  });

  it("opens after the threshold of consecutive failures and refuses requests", () => {
    const b = breaker();
    b.recordFailure("provider_unreachable");
    b.recordFailure("provider_unreachable");
    expect(b.tryAcquire()).to.equal(true);
    b.recordFailure("provider_timeout");
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
    b.recordFailure("provider_error");
    b.recordFailure("provider_error");
    b.recordSuccess();
    b.recordFailure("provider_error");
    b.recordFailure("provider_error");
    expect(b.snapshot().isOpen).to.equal(false);
  });

  it("after the cooldown lets exactly one probe through; its success closes the circuit", () => {
    const b = breaker();
    for (let i = 0; i < 3; i++) b.recordFailure("provider_unreachable");
    now += 1000;
    expect(b.snapshot()).to.deep.include({ state: "half_open", isOpen: false });
    expect(b.tryAcquire()).to.equal(true);
    expect(b.tryAcquire()).to.equal(false);
    b.recordSuccess();
    expect(b.snapshot().state).to.equal("closed");
    expect(b.tryAcquire()).to.equal(true);
  });

  it("a failed probe opens the circuit for another cooldown at once", () => {
    const b = breaker();
    for (let i = 0; i < 3; i++) b.recordFailure("provider_unreachable");
    now += 1000;
    expect(b.tryAcquire()).to.equal(true);
    b.recordFailure("provider_unreachable");
    expect(b.tryAcquire()).to.equal(false);
    now += 999;
    expect(b.tryAcquire()).to.equal(false);
    now += 1;
    expect(b.tryAcquire()).to.equal(true);
  });

  it("counts requests and the success rate for the metrics", () => {
    const b = breaker();
    expect(b.snapshot()).to.deep.include({ successRate: 1, totalRequests: 0 });
    b.recordSuccess();
    b.recordSuccess();
    b.recordSuccess();
    b.recordFailure("provider_rate_limited");
    expect(b.snapshot()).to.deep.include({
      successRate: 0.75,
      totalRequests: 4,
      failures: 1,
      consecutiveFailures: 1,
    });
  });
});
