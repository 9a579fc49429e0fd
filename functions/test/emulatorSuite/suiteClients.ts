import { randomUUID } from "node:crypto";
import { App, deleteApp, initializeApp as initializeAdminApp } from "firebase-admin/app";
import { Auth as AdminAuth, getAuth as getAdminAuth } from "firebase-admin/auth";
import {
  Firestore as AdminFirestore,
  getFirestore as getAdminFirestore,
} from "firebase-admin/firestore";
import { deleteApp as deleteWebApp, FirebaseApp, initializeApp } from "firebase/app";
import { connectAuthEmulator, getAuth, signInWithEmailAndPassword } from "firebase/auth";
import {
  connectFirestoreEmulator,
  doc,
  DocumentData,
  Firestore,
  getFirestore,
  onSnapshot,
} from "firebase/firestore";
import { paths } from "../../src/core/paths";
import type { FakeLmStudio } from "../support/fakeLmStudio";
import { PROJECT_ID } from "./suiteProject";

/*
 * The clients of the emulator-suite tests: the Admin SDK (the WhatsApp webhook, the backend's
 * own view) and the web SDK of a signed-in member (the inbox, under the security rules), both
 * pointed at one running suite.
 */

export interface SignedInMember {
  uid: string;
  /** How a person signs in as this member (the inbox page in a browser). */
  email: string;
  password: string;
  db: Firestore;
  idToken(): Promise<string>;
}

export interface SuiteClients {
  admin: { db: AdminFirestore; auth: AdminAuth };
  /** A new member of `workspaceId` with this role, signed in with the web SDK. */
  member(workspaceId: string, role: "admin" | "agent"): Promise<SignedInMember>;
  close(): Promise<void>;
}

export function suiteClients(hosts: Record<string, string>): SuiteClients {
  // The Admin SDK reads the Auth emulator's address from the environment on each request, and
  // needs no metadata server to find credentials it will not use.
  process.env.FIREBASE_AUTH_EMULATOR_HOST = hosts.auth;
  process.env.METADATA_SERVER_DETECTION ??= "none";
  const adminApp: App = initializeAdminApp({ projectId: PROJECT_ID }, `admin-${randomUUID()}`);
  const adminDb = getAdminFirestore(adminApp);
  adminDb.settings({ host: hosts.firestore, ssl: false });
  const adminAuth = getAdminAuth(adminApp);
  const webApps: FirebaseApp[] = [];
  const [firestoreHost, firestorePort] = hosts.firestore.split(":");
  return {
    admin: { db: adminDb, auth: adminAuth },
    async member(workspaceId, role) {
      const email = `${role}-${randomUUID().slice(0, 8)}@example.com`;
      const password = "suite-password";
      const { uid } = await adminAuth.createUser({ email, password });
      await adminDb.doc(paths.member(workspaceId, uid)).set({ role, email });
      const app = initializeApp({ apiKey: "demo-api-key", projectId: PROJECT_ID }, uid);
      webApps.push(app);
      const auth = getAuth(app);
      connectAuthEmulator(auth, `http://${hosts.auth}`, { disableWarnings: true });
      const credential = await signInWithEmailAndPassword(auth, email, password);
      const db = getFirestore(app);
      connectFirestoreEmulator(db, firestoreHost, Number(firestorePort));
      return { uid, email, password, db, idToken: () => credential.user.getIdToken() };
    },
    async close() {
      await Promise.all(webApps.map((app) => deleteWebApp(app)));
      await adminDb.terminate();
      await deleteApp(adminApp);
    },
  };
}

/** Statuses in order with repeats collapsed; no document as "(none)". */
export function statusSequence(snapshots: (DocumentData | undefined)[]): string[] {
  const statuses = snapshots.map((s) => String(s?.status ?? "(none)"));
  return statuses.filter((s, i) => i === 0 || s !== statuses[i - 1]);
}

/**
 * Holds the fake LM Studio's stream until the watcher has seen each state an agent's screen
 * shows (`generating` before the first words, `streaming` before the rest), from snapshot
 * position `from` on: every state is then seen, never raced by the next write.
 */
export function streamAsTheAgentSees(lm: FakeLmStudio, watch: DocumentWatch, from = 0): void {
  lm.chunkGate = async (index) => {
    if (index === 0) await watch.until("generating", (d) => d?.status === "generating", from);
    if (index === 1) await watch.until("streaming", (d) => d?.status === "streaming", from);
  };
}

export interface DocumentWatch {
  /** Every snapshot the listener received, in order. */
  snapshots: (DocumentData | undefined)[];
  /**
   * Resolves with the first snapshot from position `from` on (already seen ones included) that
   * passes `check`.
   */
  until(
    what: string,
    check: (data: DocumentData | undefined) => boolean,
    from?: number,
  ): Promise<DocumentData | undefined>;
  stop(): void;
}

/**
 * A web-SDK listener on one document, as the inbox holds it. `until` bounds only a failure: it
 * rejects with every snapshot seen when the awaited state never comes.
 */
const openWatches = new Set<() => void>();

/** Ends every listener a test left open (after each test: a failed one leaves them). */
export function stopOpenWatches(): void {
  for (const stop of openWatches) stop();
  openWatches.clear();
}

export function watchDocument(db: Firestore, path: string, failAfterMs = 90_000): DocumentWatch {
  const snapshots: (DocumentData | undefined)[] = [];
  const waiters: (() => void)[] = [];
  let listenError: Error | undefined;
  const unsubscribe: () => void = onSnapshot(
    doc(db, path),
    (snapshot) => {
      snapshots.push(snapshot.data());
      for (const wake of waiters.splice(0)) wake();
    },
    (err) => {
      listenError = err;
      for (const wake of waiters.splice(0)) wake();
    },
  );
  openWatches.add(unsubscribe);
  return {
    snapshots,
    until(what, check, from = 0) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `${path} never reached ${what}; statuses seen: ${JSON.stringify(statusSequence(snapshots))}, last: ${JSON.stringify(snapshots.at(-1))}`,
              ),
            ),
          failAfterMs,
        );
        const look = () => {
          if (listenError) {
            clearTimeout(timer);
            reject(listenError);
            return;
          }
          const found = snapshots.findIndex((data, i) => i >= from && check(data));
          if (found !== -1) {
            clearTimeout(timer);
            resolve(snapshots[found]);
          } else {
            waiters.push(look);
          }
        };
        look();
      });
    },
    stop() {
      openWatches.delete(unsubscribe);
      unsubscribe();
    },
  };
}

/**
 * The first state of a document, read with the Admin SDK (a backend-only document such as a
 * bridge job), that passes `check`; rejects with the last state seen after `failAfterMs`.
 */
export function adminUntil(
  ref: FirebaseFirestore.DocumentReference,
  what: string,
  check: (data: FirebaseFirestore.DocumentData | undefined) => boolean,
  failAfterMs = 90_000,
): Promise<FirebaseFirestore.DocumentData | undefined> {
  return new Promise((resolve, reject) => {
    let last: FirebaseFirestore.DocumentData | undefined;
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`${ref.path} never reached ${what}; last: ${JSON.stringify(last)}`));
    }, failAfterMs);
    const stop = ref.onSnapshot(
      (snapshot) => {
        last = snapshot.data();
        if (!check(last)) return;
        clearTimeout(timer);
        stop();
        resolve(last);
      },
      (err) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}

/**
 * The first document of a collection, read with the Admin SDK, that passes `check`; rejects with
 * what was there after `failAfterMs`. The listener ends either way.
 */
export function adminCollectionUntil(
  ref: FirebaseFirestore.CollectionReference,
  what: string,
  check: (data: FirebaseFirestore.DocumentData) => boolean,
  failAfterMs = 90_000,
): Promise<FirebaseFirestore.DocumentData> {
  return new Promise((resolve, reject) => {
    let last: FirebaseFirestore.DocumentData[] = [];
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`${ref.path} never held ${what}; it held ${JSON.stringify(last)}`));
    }, failAfterMs);
    const stop = ref.onSnapshot(
      (snapshot) => {
        last = snapshot.docs.map((d) => d.data());
        const found = last.find(check);
        if (!found) return;
        clearTimeout(timer);
        stop();
        resolve(found);
      },
      (err) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}
