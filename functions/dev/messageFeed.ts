import type { Firestore } from "firebase-admin/firestore";
import type { FirestoreEmulator } from "./embeddedFirestore";

/** Reports the path of every message document created from now on. */
export type MessageFeed = (onCreated: (path: string) => void) => () => void;

const MESSAGE_PATH = /^workspaces\/[^/]+\/conversations\/[^/]+\/messages\/[^/]+$/;

/**
 * Where "a document was created" comes from, like Eventarc does in production: the embedded
 * emulator reports creations in-process; any other emulator (the official one) is watched with a
 * collection-group listener on `messages`, which the embedded one lacks. Either way each path
 * goes to the same dispatcher, which runs the real trigger.
 */
export function messageFeedFor(emulator: FirestoreEmulator, db: Firestore): MessageFeed {
  if (emulator.kind === "embedded") {
    return (onCreated) => {
      const listener = ({ document }: { document: { getDocumentPath(): string } }) => {
        const path = document.getDocumentPath().replace(/^\/+/, "");
        // The emulator reports inside its commit; hand over once the write has returned.
        if (MESSAGE_PATH.test(path)) setImmediate(() => onCreated(path));
      };
      emulator.state.emitter.on("create-document", listener);
      return () => emulator.state.emitter.off("create-document", listener);
    };
  }
  return (onCreated) => {
    let initial = true;
    return db.collectionGroup("messages").onSnapshot(
      (snapshot) => {
        // The first snapshot lists what existed before we started: those are not new events.
        if (!initial) {
          for (const change of snapshot.docChanges()) {
            if (change.type === "added" && MESSAGE_PATH.test(change.doc.ref.path))
              onCreated(change.doc.ref.path);
          }
        }
        initial = false;
      },
      (err) => console.error(`Watching messages failed: ${err.message}`),
    );
  };
}
