import type { Firestore } from "firebase-admin/firestore";
import type { PromptTrace } from "../contract/documents";
import { MessageAddress, paths } from "../core/paths";
import { assembleHistory, ConversationContext, readConversationFacts } from "./conversationContext";
import { stepWindow, windowReadSize } from "./historyWindow";
import { ConversationMessage, readMessage } from "./message";

/**
 * Three reads whatever the conversation's length: the conversation document, the newest
 * 2 × `limit` messages up to the triggering one (`orderBy desc` + `limit`), and the newest
 * suggestions up to it, for the previous prompt's window (historyWindow.ts).
 */
export async function loadConversationContext(
  db: Firestore,
  address: MessageAddress,
  trigger: ConversationMessage,
  limit: number,
): Promise<ConversationContext> {
  let messages = db.collection(paths.messages(address)).orderBy("createdAt", "desc");
  let suggestions = db.collection(paths.suggestions(address)).orderBy("messageCreatedAt", "desc");
  if (trigger.createdAtMs !== null) {
    // Messages sent after the trigger belong to their own suggestions, not to this one.
    const at = new Date(trigger.createdAtMs);
    messages = messages.where("createdAt", "<=", at);
    suggestions = suggestions.where("messageCreatedAt", "<=", at);
  }
  const [conversation, window, recent] = await Promise.all([
    db.doc(paths.conversation(address)).get(),
    messages.limit(windowReadSize(limit)).get(),
    // This message's own suggestion (a regenerate keeps its window) or the one before it.
    suggestions.limit(3).get(),
  ]);
  const previousPrompt = recent.docs
    .map((doc) => doc.get("prompt") as PromptTrace | undefined)
    .find((trace) => typeof trace?.fromMessageId === "string");
  const fetched = window.docs.map((doc) => readMessage(doc.id, doc.data()));
  const history = assembleHistory(fetched, trigger).slice(-windowReadSize(limit));
  return {
    facts: readConversationFacts(conversation.data()),
    history: stepWindow(history, previousPrompt?.fromMessageId, limit),
    trigger,
    ...(previousPrompt ? { previousPrompt } : {}),
  };
}
