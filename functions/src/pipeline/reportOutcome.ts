import type { Firestore } from "firebase-admin/firestore";
import type { Runtime } from "../config/runtime";
import { parseRuntimeConfig } from "../config/runtimeConfig";
import type { MessageAddress } from "../firestore/paths";
import { publishEndpointStatuses } from "../health/endpointStatusStore";
import { recordSuggestionMetrics } from "../metrics/recordSuggestionMetrics";
import { log } from "../observability/log";
import type { SuggestionOutcome } from "../suggestions/suggestion";

/** One structured line per outcome: ids, provider, model, status, code, latency, attempts; never text. */
function logOutcome(address: MessageAddress, outcome: SuggestionOutcome): void {
  const where = { ...address, status: outcome.status };
  if (outcome.status === "ready") {
    const a = outcome.answer;
    log.info("suggestion ready", {
      ...where,
      provider: a.provider,
      model: a.model,
      latencyMs: a.latencyMs,
      attempts: a.attempts,
      fallbackFrom: a.fallbackFrom,
      completionTokens: a.usage?.completionTokens,
    });
  } else if (outcome.status === "error") {
    log.warn("suggestion failed", {
      ...where,
      code: outcome.code,
      message: outcome.message,
      provider: outcome.provider,
      model: outcome.model,
      latencyMs: outcome.latencyMs,
      attempts: outcome.attempts,
      fallbackFrom: outcome.fallbackFrom,
    });
  } else {
    log.info("suggestion skipped", { ...where, reason: outcome.reason });
  }
}

/**
 * What follows a recorded outcome: the log line, the workspace's metrics, and any circuit
 * breaker that changed state. None of it may fail or undo the suggestion, so errors are logged
 * and swallowed.
 */
export async function reportOutcome(
  db: Firestore,
  address: MessageAddress,
  outcome: SuggestionOutcome,
  runtime: Runtime | undefined,
): Promise<void> {
  logOutcome(address, outcome);
  // Without a valid runtime (an invalid_config outcome), the documented default prices.
  const prices = (runtime?.config ?? parseRuntimeConfig({})).cloudPrices;
  const changes = runtime?.router.takeStateChanges() ?? [];
  await Promise.all([
    recordSuggestionMetrics(db, address.workspaceId, outcome, prices).catch((err) =>
      log.warn("metrics not recorded", { ...address, error: String(err) }),
    ),
    publishEndpointStatuses(db, changes).catch((err) =>
      log.warn("breaker state not published", { error: String(err) }),
    ),
  ]);
}
