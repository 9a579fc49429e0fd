import { Firestore, Timestamp } from "firebase-admin/firestore";
import {
  ConversationMessage,
  decideForTriggerMessage,
  readMessage,
} from "../../conversation/message";
import { MessageAddress, paths } from "../../core/paths";
import { PENDING_STATUSES } from "../../core/vocabulary";
import { Supersession, supersedeResult } from "../../results/supersession";

/*
 * Latest-wins for suggestions: the newest customer message of a conversation (by its
 * createdAt, never by the order events arrive in) owns the conversation's suggestion, and the
 * agent's own reply retires a suggestion nobody will read. Ordered by the messages' own
 * timestamps because Firestore triggers may arrive late, out of order and more than once.
 */

/** How far past a message we look for newer ones: a burst is a handful of messages. */
const NEWER_WINDOW = 20;

/**
 * The message that owns the conversation instead of `trigger`, if one was created after it: the
 * newest customer message that will get a suggestion of its own, or else the agent's reply.
 */
export async function findNewerMessage(
  db: Firestore,
  address: MessageAddress,
  trigger: ConversationMessage,
): Promise<Supersession | undefined> {
  if (trigger.createdAtMs === null) return undefined;
  const snapshot = await db
    .collection(paths.messages(address))
    .where("createdAt", ">", Timestamp.fromMillis(trigger.createdAtMs))
    .orderBy("createdAt", "desc")
    .limit(NEWER_WINDOW)
    .get();
  const newer = snapshot.docs
    .map((doc) => readMessage(doc.id, doc.data()))
    .filter((m) => m.id !== trigger.id);
  const customer = newer.find((m) => decideForTriggerMessage(m).kind === "suggest");
  if (customer) return { supersededBy: customer.id, reason: "newer_message" };
  const agent = newer.find((m) => m.direction === "outbound");
  return agent ? { supersededBy: agent.id, reason: "agent_replied" } : undefined;
}

/**
 * Marks the conversation's pending suggestions of messages created before `by`'s message as
 * superseded by it; `ready` ones stay. Returns how many gave way.
 */
export async function retirePendingSuggestions(
  db: Firestore,
  address: MessageAddress,
  createdAtMs: number | null,
  by: Supersession,
): Promise<number> {
  const pending = await db
    .collection(paths.suggestions(address))
    .where("status", "in", [...PENDING_STATUSES])
    .get();
  const older = pending.docs.filter((doc) => {
    if (doc.id === address.messageId) return false;
    const at = doc.get("messageCreatedAt");
    return createdAtMs === null || !(at instanceof Timestamp) || at.toMillis() < createdAtMs;
  });
  const retired = await Promise.all(older.map((doc) => supersedeResult(db, doc.ref, by)));
  return retired.filter(Boolean).length;
}
