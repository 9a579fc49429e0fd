import { Firestore, Timestamp } from "firebase-admin/firestore";
import type { Env } from "../config/envValues";
import { parseRuntimeConfig } from "../config/runtimeConfig";
import { paths } from "../core/paths";
import type { LlmJob } from "../engine/jobQueue";
import { log } from "../observability/log";
import { runQueuedJob, takeJob } from "./runQueuedJob";

/** The lease the sweeper takes: long enough for an OpenAI answer. */
const SWEEPER_LEASE_MS = 120_000;

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
): Promise<{ swept: number }> {
  const config = parseRuntimeConfig(env);
  if (config.lmStudio.mode !== "bridge") return { swept: 0 };
  const stale = await db
    .collection(paths.llmJobs())
    .where("status", "==", "queued")
    .where("createdAt", "<=", Timestamp.fromMillis(now - config.bridge.pickupMs))
    .get();
  const seconds = Math.round(config.bridge.pickupMs / 1000);
  let swept = 0;
  for (const doc of stale.docs) {
    const job = doc.data() as LlmJob;
    const run = await takeJob(db, doc.id, job, "cloud-sweeper", SWEEPER_LEASE_MS);
    if (run === undefined) continue;
    swept += 1;
    await runQueuedJob(db, doc.id, job, {
      env,
      lmStudioUnreachable: `No bridge picked this job up within ${seconds} s: start \`npm run bridge\` on the PC that runs LM Studio.`,
    }).catch((err) => log.error("sweeper: job failed", { jobId: doc.id, error: String(err) }));
  }
  return { swept };
}
