import { type Language } from "../core/language";
import { FieldValue, type Firestore } from "firebase-admin/firestore";
import type { GenerationError } from "../core/errorCodes";
import { functionTimeoutMs } from "../core/functionTimeouts";
import type { ConversationAddress } from "../core/paths";
import type { TaskRunResult } from "../engine/executor";
import type { ResultTarget } from "../engine/generationTask";
import { claimResult, type ClaimResult } from "../results/resultClaims";

/*
 * What a task needs to answer an agent's request (`aiRequests/{requestId}`): the request, its
 * document, the team's language, and how to end the request refused.
 */

export interface AiRequestCreatedInput {
  conversation: ConversationAddress;
  requestId: string;
  /** The created request document's fields. */
  data: Record<string, unknown> | undefined;
}

export type AiRequestResult = TaskRunResult | { kind: "request_failed"; code: string };

export interface RequestOnHand extends AiRequestCreatedInput {
  /** The request document, as the engine claims and ends it. */
  target: ResultTarget;
  language: Language;
  /** Ends the request with this error (never reached a provider). */
  refuse(error: GenerationError): Promise<AiRequestResult>;
}

/**
 * Takes the request document: a redelivered request finds it taken. Its claim goes stale after
 * the function that runs it could have ended.
 */
export function claimRequest(db: Firestore, request: RequestOnHand): Promise<ClaimResult> {
  return claimResult(db, request.target, functionTimeoutMs("onAiRequestCreated"));
}

/** Hands the request's claim back, for the caller to record why it ends (AI switched off). */
export async function releaseRequest(db: Firestore, request: RequestOnHand): Promise<void> {
  await db.doc(request.target.path).update({ status: FieldValue.delete() });
}
