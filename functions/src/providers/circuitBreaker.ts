import type { ErrorCode } from "../core/errorCodes";

export type BreakerState = "closed" | "open" | "half_open";

/** What health and metrics read about one endpoint: the shape in the team's guide, plus detail. */
export interface BreakerSnapshot {
  state: BreakerState;
  isOpen: boolean;
  /** Successful requests over all requests, 1 before the first request. */
  successRate: number;
  totalRequests: number;
  failures: number;
  consecutiveFailures: number;
  lastErrorCode: ErrorCode | null;
  /** While open: when the next probe may go through (epoch ms). */
  retryAt: number | null;
}

export interface BreakerOptions {
  failureThreshold: number;
  cooldownMs: number;
  now?: () => number;
}

/**
 * Stops hammering a dead server: after `failureThreshold` consecutive failures the circuit opens
 * and requests are refused at once for `cooldownMs`; then one probe goes through (half-open).
 * The probe's success closes the circuit, its failure opens it for another cooldown.
 * Per function instance: instances do not share state, each learns within a few requests.
 */
export class CircuitBreaker {
  private state: BreakerState = "closed";
  private openedAt = 0;
  private probeInFlight = false;
  private total = 0;
  private failed = 0;
  private consecutive = 0;
  private lastCode: ErrorCode | null = null;
  private readonly now: () => number;

  constructor(private readonly options: BreakerOptions) {
    this.now = options.now ?? Date.now;
  }

  private cooledDown(): boolean {
    return this.now() - this.openedAt >= this.options.cooldownMs;
  }

  /** Whether a request could go through now; does not change the state. */
  isAvailable(): boolean {
    if (this.state === "closed") return true;
    if (this.state === "open") return this.cooledDown();
    return !this.probeInFlight;
  }

  /** Claims permission for one request; after the cooldown, the first caller becomes the probe. */
  tryAcquire(): boolean {
    if (this.state === "closed") return true;
    if (this.state === "open") {
      if (!this.cooledDown()) return false;
      this.state = "half_open";
    }
    if (this.probeInFlight) return false;
    this.probeInFlight = true;
    return true;
  }

  /** The server answered (even with a 4xx about our request): it is alive. */
  recordSuccess(): void {
    this.total += 1;
    this.consecutive = 0;
    this.probeInFlight = false;
    this.state = "closed";
  }

  /** The server is down, overloaded or refusing us: counts towards opening. */
  recordFailure(code: ErrorCode): void {
    this.total += 1;
    this.failed += 1;
    this.consecutive += 1;
    this.lastCode = code;
    const probeFailed = this.state === "half_open";
    this.probeInFlight = false;
    if (probeFailed || this.consecutive >= this.options.failureThreshold) {
      this.state = "open";
      this.openedAt = this.now();
    }
  }

  get lastErrorCode(): ErrorCode | null {
    return this.lastCode;
  }

  snapshot(): BreakerSnapshot {
    const open = this.state === "open" && !this.cooledDown();
    return {
      state: this.state === "open" && !open ? "half_open" : this.state,
      isOpen: open,
      successRate: this.total === 0 ? 1 : (this.total - this.failed) / this.total,
      totalRequests: this.total,
      failures: this.failed,
      consecutiveFailures: this.consecutive,
      lastErrorCode: this.lastCode,
      retryAt: open ? this.openedAt + this.options.cooldownMs : null,
    };
  }
}
