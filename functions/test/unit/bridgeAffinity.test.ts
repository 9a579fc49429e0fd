import { expect } from "chai";
import { BridgePeer, leaveToHomeMs } from "../../src/bridge/bridgeAffinity";

/** BRIDGE_HOME_GRACE_MS's default. */
const HOME_PICKUP_GRACE_MS = 1_000;
import { rendezvousOrder } from "../../src/core/rendezvous";

/*
 * Bridges sharing the queue keep a conversation on its home bridge (whose LM Studio holds the
 * conversation's cache), and never hold a job up for it.
 */

const NOW = 1_800_000_000_000;
const peer = (bridgeId: string, over: Partial<BridgePeer> = {}): BridgePeer => ({
  bridgeId,
  lastSeenMs: NOW - 100,
  heartbeatMs: 1_000,
  stopped: false,
  ready: true,
  inFlight: 0,
  concurrency: 2,
  ...over,
});
const peers = [peer("office-1"), peer("office-2")];
/** A conversation whose home, between the two, is `id`. */
const homedOn = (id: string) =>
  Array.from({ length: 50 }, (_, i) => `w/c-${i}`).find(
    (c) => rendezvousOrder(c, ["office-1", "office-2"], (x) => x)[0] === id,
  ) as string;

describe("a conversation's home bridge", () => {
  it("the home takes its conversation's job at once", () => {
    const affinity = homedOn("office-1");
    expect(
      leaveToHomeMs({ affinity, queuedAtMs: NOW }, "office-1", peers, NOW, HOME_PICKUP_GRACE_MS),
    ).to.equal(0);
  });

  it("another bridge leaves it to the home for the grace at most, then takes it", () => {
    const affinity = homedOn("office-1");
    expect(
      leaveToHomeMs({ affinity, queuedAtMs: NOW }, "office-2", peers, NOW, HOME_PICKUP_GRACE_MS),
    ).to.equal(HOME_PICKUP_GRACE_MS);
    expect(
      leaveToHomeMs(
        { affinity, queuedAtMs: NOW - 400 },
        "office-2",
        peers,
        NOW,
        HOME_PICKUP_GRACE_MS,
      ),
    ).to.equal(HOME_PICKUP_GRACE_MS - 400);
    expect(
      leaveToHomeMs(
        { affinity, queuedAtMs: NOW - HOME_PICKUP_GRACE_MS },
        "office-2",
        peers,
        NOW,
        HOME_PICKUP_GRACE_MS,
      ),
    ).to.equal(0);
    // A bridge whose clock is behind the server's waits no longer than the grace.
    expect(
      leaveToHomeMs(
        { affinity, queuedAtMs: NOW + 60_000 },
        "office-2",
        peers,
        NOW,
        HOME_PICKUP_GRACE_MS,
      ),
    ).to.equal(HOME_PICKUP_GRACE_MS);
  });

  it("takes it at once when the home is stopped, silent, without LM Studio, or busy", () => {
    const affinity = homedOn("office-1");
    const job = { affinity, queuedAtMs: NOW };
    for (const home of [
      peer("office-1", { stopped: true }),
      peer("office-1", { lastSeenMs: NOW - 2_001 }),
      peer("office-1", { ready: false }),
      peer("office-1", { inFlight: 2 }),
    ]) {
      expect(
        leaveToHomeMs(job, "office-2", [home, peer("office-2")], NOW, HOME_PICKUP_GRACE_MS),
      ).to.equal(0);
    }
  });

  it("a job of no conversation is anyone's", () => {
    expect(
      leaveToHomeMs({ queuedAtMs: NOW }, "office-2", peers, NOW, HOME_PICKUP_GRACE_MS),
    ).to.equal(0);
  });
});
