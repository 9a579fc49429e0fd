import { createHash } from "node:crypto";
import { rendezvousOrder } from "../core/rendezvous";
import type { ProviderId } from "../core/vocabulary";
import { GenerationError } from "../core/errorCodes";
import type { BreakerSnapshot } from "./circuitBreaker";
import { endpointLoad, PROVIDER_LABELS, ProviderEndpoint } from "./providerEndpoint";

export interface EndpointStatus extends BreakerSnapshot {
  /** Stable id of provider + URL, safe to use as a document id. */
  endpointId: string;
  provider: ProviderId;
  baseUrl: string;
  inFlight: number;
}

export function endpointId(provider: ProviderId, baseUrl: string): string {
  return createHash("sha256").update(`${provider} ${baseUrl}`).digest("hex").slice(0, 20);
}

/** Every slot of the server is taken (or promised) in this instance: a new request would wait. */
const saturated = (e: ProviderEndpoint) => endpointLoad(e) >= e.limit.concurrency;

/**
 * The servers of one provider: several LM Studio PCs, or the one OpenAI endpoint. A request of a
 * conversation goes to the conversation's server (rendezvous hashing over the ones whose breaker
 * lets them through), whose KV cache holds its previous prompt; when that one's slots are all
 * taken and another has a free one, it spills over. Without a conversation, requests go to the
 * least busy server; ties rotate so idle servers share work.
 */
export class ProviderPool {
  private turn = 0;
  private readonly reportedStates = new Map<ProviderEndpoint, string>();

  constructor(
    readonly provider: ProviderId,
    readonly endpoints: ProviderEndpoint[],
  ) {}

  /**
   * The server for the next attempt, preferring ones this suggestion has not tried yet: a retry
   * after a failure goes elsewhere when there is an elsewhere. Undefined when every breaker is open.
   */
  pick(tried: ReadonlySet<ProviderEndpoint>, affinity?: string): ProviderEndpoint | undefined {
    const available = this.endpoints.filter((e) => e.breaker.isAvailable());
    if (available.length === 0) return undefined;
    const untried = available.filter((e) => !tried.has(e));
    const candidates = untried.length > 0 ? untried : available;
    if (affinity !== undefined && candidates.length > 1) {
      const [home, ...others] = rendezvousOrder(affinity, candidates, (e) =>
        endpointId(e.provider, e.baseUrl),
      );
      const spill = others.filter((e) => !saturated(e));
      if (!saturated(home) || spill.length === 0) return home;
      // The next server in the conversation's own order among the least busy.
      return spill.reduce((best, e) => (endpointLoad(e) < endpointLoad(best) ? e : best));
    }
    const start = this.turn++;
    const order = (e: ProviderEndpoint) =>
      (this.endpoints.indexOf(e) - start + 1e6) % this.endpoints.length;
    return [...candidates].sort(
      (a, b) => endpointLoad(a) - endpointLoad(b) || order(a) - order(b),
    )[0];
  }

  /** The fail-fast answer while every server's breaker is open. */
  circuitOpenError(): GenerationError {
    const code =
      this.endpoints.map((e) => e.breaker.lastErrorCode).find((c) => c !== null) ??
      "provider_unreachable";
    const retryAt = Math.min(
      ...this.endpoints.map((e) => e.breaker.snapshot().retryAt ?? Date.now()),
    );
    const which =
      this.endpoints.length === 1
        ? this.endpoints[0].label
        : `every ${PROVIDER_LABELS[this.provider]} server`;
    return new GenerationError(
      code,
      `${which} kept failing (${code}); its circuit breaker is open, so no request was sent. The next try goes through after ${new Date(retryAt).toISOString()}.`,
    );
  }

  /** Endpoints whose breaker changed state since the last call (first call: those ever used). */
  takeStateChanges(): EndpointStatus[] {
    const changed: EndpointStatus[] = [];
    for (const endpoint of this.endpoints) {
      const status = this.statusOf(endpoint);
      const previous =
        this.reportedStates.get(endpoint) ??
        (status.totalRequests === 0 ? status.state : undefined);
      if (previous !== status.state) changed.push(status);
      this.reportedStates.set(endpoint, status.state);
    }
    return changed;
  }

  private statusOf(e: ProviderEndpoint): EndpointStatus {
    return {
      endpointId: endpointId(this.provider, e.baseUrl),
      provider: this.provider,
      baseUrl: e.baseUrl,
      inFlight: endpointLoad(e),
      ...e.breaker.snapshot(),
    };
  }
}
