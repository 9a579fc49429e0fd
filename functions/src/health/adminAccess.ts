import type { Auth } from "firebase-admin/auth";
import type { Firestore } from "firebase-admin/firestore";
import { paths } from "../core/paths";

/** An HTTP answer of the admin endpoints (`aiHealth`, `aiConsole`). */
export interface AdminResponse {
  status: number;
  body: Record<string, unknown>;
}

export const refuse = (status: number, error: string): AdminResponse => ({
  status,
  body: { error },
});

/** The uid behind `Authorization: Bearer <Firebase ID token>`, or the 401 to answer. */
export async function verifiedUid(
  authorization: string | undefined,
  auth: Auth,
): Promise<string | AdminResponse> {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1];
  if (!token) return refuse(401, "Send a Firebase ID token as 'Authorization: Bearer <token>'.");
  try {
    return (await auth.verifyIdToken(token)).uid;
  } catch {
    return refuse(401, "The ID token is invalid or expired.");
  }
}

/**
 * Who may see a workspace's details: a verified ID token whose user is an admin of it
 * (`workspaces/{w}/members/{uid}.role == "admin"`). Returns the workspace id, or the answer: 400
 * without a workspace, 401 without a valid token, 403 for anyone else.
 */
export async function authorizeAdmin(
  authorization: string | undefined,
  workspace: string | undefined,
  deps: { db: Firestore; auth: Auth },
  says: { missing: string; refused: string },
): Promise<AdminResponse | string> {
  const workspaceId = workspace?.trim();
  if (!workspaceId || workspaceId.includes("/")) return refuse(400, says.missing);
  const uid = await verifiedUid(authorization, deps.auth);
  if (typeof uid !== "string") return uid;
  const member = await deps.db.doc(paths.member(workspaceId, uid)).get();
  if (member.get("role") !== "admin") return refuse(403, says.refused);
  return workspaceId;
}
