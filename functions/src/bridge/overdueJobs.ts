import { Firestore, Timestamp } from "firebase-admin/firestore";
import type { Env } from "../config/envValues";
import { parseRuntimeConfig } from "../config/runtimeConfig";
import { functionTimeoutMs } from "../core/functionTimeouts";
import { paths } from "../core/paths";
import type { LlmJob } from "../queue/jobQueue";
import { log } from "../observability/log";
import { takeJob } from "../queue/jobQueue";
import { runQueuedJob } from "./runQueuedJob";

/** Below this much of the sweep's own time left, no further job is started: it could not end. */
const MIN_SWEEP_TIME_MS = 30_000;

/**
 * Enforces BRIDGE_PICKUP_MS in production (a scheduled function, every minute) and in
 * `npm run dev`: a job no bridge took in time runs here, where LM Studio cannot be reached, so
 * it falls back to OpenAI where the workspace allows it and otherwise ends `bridge_offline`,
 * whose hint says to start the bridge. The sweeper takes run 1's lease like a bridge would, so a
 * bridge that wakes up late cannot run the same job too.
 */
export async function runOverdueJobs(
  db: Firestore,
  env: Env,
  now = Date.now(),
  startedAt = Date.now(),
): Promise<{ swept: number }> {
  const config = parseRuntimeConfig(env);
  if (config.lmStudio.mode !== "bridge") return { swept: 0 };
  const stale = await db
    .collection(paths.llmJobs())
    .where("status", "==", "queued")
    .where("createdAt", "<=", Timestamp.fromMillis(now - config.bridge.pickupMs))
    .get();
  const seconds = Math.round(config.bridge.pickupMs / 1000);
  // Every job runs inside this function's own timeout, one after another: each is planned with
  // what is left of it, and its lease lasts as long, so no bridge takes over a run still going.
  const sweepEndsAt = startedAt + functionTimeoutMs("sweepBridgeJobs");
  let swept = 0;
  for (const doc of stale.docs) {
    const left = sweepEndsAt - Date.now();
    if (left < MIN_SWEEP_TIME_MS) break; // the next sweep, a minute from now, takes the rest
    const job = doc.data() as LlmJob;
    const runNumber = await takeJob(db, doc.id, job, "cloud-sweeper", left);
    if (runNumber === undefined) continue;
    swept += 1;
    await runQueuedJob(db, doc.id, job, {
      env,
      startedAt,
      timeoutMs: Math.min(
        sweepEndsAt - startedAt,
        job.timeoutMs ?? functionTimeoutMs("onMessageCreated"),
      ),
      lmStudioUnreachable: `No bridge picked this job up within ${seconds} s: start \`npm run bridge\` on the PC that runs LM Studio.`,
    }).catch((err) => log.error("sweeper: job failed", { jobId: doc.id, error: String(err) }));
  }
  return { swept };
}
