import type { Firestore } from "firebase-admin/firestore";
import type { FirestoreEmulator } from "./firestoreEmulator";
import { stackMessages } from "./stackMessages";

/** A conversation whose update changed its status: what `onConversationUpdated` needs locally. */
export interface StatusChange {
  path: string;
  before: Record<string, unknown>;
}

export type ConversationFeed = (onChanged: (change: StatusChange) => void) => () => void;

const CONVERSATION_PATH = /^workspaces\/[^/]+\/conversations\/[^/]+$/;

/**
 * Conversation updates for the local stack, as Eventarc's `document.updated` would deliver them.
 * The emulators report only the new state, so the feed remembers each conversation's last
 * status and hands over the updates that changed it (the ones a report trigger cares about).
 */
export function conversationFeedFor(
  emulator: FirestoreEmulator,
  db: Firestore,
  /** The line for a listener that failed (stackMessages.ts). */
  watchFailed: (what: string, message: string) => string = stackMessages("en").watchFailed,
): ConversationFeed {
  const statuses = new Map<string, unknown>();
  const seen = (path: string, status: unknown, onChanged: (change: StatusChange) => void) => {
    const had = statuses.has(path);
    const before = statuses.get(path);
    statuses.set(path, status);
    if (had && before !== status) onChanged({ path, before: { status: before } });
  };
  if (emulator.kind === "embedded") {
    return (onChanged) => {
      const listener = ({
        document,
      }: {
        document: { getDocumentPath(): string; getField(path: string): unknown };
      }) => {
        const path = document.getDocumentPath().replace(/^\/+/, "");
        if (!CONVERSATION_PATH.test(path)) return;
        const field = document.getField("status") as
          { toV1ValueObject(): { string_value?: string } } | undefined;
        const status = field?.toV1ValueObject().string_value;
        setImmediate(() => seen(path, status, onChanged));
      };
      emulator.state.emitter.on("create-document", listener);
      emulator.state.emitter.on("update-document", listener);
      return () => {
        emulator.state.emitter.off("create-document", listener);
        emulator.state.emitter.off("update-document", listener);
      };
    };
  }
  return (onChanged) =>
    db.collectionGroup("conversations").onSnapshot(
      (snapshot) => {
        for (const change of snapshot.docChanges()) {
          if (change.type !== "removed" && CONVERSATION_PATH.test(change.doc.ref.path)) {
            seen(change.doc.ref.path, change.doc.get("status"), onChanged);
          }
        }
      },
      (err) => console.error(watchFailed("conversations", err.message)),
    );
}
