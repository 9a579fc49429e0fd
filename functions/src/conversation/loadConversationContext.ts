import type { Firestore } from "firebase-admin/firestore";
import { MessageAddress, paths } from "../core/paths";
import { assembleHistory, ConversationContext, readConversationFacts } from "./conversationContext";
import { ConversationMessage, readMessage } from "./message";

/**
 * Two reads whatever the conversation's length: the conversation document and the newest
 * `limit` messages up to the triggering one (`orderBy desc` + `limit`).
 */
export async function loadConversationContext(
  db: Firestore,
  address: MessageAddress,
  trigger: ConversationMessage,
  limit: number,
): Promise<ConversationContext> {
  let query = db.collection(paths.messages(address)).orderBy("createdAt", "desc");
  if (trigger.createdAtMs !== null) {
    // Messages sent after the trigger belong to their own suggestions, not to this one.
    query = query.where("createdAt", "<=", new Date(trigger.createdAtMs));
  }
  const [conversation, window] = await Promise.all([
    db.doc(paths.conversation(address)).get(),
    query.limit(limit).get(),
  ]);
  const fetched = window.docs.map((doc) => readMessage(doc.id, doc.data()));
  return {
    facts: readConversationFacts(conversation.data()),
    history: assembleHistory(fetched.slice(0, limit), trigger).slice(-limit),
    trigger,
  };
}
