import type { ErrorCode } from "../core/errorCodes";
import type { ProviderId, SkipReason } from "../core/vocabulary";
import type { FallbackFrom, ProviderAnswer } from "../providers/providerRouter";
import type { Supersession } from "./supersession";
import type { CounterTree } from "../metrics/generationMetrics";
import type { ResultWrite } from "./resultDocument";

/** How a generation ended, whatever the task: what the engine records on the result document. */
export type GenerationOutcome =
  | {
      status: "ready";
      answer: ProviderAnswer;
      /** From the claim to the first text an agent could read. */
      firstTextMs?: number;
      /** The task's own fields, written beside the standard ones (they may replace `text`). */
      fields?: ResultWrite;
      /** The task's own counters for the day's metrics (knowledge used, say). */
      counters?: CounterTree;
    }
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
  | { status: "skipped"; reason: SkipReason; detail: string }
  | ({ status: "superseded" } & Supersession);
