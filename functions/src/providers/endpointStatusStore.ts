import { FieldValue, Firestore, Timestamp } from "firebase-admin/firestore";
import { paths } from "../core/paths";
import type { EndpointStatus } from "../providers/providerPool";

/*
 * Circuit breakers live in the memory of the instances that run suggestions; the health endpoint
 * runs elsewhere. Instances publish a breaker's state when it changes (rare writes), and the
 * health endpoint shows the last state reported for each endpoint.
 */

export interface PublishedEndpointStatus extends Omit<EndpointStatus, "inFlight"> {
  reportedAt: string | null;
}

export async function publishEndpointStatuses(
  db: Firestore,
  statuses: EndpointStatus[],
): Promise<void> {
  if (statuses.length === 0) return;
  const batch = db.batch();
  for (const { inFlight: _inFlight, ...status } of statuses) {
    batch.set(db.doc(paths.endpointStatus(status.endpointId)), {
      ...status,
      reportedAt: FieldValue.serverTimestamp(),
    });
  }
  await batch.commit();
}

export async function readEndpointStatuses(db: Firestore): Promise<PublishedEndpointStatus[]> {
  const snapshot = await db.collection(paths.endpointStatuses()).get();
  return snapshot.docs.map((doc) => {
    const data = doc.data();
    const reportedAt =
      data.reportedAt instanceof Timestamp ? data.reportedAt.toDate().toISOString() : null;
    return { ...(data as Omit<PublishedEndpointStatus, "reportedAt">), reportedAt };
  });
}
