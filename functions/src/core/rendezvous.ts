import { createHash } from "node:crypto";

/*
 * Where a conversation lives among several places that can serve it (LM Studio servers in a pool,
 * bridges sharing the queue): rendezvous hashing. Each place is scored by a hash of the
 * conversation and the place's id; the highest wins. A place going away moves only its own
 * conversations, and they come back when it returns: LM Studio's KV cache of a conversation's
 * previous prompt is on the place that served it.
 */

export function rendezvousScore(affinity: string, placeId: string): number {
  return createHash("sha256").update(`${affinity}\u0000${placeId}`).digest().readUInt32BE(0);
}

/** The places in the conversation's order, its home first. */
export function rendezvousOrder<T>(affinity: string, places: T[], idOf: (place: T) => string): T[] {
  const scored = places.map((place) => ({ place, score: rendezvousScore(affinity, idOf(place)) }));
  return scored.sort((a, b) => b.score - a.score).map((s) => s.place);
}
