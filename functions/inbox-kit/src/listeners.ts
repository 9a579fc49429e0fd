import {
  collection,
  doc,
  type Firestore,
  limit,
  onSnapshot,
  orderBy,
  query,
  type Timestamp,
  type Unsubscribe,
} from "firebase/firestore";
import { paths } from "../../src/core/paths";
import { sameState, suggestionState, type SuggestionState } from "./suggestionState";
import { reportState, type ReportState } from "./reportState";
import type {
  ActionError,
  Conversation,
  ConversationRef,
  Message,
  Report,
  Suggestion,
} from "./types";
import { actionError } from "./actionError";

/*
 * Live reads, each an onSnapshot under the security rules: it calls back with a typed state
 * (only when the state changed) and returns the function that stops it. A refused or failed
 * listener calls `onError` once and stops.
 */

export type OnError = (error: ActionError) => void;

function deduped<S>(onChange: (state: S) => void, same: (a: S | undefined, b: S) => boolean) {
  let last: S | undefined;
  return (state: S) => {
    if (same(last, state)) return;
    last = state;
    onChange(state);
  };
}

const sameJson = <S>(a: S | undefined, b: S) =>
  a !== undefined && JSON.stringify(a) === JSON.stringify(b);

/** The suggestion for one customer message (its document id is the message id). */
export function watchSuggestion(
  db: Firestore,
  where: ConversationRef & { messageId: string },
  onChange: (state: SuggestionState) => void,
  onError?: OnError,
): Unsubscribe {
  const emit = deduped(onChange, sameState);
  return onSnapshot(
    doc(db, paths.suggestion(where)),
    (snap) => emit(suggestionState(snap.data() as Suggestion | undefined)),
    (err) => onError?.(actionError(err)),
  );
}

/**
 * The conversation's current suggestion: the one of its newest customer message. Superseded ones
 * are older by definition, so the newest document is the one to show.
 */
export function watchCurrentSuggestion(
  db: Firestore,
  where: ConversationRef,
  onChange: (state: SuggestionState) => void,
  onError?: OnError,
): Unsubscribe {
  const emit = deduped(onChange, sameState);
  const newest = query(
    collection(db, paths.suggestions(where)),
    orderBy("messageCreatedAt", "desc"),
    limit(1),
  );
  return onSnapshot(
    newest,
    (snap) => emit(suggestionState(snap.docs[0]?.data() as Suggestion | undefined)),
    (err) => onError?.(actionError(err)),
  );
}

/** The conversation's newest report (one per close, or per request). */
export function watchReport(
  db: Firestore,
  where: ConversationRef,
  onChange: (state: ReportState) => void,
  onError?: OnError,
): Unsubscribe {
  const emit = deduped(onChange, sameJson);
  const newest = query(
    collection(db, paths.reports(where)),
    orderBy("createdAt", "desc"),
    limit(1),
  );
  return onSnapshot(
    newest,
    (snap) => {
      const first = snap.docs[0];
      emit(reportState(first ? { id: first.id, ...(first.data() as Report) } : undefined));
    },
    (err) => onError?.(actionError(err)),
  );
}

export interface MessageEntry extends Message {
  id: string;
  /** The server's time in milliseconds; null until the server has stamped a local write. */
  createdAtMs: number | null;
}

const millis = (t: Timestamp | undefined | null) =>
  t && typeof t.toMillis === "function" ? t.toMillis() : null;

/** The conversation's newest `count` messages, oldest first. */
export function watchMessages(
  db: Firestore,
  where: ConversationRef,
  onChange: (messages: MessageEntry[]) => void,
  onError?: OnError,
  count = 50,
): Unsubscribe {
  const newest = query(
    collection(db, paths.messages(where)),
    orderBy("createdAt", "desc"),
    limit(count),
  );
  return onSnapshot(
    newest,
    { includeMetadataChanges: false },
    (snap) =>
      onChange(
        snap.docs
          .map((d) => {
            const data = d.data({ serverTimestamps: "estimate" }) as Message;
            return { ...data, id: d.id, createdAtMs: millis(data.createdAt) };
          })
          .reverse(),
      ),
    (err) => onError?.(actionError(err)),
  );
}

export interface ConversationEntry extends Conversation {
  id: string;
}

/** The workspace's conversations (at most `count`), by id. */
export function watchConversations(
  db: Firestore,
  workspaceId: string,
  onChange: (conversations: ConversationEntry[]) => void,
  onError?: OnError,
  count = 100,
): Unsubscribe {
  const all = query(collection(db, paths.conversations(workspaceId)), limit(count));
  return onSnapshot(
    all,
    (snap) => onChange(snap.docs.map((d) => ({ ...(d.data() as Conversation), id: d.id }))),
    (err) => onError?.(actionError(err)),
  );
}
