import type { Auth } from "firebase-admin/auth";
import { gzipSync } from "node:zlib";
import { performance } from "node:perf_hooks";
import { bundlePage } from "../dev/pageBundles";
import { minifiedKitBytes } from "../dev/inboxKitBuild";
import { answerConsoleRequest } from "../src/consoleEndpoint/answerConsoleRequest";
import { paths } from "../src/core/paths";

/*
 * `npm run bench`, section 10: one aiConsole call on 14 and 90 days of metrics (reads and
 * latency, against the emulator: the latency is the function's own work plus loopback round
 * trips, not a region's), and the page's bundle, gzipped. Run alone with
 * `node build-dev/bench/consoleBench.js` after `npx tsc -p tsconfig.dev.json`.
 */

type Harness = typeof import("../test/support/harness");

/** Billed reads of one call: a query or aggregation with no result still costs one. */
function readsOf(body: Record<string, unknown>): number {
  const live = body.live as { breakers: unknown[]; mode: string; lmStudio: { servers: unknown[] } };
  const metrics = Math.max(1, Number(body.metricsDocuments));
  const member = 1;
  const breakers = Math.max(1, live.breakers.length);
  const counts = 1 + 3; // suggestions in flight; knowledge index by status
  const bridge = live.mode === "bridge" ? Math.max(1, live.lmStudio.servers.length) + 3 : 0;
  return member + metrics + breakers + counts + bridge;
}

export async function runConsoleBench(h: Harness): Promise<void> {
  const { seedConsoleMetrics } = await import("../test/support/consoleSeed.js");
  const auth = { verifyIdToken: async () => ({ uid: "bench-admin" }) } as unknown as Auth;
  for (const days of [14, 90]) {
    const workspaceId = `bench-console-${days}`;
    await h.db().doc(paths.member(workspaceId, "bench-admin")).set({ role: "admin" });
    await seedConsoleMetrics(workspaceId, days);
    const request = {
      method: "GET",
      authorization: "Bearer x",
      workspace: workspaceId,
      days: String(days),
    };
    const deps = { db: h.db(), auth };
    await answerConsoleRequest(request, deps); // warm: the probe cache, the SDK's channel
    const samples: number[] = [];
    let reads = 0;
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      const answer = await answerConsoleRequest(request, deps);
      samples.push(performance.now() - started);
      reads = readsOf(answer.body);
    }
    samples.sort((a, b) => a - b);
    console.log(
      `aiConsole on ${days} days of metrics: ${reads} document reads a call, p50 ${samples[10].toFixed(1)} ms, p95 ${samples[18].toFixed(1)} ms (20 calls)`,
    );
  }
  const files = await bundlePage("console");
  const gz = (b: Buffer) => (gzipSync(b, { level: 9 }).length / 1024).toFixed(1);
  console.log(
    `console page bundle: console.js ${(files.js.length / 1024).toFixed(1)} KiB (${gz(files.js)} KiB gzipped), console.css ${gz(files.css)} KiB gzipped, index.html ${gz(files.html)} KiB gzipped`,
  );
  const inbox = await bundlePage("inbox");
  console.log(
    `inbox page bundle: inbox.js ${(inbox.js.length / 1024).toFixed(1)} KiB (${gz(inbox.js)} KiB gzipped; the Firestore and Auth web SDKs are most of it), inbox.css ${gz(inbox.css)} KiB gzipped`,
  );
  const kit = await minifiedKitBytes();
  console.log(
    `inbox kit: ${(kit.bytes / 1024).toFixed(1)} KiB minified, ${(kit.gzipBytes / 1024).toFixed(1)} KiB gzipped (without the Firebase SDK, the app's own)`,
  );
}

if (require.main === module) {
  void (async () => {
    process.env.GCLOUD_PROJECT ??= "demo-lmstudio-suggestions";
    process.env.LOG_LEVEL = "silent";
    process.env.LLM_STUDIO_URL = "http://127.0.0.1:9";
    const { startBenchFirestore } = await import("./firestoreProcess.js");
    const emulator = await startBenchFirestore();
    console.log(`Firestore: ${emulator.description}`);
    const h = await import("../test/support/harness.js");
    await runConsoleBench(h);
    emulator.stop();
    process.exit(0);
  })();
}
