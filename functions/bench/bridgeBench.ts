import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { paths } from "../src/core/paths";
import type { FakeLmStudio } from "../test/support/fakeLmStudio";

type Harness = typeof import("../test/support/harness");

/**
 * Message to `ready` in bridge mode (trigger queues, a bridge process takes the job, runs it,
 * writes the result) against direct mode, with the same 1 s model, one suggestion at a time.
 */
export async function runBridgeBench(h: Harness, lm: FakeLmStudio): Promise<void> {
  lm.reset();
  lm.latencyMs = 1_000;
  // The burst window would add the same 1.5 s to both: measure the path, not the wait.
  process.env.BURST_WINDOW_MS = "0";
  const runs = 8;
  const time = async (mode: "direct" | "bridge"): Promise<number[]> => {
    process.env.LLM_STUDIO_MODE = mode;
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const conversation = await h.seedConversation({});
      const address = await h.createMessage(conversation, { direction: "inbound", text: `q${i}` });
      const deliver = await h.messageCreatedEvent(address);
      const started = Date.now();
      const ready = new Promise<void>((done) => {
        const stop = h
          .db()
          .doc(paths.suggestion(address))
          .onSnapshot((snap) => {
            if (snap.get("status") === "ready") {
              stop();
              done();
            }
          });
      });
      await deliver();
      await ready;
      samples.push(Date.now() - started);
    }
    return samples.sort((a, b) => a - b);
  };

  const direct = await time("direct");
  const bridge = spawn(process.execPath, [resolve(__dirname, "../src/bridge/bridgeCommand.js")], {
    env: {
      ...process.env,
      LLM_STUDIO_MODE: "bridge",
      BRIDGE_HEARTBEAT_MS: "1000",
      LOG_LEVEL: "silent",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((ready) =>
    bridge.stdout?.on("data", (d: Buffer) => {
      if (/running beside LM Studio/.test(d.toString())) ready();
    }),
  );
  const bridged = await time("bridge");
  bridge.kill("SIGKILL");
  delete process.env.LLM_STUDIO_MODE;
  delete process.env.BURST_WINDOW_MS;
  lm.latencyMs = 0;
  const median = (xs: number[]) => xs[xs.length >> 1];
  console.log(
    `message to ready, model 1 s, ${runs} runs: direct median ${median(direct)} ms, bridge median ${median(bridged)} ms (+${median(bridged) - median(direct)} ms: queue write, the bridge's listener, lease, claim)`,
  );
}
