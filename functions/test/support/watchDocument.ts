import type {
  DocumentData,
  DocumentReference,
  Query,
  QuerySnapshot,
} from "firebase-admin/firestore";

/*
 * A document's life as a listener sees it (an agent's screen, say): every state in order, and a
 * wait for the state a test expects that ends on the listener's own event, never on a timer. A
 * state the test waits for that never comes fails the test at mocha's timeout, with what was seen.
 */

export interface DocumentWatch {
  /** Every state the listener saw, in order. */
  readonly seen: DocumentData[];
  /** The `status` of each state, a repeat of the one before left out. */
  statuses(): string[];
  /** Resolves with the states so far once one has `status` `wanted` (or passes the test). */
  until(wanted: string | ((state: DocumentData) => boolean)): Promise<DocumentData[]>;
  stop(): void;
}

export function watchDocument(ref: DocumentReference): DocumentWatch {
  const seen: DocumentData[] = [];
  const waiters: {
    test: (state: DocumentData) => boolean;
    resolve: (states: DocumentData[]) => void;
    reject: (err: Error) => void;
  }[] = [];
  const settle = () => {
    for (const waiter of [...waiters]) {
      if (!seen.some(waiter.test)) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve([...seen]);
    }
  };
  const unsubscribe = ref.onSnapshot(
    (snapshot) => {
      if (!snapshot.exists) return;
      seen.push(snapshot.data() as DocumentData);
      settle();
    },
    (err) => waiters.splice(0).forEach((waiter) => waiter.reject(err)),
  );
  return {
    seen,
    statuses: () =>
      seen
        .map((state) => String(state.status))
        .filter((status, i, all) => i === 0 || all[i - 1] !== status),
    until(wanted) {
      const test =
        typeof wanted === "string" ? (state: DocumentData) => state.status === wanted : wanted;
      return new Promise((resolve, reject) => {
        waiters.push({ test, resolve, reject });
        settle();
      });
    },
    stop: unsubscribe,
  };
}

/** The first state of `ref` a listener sees that passes `check`; the listener then stops. */
export async function untilDocument(
  ref: DocumentReference,
  check: (state: DocumentData) => boolean,
): Promise<DocumentData> {
  const watch = watchDocument(ref);
  try {
    return (await watch.until(check)).find(check) as DocumentData;
  } finally {
    watch.stop();
  }
}

/** The first result of `query` a listener sees that passes `check`; the listener then stops. */
export function untilQuery(
  query: Query,
  check: (snapshot: QuerySnapshot) => boolean,
): Promise<QuerySnapshot> {
  return new Promise((resolve, reject) => {
    const stop = query.onSnapshot(
      (snapshot) => {
        if (!check(snapshot)) return;
        stop();
        resolve(snapshot);
      },
      (err) => reject(err),
    );
  });
}
