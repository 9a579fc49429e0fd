import type { Firestore } from "firebase-admin/firestore";
import { log } from "../observability/log";
import { publishEndpointStatuses } from "../providers/endpointStatusStore";
import type { ProviderRuntime } from "../providers/providerRuntime";
import type { GenerationOutcome } from "./generationOutcome";
import type { ResultTarget } from "./resultTarget";

/** One structured line per outcome: ids, provider, model, status, code, latency, attempts; never text. */
function logOutcome(taskName: string, target: ResultTarget, outcome: GenerationOutcome): void {
  const where = { ...target.logFields, status: outcome.status };
  if (outcome.status === "ready") {
    const a = outcome.answer;
    log.info(`${taskName} ready`, {
      ...where,
      provider: a.provider,
      model: a.model,
      latencyMs: a.latencyMs,
      attempts: a.attempts,
      fallbackFrom: a.fallbackFrom,
      completionTokens: a.usage?.completionTokens,
    });
  } else if (outcome.status === "error") {
    log.warn(`${taskName} failed`, {
      ...where,
      code: outcome.code,
      message: outcome.message,
      provider: outcome.provider,
      model: outcome.model,
      latencyMs: outcome.latencyMs,
      attempts: outcome.attempts,
      fallbackFrom: outcome.fallbackFrom,
    });
  } else if (outcome.status === "superseded") {
    log.info(`${taskName} superseded`, {
      ...where,
      supersededBy: outcome.supersededBy,
      reason: outcome.reason,
    });
  } else {
    log.info(`${taskName} skipped`, { ...where, reason: outcome.reason });
  }
}

/**
 * What follows a recorded outcome (whose metrics were committed with it): the log line, and any
 * circuit breaker that changed state. Neither may fail or undo the result, so errors are logged
 * and swallowed.
 */
export async function publishOutcome(
  db: Firestore,
  taskName: string,
  target: ResultTarget,
  outcome: GenerationOutcome,
  runtime: ProviderRuntime | undefined,
): Promise<void> {
  logOutcome(taskName, target, outcome);
  const changes = runtime?.router.takeStateChanges() ?? [];
  await publishEndpointStatuses(db, changes).catch((err) =>
    log.warn("breaker state not published", { error: String(err) }),
  );
}
