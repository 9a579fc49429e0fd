import type { ResultWrite } from "../../results/resultDocument";
import type { ConversationContext } from "../../conversation/conversationContext";
import { isPromptableTurn } from "../../conversation/message";
import type { KnowledgeStatus } from "../../core/vocabulary";
import type { CounterTree } from "../../metrics/generationMetrics";
import type { Grounding } from "../../engine/generationTask";
import { log } from "../../observability/log";
import { recordKnowledgeGap, retrieveKnowledge } from "../../retrieval/retrieveKnowledge";
import { NearChunk, questionText, sourcesOf } from "../../retrieval/selectReferences";
import type { ErrorCode } from "../../core/errorCodes";

/*
 * The suggestion's grounding in the team's knowledge (`flags.rag`): what it looked up, and what
 * the suggestion document and the day's metrics say about it.
 */

export interface SuggestionKnowledge {
  status: KnowledgeStatus;
  ms: number;
  model?: string;
  code?: ErrorCode;
  references: NearChunk[];
}

/** The customer's messages since the agent last replied, the one answered included. */
export function customerQuestion(context: ConversationContext): string {
  const turns = context.history.filter((m) => m.id !== context.trigger.id);
  let start = turns.length;
  while (start > 0 && turns[start - 1].direction !== "outbound") start -= 1;
  const inbound = [...turns.slice(start), context.trigger]
    .filter((m) => m.direction === "inbound" && isPromptableTurn(m))
    .map((m) => m.text);
  return questionText(inbound);
}

export async function groundInKnowledge<
  C extends ConversationContext & { knowledge?: SuggestionKnowledge; regenerated?: boolean },
>(context: C, grounding: Grounding): Promise<C> {
  const { settings } = grounding.request;
  if (!settings.flags.rag)
    return { ...context, knowledge: { status: "off", ms: 0, references: [] } };
  const question = customerQuestion(context);
  const lookup = await retrieveKnowledge(grounding.db, grounding.runtime.router, {
    workspaceId: grounding.workspaceId,
    question,
    model: settings.embeddingModel,
    config: grounding.runtime.config.knowledge,
    signal: grounding.signal,
  });
  // The help center's to-do list, once per customer question: not again for a regenerate, nor
  // for a lookup a newer message cut short. The suggestion does not wait for it.
  if (
    lookup.status === "no_match" &&
    question !== "" &&
    !context.regenerated &&
    !grounding.signal?.aborted
  ) {
    recordKnowledgeGap(grounding.db, grounding.workspaceId, question).catch((err) =>
      log.warn("knowledge gap not recorded", { error: String(err) }),
    );
  }
  return { ...context, knowledge: lookup };
}

/** The suggestion's `knowledge` and `sources` fields, and its knowledge counter. */
export function knowledgeResult(knowledge: SuggestionKnowledge | undefined): {
  fields?: ResultWrite;
  counters?: CounterTree;
} {
  if (!knowledge) return {};
  const summary = {
    status: knowledge.status,
    ms: knowledge.ms,
    ...(knowledge.model ? { model: knowledge.model } : {}),
    ...(knowledge.code ? { code: knowledge.code } : {}),
  };
  return {
    fields: {
      knowledge: summary,
      ...(knowledge.status === "used" ? { sources: sourcesOf(knowledge.references) } : {}),
    },
    counters: { knowledge: { [knowledge.status]: 1 } },
  };
}
