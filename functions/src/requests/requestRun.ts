import { type Language } from "../core/language";
import type { GenerationError } from "../core/errorCodes";
import type { ConversationAddress } from "../core/paths";
import type { TaskRunResult } from "../engine/executor";
import type { ResultTarget } from "../engine/generationTask";

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
