import { FieldValue, Timestamp } from "firebase-admin/firestore";
import type { GenerationOutcome } from "./generationOutcome";
import type { AiRequestAnswer, ReportDocument, SuggestionDocument } from "../contract/documents";

/*
 * The fields of a result document (a suggestion: `…/suggestions/{messageId}`) for each state.
 * Terminal states are written with update() so that `createdAt` and the claim's fields survive;
 * every write stamps `updatedAt` with the server's clock, and terminal ones `completedAt`.
 */

/** A document's fields as a write holds them: any of them, each its value or a FieldValue. */
type Writable<D> = { [K in keyof D]?: D[K] | FieldValue };

/**
 * Every field a result document may hold (a suggestion, a report, an answered request), as the
 * contract declares it: a field the contract lacks, or a value of another type, fails to compile.
 */
export type ResultWrite = Writable<
  SuggestionDocument<WrittenTime> & ReportDocument<WrittenTime> & AiRequestAnswer
>;
/** The Admin SDK stores a Date as a Timestamp. */
type WrittenTime = Timestamp | Date;

/**
 * What every claim writes: the claiming invocation's token, and when its run will have ended at
 * the latest (the function's timeout less the outcome write's reserve), when it plans one.
 */
export interface ClaimStamp {
  claimToken: string;
  deadlineAtMs?: number;
  /** What the claimed result shows: `generating`, or `queued` when the bridge will run it. */
  status?: "generating" | "queued";
}

const stamped = ({ claimToken, deadlineAtMs, status }: ClaimStamp) => ({
  status: status ?? "generating",
  claimToken,
  ...(deadlineAtMs !== undefined ? { deadlineAt: Timestamp.fromMillis(deadlineAtMs) } : {}),
});

export function generatingFields(identity: ResultWrite, claim: ClaimStamp): ResultWrite {
  return {
    ...identity,
    claims: 1,
    ...stamped(claim),
    createdAt: FieldValue.serverTimestamp(),
    updatedAt: FieldValue.serverTimestamp(),
  };
}

export function reclaimFields(claim: ClaimStamp): ResultWrite {
  return {
    ...stamped(claim),
    claims: FieldValue.increment(1),
    updatedAt: FieldValue.serverTimestamp(),
  };
}

/** A client-created request document becomes this job's claim; its own fields stay. */
export function claimOfRequestFields(claim: ClaimStamp): ResultWrite {
  return {
    claims: 1,
    ...stamped(claim),
    updatedAt: FieldValue.serverTimestamp(),
  };
}

/**
 * A finished result generated again at an agent's request: a new version, the old answer and
 * what agents did with it gone.
 */
export function regenerateFields(requestId: string, claim: ClaimStamp): ResultWrite {
  return {
    requestId,
    ...stamped(claim),
    version: FieldValue.increment(1),
    claims: FieldValue.increment(1),
    text: FieldValue.delete(),
    error: FieldValue.delete(),
    options: FieldValue.delete(),
    optionsFallback: FieldValue.delete(),
    agentUse: FieldValue.delete(),
    completedAt: FieldValue.delete(),
    updatedAt: FieldValue.serverTimestamp(),
  };
}

/** Fields for a terminal outcome, clearing any left over from an earlier state. */
export function outcomeFields(outcome: GenerationOutcome): ResultWrite {
  const stamps = {
    updatedAt: FieldValue.serverTimestamp(),
    completedAt: FieldValue.serverTimestamp(),
  };
  switch (outcome.status) {
    case "ready": {
      const a = outcome.answer;
      return {
        status: "ready",
        text: a.text,
        provider: a.provider,
        model: a.model,
        usage: a.usage,
        finishReason: a.finishReason,
        truncated: a.truncated,
        firstTextMs: outcome.firstTextMs ?? FieldValue.delete(),
        ...outcome.fields,
        latencyMs: a.latencyMs,
        attempts: a.attempts,
        fallbackFrom: a.fallbackFrom ?? FieldValue.delete(),
        privacy: a.privacy ?? FieldValue.delete(),
        error: FieldValue.delete(),
        ...stamps,
      };
    }
    case "error":
      return {
        status: "error",
        error: { code: outcome.code, message: outcome.message, hint: outcome.hint },
        provider: outcome.provider ?? null,
        model: outcome.model ?? null,
        latencyMs: outcome.latencyMs,
        attempts: outcome.attempts,
        fallbackFrom: outcome.fallbackFrom ?? FieldValue.delete(),
        text: FieldValue.delete(),
        ...stamps,
      };
    case "skipped":
      return { status: "skipped", reason: outcome.reason, detail: outcome.detail, ...stamps };
    case "superseded":
      return {
        status: "superseded",
        supersededBy: outcome.supersededBy,
        reason: outcome.reason,
        text: FieldValue.delete(),
        ...stamps,
      };
  }
}

/** A result decided before any claim (skipped, invalid settings) is created whole at once. */
export function createdOutcomeFields(
  identity: ResultWrite,
  outcome: GenerationOutcome,
  claimToken: string,
): ResultWrite {
  const fields = outcomeFields(outcome);
  for (const [key, value] of Object.entries(fields)) {
    if (value instanceof FieldValue && value.isEqual(FieldValue.delete()))
      delete fields[key as keyof ResultWrite];
  }
  return {
    ...identity,
    claims: 0,
    claimToken,
    createdAt: FieldValue.serverTimestamp(),
    ...fields,
  };
}
