import { FUNCTION_TIMEOUT_SECONDS } from "../core/functionTimeouts";
import { getFirestore } from "firebase-admin/firestore";
import { onSchedule } from "firebase-functions/scheduler";
import { FUNCTION_SECRETS } from "../config/functionSecrets";

/**
 * Bridge mode's pickup deadline: every minute, jobs no bridge took within BRIDGE_PICKUP_MS fall
 * back to OpenAI where allowed, or end `bridge_offline`. In direct mode it reads nothing.
 */
export const sweepBridgeJobs = onSchedule(
  {
    schedule: "every 1 minutes",
    timeoutSeconds: FUNCTION_TIMEOUT_SECONDS.sweepBridgeJobs,
    memory: "256MiB",
    secrets: FUNCTION_SECRETS.sweepBridgeJobs,
  },
  async () => {
    // LLM_STUDIO_MODE as declared once (config/envSpec.ts): its default, and a wrong value named.
    const { readEnv } = await import("../config/envValues.js");
    if (readEnv(process.env, "LLM_STUDIO_MODE") !== "bridge") return;
    const { runOverdueJobs: sweep } = await import("../bridge/overdueJobs.js");
    await sweep(getFirestore(), process.env);
  },
);
