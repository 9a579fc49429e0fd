import type { ActionError } from "./types";

/** A web SDK failure as the kit reports it: the rules' refusal apart from everything else. */
export function actionError(err: unknown): ActionError {
  const code = (err as { code?: unknown }).code;
  const message = err instanceof Error ? err.message : String(err);
  return code === "permission-denied"
    ? { code: "permission_denied", message }
    : { code: "client_error", message };
}
