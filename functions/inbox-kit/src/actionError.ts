import type { ActionError, ErrorCode, StoredError } from "./types";

/** A web SDK failure as the kit reports it: the rules' refusal apart from everything else. */
export function actionError(err: unknown): ActionError {
  const code = (err as { code?: unknown }).code;
  const message = err instanceof Error ? err.message : String(err);
  return code === "permission-denied"
    ? { code: "permission_denied", message }
    : { code: "client_error", message };
}

/** A result's stored `error` as a state shows it; a missing one as a provider failure. */
export function storedError(error: StoredError | undefined): {
  code: ErrorCode;
  message: string;
  hint: string;
} {
  return {
    code: error?.code ?? "provider_error",
    message: error?.message ?? "",
    hint: error?.hint ?? "",
  };
}
