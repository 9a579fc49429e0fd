import type { Firestore } from "firebase-admin/firestore";
import type { FirestoreEmulator } from "./firestoreEmulator";
import { stackMessages } from "./stackMessages";

/** Reports the path of every help-center article written (created, changed or deleted). */
export type KnowledgeFeed = (onWritten: (path: string) => void) => () => void;

const ARTICLE_PATH = /^workspaces\/[^/]+\/knowledge\/[^/]+$/;

/**
 * Article writes for the local stack, as Eventarc's `document.written` would deliver them: the
 * embedded emulator reports them in-process; the official one is watched with a collection-group
 * listener on `knowledge`. The dispatcher reads the article itself, so only the path is passed.
 */
export function knowledgeFeedFor(
  emulator: FirestoreEmulator,
  db: Firestore,
  /** The line for a listener that failed (stackMessages.ts). */
  watchFailed: (what: string, message: string) => string = stackMessages("en").watchFailed,
): KnowledgeFeed {
  if (emulator.kind === "embedded") {
    return (onWritten) => {
      const listener = ({ document }: { document: { getDocumentPath(): string } }) => {
        const path = document.getDocumentPath().replace(/^\/+/, "");
        // The emulator reports inside its commit; hand over once the write has returned.
        if (ARTICLE_PATH.test(path)) setImmediate(() => onWritten(path));
      };
      const events = ["create-document", "update-document", "delete-document"] as const;
      for (const event of events) emulator.state.emitter.on(event, listener);
      return () => {
        for (const event of events) emulator.state.emitter.off(event, listener);
      };
    };
  }
  return (onWritten) => {
    let initial = true;
    return db.collectionGroup("knowledge").onSnapshot(
      (snapshot) => {
        // The first snapshot lists what existed before we started: those are not new events.
        if (!initial) {
          for (const change of snapshot.docChanges()) {
            if (ARTICLE_PATH.test(change.doc.ref.path)) onWritten(change.doc.ref.path);
          }
        }
        initial = false;
      },
      (err) => console.error(watchFailed("knowledge", err.message)),
    );
  };
}
