import type { DocumentSnapshot, Firestore } from "firebase-admin/firestore";
import type { PromptTrace, ReferenceNote } from "../contract/documents";
import { MessageAddress, paths } from "../core/paths";
import { assembleHistory, ConversationContext, readConversationFacts } from "./conversationContext";
import { carriedNoteIds, stepWindow, windowReadSize } from "./historyWindow";
import { ConversationMessage, readMessage } from "./message";

/**
 * Three reads whatever the conversation's length: the conversation document, the newest
 * 2 × `limit` messages up to the triggering one (`orderBy desc` + `limit`), and the newest
 * suggestions up to it, for the previous prompt's window (historyWindow.ts). A fourth, when the
 * previous prompt held earlier messages' reference notes beyond those: their suggestions.
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
  const history = stepWindow(
    assembleHistory(fetched, trigger).slice(-windowReadSize(limit)),
    previousPrompt?.fromMessageId,
    limit,
  );
  const noted = carriedNoteIds(previousPrompt, history[0]?.id, trigger.id);
  const carriedNotes = await readCarriedNotes(db, address, noted, recent.docs);
  return {
    facts: readConversationFacts(conversation.data()),
    history,
    trigger,
    ...(previousPrompt ? { previousPrompt } : {}),
    ...(carriedNotes ? { carriedNotes } : {}),
  };
}

/**
 * The reference notes the suggestions of `ids` sent, by message id; none when one is missing
 * (deleted, or written by an older version): the prompt then starts its notes over.
 */
async function readCarriedNotes(
  db: Firestore,
  address: MessageAddress,
  ids: string[],
  known: DocumentSnapshot[],
): Promise<Map<string, ReferenceNote> | undefined> {
  if (ids.length === 0) return undefined;
  const byId = new Map<string, DocumentSnapshot>(known.map((doc) => [doc.id, doc]));
  const missing = ids.filter((id) => !byId.has(id));
  if (missing.length > 0) {
    const docs = await db.getAll(
      ...missing.map((messageId) => db.doc(paths.suggestion({ ...address, messageId }))),
    );
    for (const doc of docs) byId.set(doc.id, doc);
  }
  const notes = new Map<string, ReferenceNote>();
  for (const id of ids) {
    const note = byId.get(id)?.get("prompt.note") as ReferenceNote | undefined;
    if (typeof note?.text !== "string" || !Array.isArray(note.refs)) return undefined;
    notes.set(id, note);
  }
  return notes;
}
