import { FUNCTION_TIMEOUT_SECONDS } from "../core/functionTimeouts";
import { getFirestore } from "firebase-admin/firestore";
import { onRequest } from "firebase-functions/https";
import { FUNCTION_SECRETS } from "../config/functionSecrets";

const text = (v: unknown) => (typeof v === "string" ? v : undefined);

/**
 * The operator console's data: at `/api/ai/console` through the hosting rewrite in firebase.json
 * (the page itself is `public/console/`). Admins of the workspace only; never cacheable.
 */
export const aiConsole = onRequest(
  {
    timeoutSeconds: FUNCTION_TIMEOUT_SECONDS.aiConsole,
    memory: "256MiB",
    cors: true,
    secrets: FUNCTION_SECRETS.aiConsole,
  },
  async (req, res) => {
    const [{ getAuth }, { answerConsoleRequest }] = await Promise.all([
      import("firebase-admin/auth"),
      import("../consoleEndpoint/answerConsoleRequest.js"),
    ]);
    const answer = await answerConsoleRequest(
      {
        method: req.method,
        authorization: req.get("authorization"),
        workspace: text(req.query.workspace),
        days: text(req.query.days),
        part: text(req.query.part),
        acceptLanguage: req.get("accept-language"),
      },
      { db: getFirestore(), auth: getAuth() },
    );
    res.set("Cache-Control", "private, no-store").status(answer.status).json(answer.body);
  },
);
