import { isPending, type GenerationStatus } from "../core/vocabulary";
import type { ResultTarget } from "./resultTarget";

/** What a claim found on the result document. */
export interface ExistingResult {
  exists: boolean;
  status: unknown;
  /** When it was last written (epoch ms), if it has been. */
  updatedAtMs?: number;
  requestId?: unknown;
}

/** The claim's write: what the result becomes when this invocation takes it. */
export type ClaimWrite = "create" | "reclaim" | "claim_request" | "regenerate";

export type ClaimDecision =
  | { claimed: true; reclaimed: boolean; write: ClaimWrite }
  | { claimed: false; status: GenerationStatus | "unknown" };

/**
 * Whether this invocation may generate the result, given what the document holds; pure, one
 * reason a line. `staleAfterMs`: a claim pending longer belongs to an instance that died.
 */
export function decideClaim(
  found: ExistingResult,
  claim: ResultTarget["claim"],
  staleAfterMs: number,
  now = Date.now(),
): ClaimDecision {
  const mode = claim?.mode ?? "new";
  const { status } = found;
  const taken = { claimed: false, status: (status as GenerationStatus) ?? "unknown" } as const;
  // The request was deleted meanwhile: nothing to answer on.
  if (!found.exists && mode === "request") return taken;
  // Released by a failed attempt meanwhile: created again.
  if (!found.exists) return { claimed: true, reclaimed: false, write: "create" };
  // Still pending after the function's timeout: its instance died; a redelivery takes over.
  const age = found.updatedAtMs !== undefined ? now - found.updatedAtMs : Infinity;
  if (isPending(status) && age > staleAfterMs) {
    return { claimed: true, reclaimed: true, write: "reclaim" };
  }
  // A client's request document with no status yet is claimed once.
  if (mode === "request" && status === undefined) {
    return { claimed: true, reclaimed: false, write: "claim_request" };
  }
  // A finished result is generated again once per request id, never while one is running.
  if (claim?.mode === "regenerate" && found.requestId !== claim.requestId && !isPending(status)) {
    return { claimed: true, reclaimed: false, write: "regenerate" };
  }
  return taken;
}
