import { Firestore, Timestamp } from "firebase-admin/firestore";
import type { ConversationMessage } from "../../conversation/message";
import { MessageAddress, paths } from "../../core/paths";
import { metricsModelKey } from "../../metrics/generationMetrics";
import { metricsWrite } from "../../metrics/metricsWrite";
import { DEFAULT_OPENAI_FALLBACK_MODEL } from "../../providers/fallbackPolicy";
import { AgentUseOutcome, compareWithSuggestion } from "./agentUse";

/**
 * An agent sent a message: which suggestion did it come from, and how much of it did they keep?
 * The one named by the message's `suggestionId`, else the conversation's latest `ready`
 * suggestion created before it. Recorded once per suggestion (the first message the agent sent
 * after it; a redelivered event changes nothing), with the day's counters in the same commit.
 */
export async function recordAgentUse(
  db: Firestore,
  outbound: MessageAddress,
  message: ConversationMessage,
  suggestionId: string | undefined,
): Promise<AgentUseOutcome | undefined> {
  const conversation = {
    workspaceId: outbound.workspaceId,
    conversationId: outbound.conversationId,
  };
  let ref = suggestionId
    ? db.doc(paths.suggestion({ ...conversation, messageId: suggestionId }))
    : undefined;
  if (!ref) {
    let query = db
      .collection(paths.suggestions(conversation))
      .where("status", "==", "ready")
      .orderBy("createdAt", "desc");
    if (message.createdAtMs !== null) {
      query = query.where("createdAt", "<=", Timestamp.fromMillis(message.createdAtMs));
    }
    ref = (await query.limit(1).get()).docs[0]?.ref;
  }
  if (!ref) return undefined;
  const settings = (await db.doc(paths.aiSettings(outbound.workspaceId)).get()).data();
  const configured = new Set(
    [settings?.defaultModel, settings?.fallbackModel ?? DEFAULT_OPENAI_FALLBACK_MODEL].filter(
      (m): m is string => typeof m === "string",
    ),
  );

  return db.runTransaction(async (tx) => {
    const suggestion = await tx.get(ref);
    if (suggestion.get("status") !== "ready" || suggestion.get("agentUse") !== undefined) {
      return undefined;
    }
    const options = suggestion.get("options") as { text: string }[] | undefined;
    const texts = [suggestion.get("text"), ...(options ?? []).map((o) => o.text)].filter(
      (t): t is string => typeof t === "string",
    );
    const { outcome, similarity } = compareWithSuggestion(message.text, texts);
    tx.update(ref, { agentUse: { outcome, similarity, outboundMessageId: outbound.messageId } });
    const counted = { [outcome]: 1 };
    const provider = suggestion.get("provider");
    const model = suggestion.get("model");
    // Whether grounded suggestions are sent as they are more often than ungrounded ones.
    const knowledge = suggestion.get("knowledge.status");
    tx.set(
      ...metricsWrite(db, outbound.workspaceId, {
        agentUse: counted,
        ...(typeof provider === "string"
          ? { byProvider: { [provider]: { agentUse: counted } } }
          : {}),
        ...(typeof model === "string"
          ? { byModel: { [metricsModelKey(model, configured)]: { agentUse: counted } } }
          : {}),
        ...(typeof knowledge === "string"
          ? { byKnowledge: { [knowledge]: { agentUse: counted } } }
          : {}),
      }),
      { merge: true },
    );
    return outcome;
  });
}
