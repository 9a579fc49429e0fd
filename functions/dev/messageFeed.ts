import type { Firestore } from "firebase-admin/firestore";
import type { FirestoreEmulator } from "./firestoreEmulator";
import { stackMessages } from "./stackMessages";

/** Reports the path of every message or agent request document created from now on. */
export type MessageFeed = (onCreated: (path: string) => void) => () => void;

/** The documents whose creation runs a trigger: messages, and agents' requests. */
export const TRIGGER_COLLECTIONS = ["messages", "aiRequests"] as const;
const TRIGGER_PATH = /^workspaces\/[^/]+\/conversations\/[^/]+\/(messages|aiRequests)\/[^/]+$/;

/**
 * Where "a document was created" comes from, like Eventarc does in production: the embedded
 * emulator reports creations in-process; any other emulator (the official one) is watched with a
 * collection-group listener on `messages`, which the embedded one lacks. Either way each path
 * goes to the same dispatcher, which runs the real trigger.
 */
export function messageFeedFor(
  emulator: FirestoreEmulator,
  db: Firestore,
  /** The line for a listener that failed (stackMessages.ts). */
  watchFailed: (what: string, message: string) => string = stackMessages("en").watchFailed,
): MessageFeed {
  if (emulator.kind === "embedded") {
    return (onCreated) => {
      const listener = ({ document }: { document: { getDocumentPath(): string } }) => {
        const path = document.getDocumentPath().replace(/^\/+/, "");
        // The emulator reports inside its commit; hand over once the write has returned.
        if (TRIGGER_PATH.test(path)) setImmediate(() => onCreated(path));
      };
      emulator.state.emitter.on("create-document", listener);
      return () => emulator.state.emitter.off("create-document", listener);
    };
  }
  return (onCreated) => {
    const unsubscribes = TRIGGER_COLLECTIONS.map((collection) => {
      let initial = true;
      return db.collectionGroup(collection).onSnapshot(
        (snapshot) => {
          // The first snapshot lists what existed before we started: those are not new events.
          if (!initial) {
            for (const change of snapshot.docChanges()) {
              if (change.type === "added" && TRIGGER_PATH.test(change.doc.ref.path))
                onCreated(change.doc.ref.path);
            }
          }
          initial = false;
        },
        (err) => console.error(watchFailed(collection, err.message)),
      );
    });
    return () => unsubscribes.forEach((unsubscribe) => unsubscribe());
  };
}
