import { FieldValue, Firestore } from "firebase-admin/firestore";
import { paths } from "../core/paths";
import { utcDay } from "../core/utcDay";

/**
 * Counts one agent request against its member's daily allowance, once per request however often
 * its event is delivered (the request document remembers it was counted). Returns false, counting
 * nothing, when the member has used up today's `limit`.
 */
export async function admitAgainstQuota(
  db: Firestore,
  request: { workspaceId: string; path: string; uid: string },
  limit: number,
  now = new Date(),
): Promise<boolean> {
  const day = utcDay(now);
  const quotaRef = db.doc(paths.aiQuota(request.workspaceId, request.uid, day));
  const requestRef = db.doc(request.path);
  return db.runTransaction(async (tx) => {
    const [quota, requestDoc] = await Promise.all([tx.get(quotaRef), tx.get(requestRef)]);
    if (requestDoc.get("quotaCounted") === true) return true;
    const used = Number(quota.get("count") ?? 0);
    if (used >= limit) return false;
    tx.set(quotaRef, { count: FieldValue.increment(1), day, uid: request.uid }, { merge: true });
    tx.update(requestRef, { quotaCounted: true });
    return true;
  });
}
