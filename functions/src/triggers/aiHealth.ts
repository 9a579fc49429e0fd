import { FUNCTION_TIMEOUT_SECONDS } from "../core/functionTimeouts";
import { getFirestore } from "firebase-admin/firestore";
import { onRequest } from "firebase-functions/https";
import { FUNCTION_SECRETS } from "../config/functionSecrets";

/**
 * The health endpoint: at its function URL and at `/api/ai/health` through the hosting rewrite
 * in firebase.json. Responses are never cacheable: a CDN must not hand an admin's details to
 * the next caller; the probe itself is cached inside the function. Auth and the probe load on
 * the first request, not in every function's instance.
 */
export const aiHealth = onRequest(
  {
    timeoutSeconds: FUNCTION_TIMEOUT_SECONDS.aiHealth,
    memory: "256MiB",
    cors: true,
    secrets: FUNCTION_SECRETS.aiHealth,
  },
  async (req, res) => {
    const [{ getAuth }, { answerHealthRequest }] = await Promise.all([
      import("firebase-admin/auth"),
      import("../health/answerHealthRequest.js"),
    ]);
    const workspaceId =
      typeof req.query.workspaceId === "string" ? req.query.workspaceId : undefined;
    const answer = await answerHealthRequest(
      { method: req.method, authorization: req.get("authorization"), workspaceId },
      { db: getFirestore(), auth: getAuth() },
    );
    res.set("Cache-Control", "private, no-store").status(answer.status).json(answer.body);
  },
);
