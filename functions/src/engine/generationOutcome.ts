import type { ErrorCode } from "../core/errorCodes";
import type { ProviderId, SkipReason } from "../core/vocabulary";
import type { FallbackFrom, ProviderAnswer } from "../providers/providerRouter";

/** How a generation ended, whatever the task: what the engine records on the result document. */
export type GenerationOutcome =
  | { status: "ready"; answer: ProviderAnswer }
  | {
      status: "error";
      code: ErrorCode;
      message: string;
      hint: string;
      attempts: number;
      latencyMs: number;
      provider?: ProviderId;
      model?: string;
      fallbackFrom?: FallbackFrom;
    }
  | { status: "skipped"; reason: SkipReason; detail: string };
