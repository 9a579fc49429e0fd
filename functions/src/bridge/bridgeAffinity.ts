import { rendezvousOrder } from "../core/rendezvous";

/*
 * Which bridge runs a conversation's job: its home among the live bridges (rendezvous hashing,
 * core/rendezvous.ts), whose LM Studio holds the conversation's previous prompt in its KV cache.
 * Another bridge leaves the job to the home for a moment only, never longer than
 * BRIDGE_HOME_GRACE_MS (1 s), and not at all when the home is not live, its LM Studio does not
 * answer, or it is at its concurrency: a job is never held up for the cache.
 */

/** A bridge as its presence document shows it (`system/ai/bridges/{id}`). */
export interface BridgePeer {
  bridgeId: string;
  lastSeenMs: number;
  heartbeatMs: number;
  stopped: boolean;
  /** Its LM Studio answers (presence `lmStudio.ready`; older bridges said nothing: true). */
  ready: boolean;
  inFlight: number;
  concurrency: number;
}

/** Live as health counts it: seen within two of its heartbeats, not stopped, LM Studio answering. */
const live = (peer: BridgePeer, now: number) =>
  !peer.stopped && peer.ready && now - peer.lastSeenMs <= 2 * peer.heartbeatMs;

/**
 * How long this bridge should leave a queued job to the conversation's home bridge: 0 to take it
 * now. `queuedAtMs` is when the job was queued (the server's clock).
 */
export function leaveToHomeMs(
  job: { affinity?: string; queuedAtMs: number },
  selfId: string,
  peers: BridgePeer[],
  now: number,
  graceMs: number,
): number {
  if (!job.affinity) return 0;
  const others = peers.filter((p) => p.bridgeId !== selfId && live(p, now));
  const [home] = rendezvousOrder(
    job.affinity,
    [selfId, ...others.map((p) => p.bridgeId)],
    (id) => id,
  );
  if (home === selfId) return 0;
  const peer = others.find((p) => p.bridgeId === home);
  if (!peer || peer.inFlight >= peer.concurrency) return 0;
  const waited = Math.max(0, now - job.queuedAtMs);
  return Math.max(0, Math.min(graceMs, graceMs - waited));
}
