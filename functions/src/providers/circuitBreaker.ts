import { ErrorCode, GenerationError } from "../core/errorCodes";

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

/** How one attempt on the server ended, as far as its breaker is concerned. */
export type AttemptOutcome =
  | { ok: true }
  | {
      ok: false;
      /** What the call threw: a GenerationError, or a bug that is thrown on. */
      error: unknown;
      /** The caller no longer wanted the answer when the attempt ended. */
      callerAborted: boolean;
    };

/** What the breaker does with one outcome. */
export type BreakerDecision =
  /** The server answered: the run of failures ends and the circuit closes. */
  | { kind: "reset" }
  /** The server's failure: one more towards opening the circuit. */
  | { kind: "count"; code: ErrorCode }
  /** The server's failure that opens the circuit: the threshold's, or a failed probe. */
  | { kind: "trip"; code: ErrorCode }
  /** Not an outcome but a bug, thrown on: the breaker learns nothing. */
  | { kind: "ignore" };

/** Where a breaker stands, as far as its next decision needs. */
export interface BreakerPosition {
  state: BreakerState;
  consecutiveFailures: number;
  failureThreshold: number;
}

/**
 * The breaker's one decision, over the error table (ERROR_TABLE's countsAgainstServer): refused
 * connections, timeouts, 5xx, 401/403 and 429 are the server's fault; a missing model, an
 * overlong prompt, an unusable reply or another 4xx are our request's, and prove the server alive.
 */
export function breakerDecision(
  outcome: AttemptOutcome,
  position: BreakerPosition,
): BreakerDecision {
  if (outcome.ok) return { kind: "reset" };
  if (!(outcome.error instanceof GenerationError)) return { kind: "ignore" };
  // A caller's abort says nothing against the server; it is recorded as an answer.
  if (outcome.callerAborted) return { kind: "reset" };
  if (!outcome.error.countsAgainstServer) return { kind: "reset" };
  return serverFailure(outcome.error.code, position);
}

/** A failure that is the server's: it opens the circuit when it was the probe or the threshold's. */
function serverFailure(code: ErrorCode, position: BreakerPosition): BreakerDecision {
  const opens =
    position.state === "half_open" || position.consecutiveFailures + 1 >= position.failureThreshold;
  return opens ? { kind: "trip", code } : { kind: "count", code };
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

  /** Learns from how an attempt ended (breakerDecision) and returns what it decided. */
  record(outcome: AttemptOutcome): BreakerDecision {
    const decision = breakerDecision(outcome, this.position());
    this.apply(decision);
    return decision;
  }

  private position(): BreakerPosition {
    return {
      state: this.state,
      consecutiveFailures: this.consecutive,
      failureThreshold: this.options.failureThreshold,
    };
  }

  private apply(decision: BreakerDecision): void {
    // Whatever the attempt proved, it is over: a probe that ended in a bug of ours must not
    // hold the half-open circuit for good, or the server is never tried again.
    this.probeInFlight = false;
    if (decision.kind === "ignore") return;
    this.total += 1;
    if (decision.kind === "reset") {
      this.consecutive = 0;
      this.state = "closed";
      return;
    }
    this.failed += 1;
    this.consecutive += 1;
    this.lastCode = decision.code;
    if (decision.kind === "trip") {
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
