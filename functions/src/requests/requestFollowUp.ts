import { type Language } from "../core/language";
import type { DocumentData, Firestore } from "firebase-admin/firestore";
import { hintFor } from "../core/errorCodes";
import { commitIdempotent } from "../core/firestoreCommit";
import { hasEnded, isPending } from "../core/vocabulary";
import type { FollowUp } from "../engine/engineDeps";
import type { TaskRunResult } from "../engine/executor";

/*
 * An agent's request ends by showing how the result it asked for ended: the request is the
 * run's declared follow-up, carried out by the engine once the result has ended, in this
 * invocation or, for a queued run, on the bridge after the job.
 */

/** The follow-up's data: what a queued job stores. */
export interface RequestFollowUp {
  kind: "regenerate" | "report";
  requestPath: string;
  resultPath: string;
  requestId: string;
  /** The team's language, for the hints the request document gets. */
  language: Language;
}

/**
 * The request's follow-up. The result's claim is the request's only claim: its commit shows the
 * request `generating`, and a redelivered request finds the result claimed (or ended) instead.
 */
export function requestFollowUp(data: RequestFollowUp): FollowUp {
  return {
    data: { ...data },
    shows: { path: data.requestPath, fields: { status: "generating" } },
    carryOut: (db, stored, result) => endRequest(db, stored, result),
  };
}

/**
 * Shows on the request how its result ended. A duplicate whose result another run still makes
 * writes nothing: that run's own follow-up ends the request. A request that has ended, or that
 * is gone, stays as it is: it is answered once.
 */
export async function endRequest(
  db: Firestore,
  stored: Record<string, unknown>,
  result: TaskRunResult,
): Promise<void> {
  const followUp = stored as unknown as RequestFollowUp;
  const produced = (await db.doc(followUp.resultPath).get()).data();
  if (result.kind === "duplicate" && isPending(produced?.status)) {
    const ours = followUp.kind === "report" || produced?.requestId === followUp.requestId;
    if (ours) return;
  }
  const fields =
    followUp.kind === "regenerate"
      ? mirrorOf(result, produced, followUp.requestId, followUp.language ?? "en")
      : {
          status: produced?.status === "ready" ? "ready" : "error",
          reportId: produced?.reportId ?? null,
          ...(produced?.status !== "ready" && produced?.error ? { error: produced.error } : {}),
          completedAt: new Date(),
        };
  const request = db.doc(followUp.requestPath);
  // A transaction: a redelivery's late mirror never overwrites the first delivery's end.
  await commitIdempotent(() =>
    db.runTransaction(async (tx) => {
      const current = await tx.get(request);
      if (!current.exists || hasEnded(current.get("status"))) return;
      tx.update(request, fields);
    }),
  );
}

/** How the request document ends, from how its suggestion ended. */
function mirrorOf(
  result: TaskRunResult,
  suggestion: DocumentData | undefined,
  requestId: string,
  language: Language,
): Record<string, unknown> {
  const ours = suggestion?.requestId === requestId;
  const done = { suggestionId: suggestion?.messageId ?? null, completedAt: new Date() };
  if (result.kind === "recorded" && result.outcome.status === "ready") {
    return { status: "ready", version: suggestion?.version ?? null, ...done };
  }
  if (result.kind === "recorded" && result.outcome.status === "error") {
    const { code, message, hint } = result.outcome;
    return { status: "error", error: { code, message, hint }, ...done };
  }
  // A redelivery found the suggestion this request made, ended: the same end, from the document.
  if (result.kind === "duplicate" && ours && suggestion?.status === "ready") {
    return { status: "ready", version: suggestion.version ?? null, ...done };
  }
  if (result.kind === "duplicate" && ours && suggestion?.status === "error") {
    return { status: "error", error: suggestion.error, ...done };
  }
  const supersededBy =
    result.kind === "recorded" && result.outcome.status === "superseded"
      ? result.outcome.supersededBy
      : ours && suggestion?.status === "superseded"
        ? suggestion.supersededBy
        : undefined;
  const why = supersededBy
    ? `A newer message (${supersededBy}) superseded the suggestion while it was generated again.`
    : "The suggestion for this message is being generated right now; ask again when it is ready.";
  return {
    status: "error",
    error: { code: "request_conflict", message: why, hint: hintFor("request_conflict", language) },
    ...done,
  };
}
