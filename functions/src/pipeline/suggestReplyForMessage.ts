import type { Firestore } from "firebase-admin/firestore";
import type { Env } from "../config/envValues";
import { loadRuntime, Runtime } from "../config/runtime";
import { decideWorkspaceAiSettings, SettingsDecision } from "../config/workspaceAiSettings";
import { loadConversationContext } from "../conversation/loadConversationContext";
import { decideForTriggerMessage, readMessage } from "../conversation/message";
import { SuggestionError } from "../errors/errorCodes";
import { MessageAddress, paths } from "../firestore/paths";
import { log } from "../observability/log";
import { buildSuggestionPrompt } from "../prompt/buildSuggestionPrompt";
import type { SuggestionOutcome } from "../suggestions/suggestion";
import {
  claimSuggestion,
  createDecidedOutcome,
  recordOutcome,
  releaseClaim,
} from "../suggestions/suggestionStore";
import { reportOutcome } from "./reportOutcome";

/** The trigger's timeout; the pipeline plans its own time inside it. */
export const SUGGESTION_TIMEOUT_SECONDS = 300;
/** Kept free at the end of the function's time to write the outcome. */
const OUTCOME_WRITE_RESERVE_MS = 15_000;

export interface MessageCreatedInput {
  address: MessageAddress;
  /** The created message document's fields. */
  message: Record<string, unknown> | undefined;
}

export interface PipelineDeps {
  db: Firestore;
  env?: Env;
  /** When this invocation started; the deadline counts from here. */
  startedAt?: number;
  timeoutMs?: number;
}

export type PipelineResult =
  | { kind: "ignored"; reason: "not_inbound" }
  | { kind: "disabled"; reason: Extract<SettingsDecision, { kind: "disabled" }>["reason"] }
  | { kind: "duplicate"; existingStatus: string }
  | { kind: "recorded"; outcome: SuggestionOutcome };

function errorOutcome(
  error: SuggestionError,
  extra: Partial<SuggestionOutcome & { status: "error" }> = {},
): SuggestionOutcome {
  return {
    status: "error",
    code: error.code,
    message: error.message,
    hint: error.hint,
    attempts: 0,
    latencyMs: 0,
    ...extra,
  };
}

/**
 * From a created message to a terminal suggestion: decide, claim, load context, build the
 * prompt, ask the provider router, record. Failures of our own input or of the provider end in
 * a recorded outcome; only Firestore failures throw, so the platform redelivers the event.
 */
export async function suggestReplyForMessage(
  input: MessageCreatedInput,
  deps: PipelineDeps,
): Promise<PipelineResult> {
  const { db } = deps;
  const { address } = input;
  const startedAt = deps.startedAt ?? Date.now();
  const timeoutMs = deps.timeoutMs ?? SUGGESTION_TIMEOUT_SECONDS * 1000;
  const trigger = readMessage(address.messageId, input.message);
  const decision = decideForTriggerMessage(trigger);
  if (decision.kind === "ignore") return { kind: "ignored", reason: decision.reason };

  const settingsSnapshot = await db.doc(paths.aiSettings(address.workspaceId)).get();
  let settingsDecision: SettingsDecision;
  try {
    settingsDecision = decideWorkspaceAiSettings(settingsSnapshot.data());
  } catch (err) {
    return recordDecided(db, address, errorOutcome(err as SuggestionError), undefined);
  }
  if (settingsDecision.kind === "disabled") {
    log.debug("suggestions off for workspace", { ...address, reason: settingsDecision.reason });
    return { kind: "disabled", reason: settingsDecision.reason };
  }
  let runtime: Runtime;
  try {
    runtime = loadRuntime(deps.env);
  } catch (err) {
    return recordDecided(db, address, errorOutcome(err as SuggestionError), undefined);
  }
  if (decision.kind === "skip") {
    const skipped = {
      status: "skipped",
      reason: decision.reason,
      detail: decision.detail,
    } as const;
    return recordDecided(db, address, skipped, runtime);
  }

  const claim = await claimSuggestion(db, address, timeoutMs);
  if (!claim.claimed) {
    log.info("suggestion already claimed", { ...address, existingStatus: claim.status });
    return { kind: "duplicate", existingStatus: claim.status };
  }

  try {
    const context = await loadConversationContext(
      db,
      address,
      trigger,
      runtime.config.contextMessages,
    );
    const prompt = buildSuggestionPrompt(context, { charBudget: runtime.config.contextCharBudget });
    log.debug("prompt built", {
      ...address,
      turns: prompt.messages.length - 1,
      chars: prompt.chars,
      droppedTurns: prompt.droppedTurns,
      triggerTruncated: prompt.triggerTruncated,
    });
    const result = await runtime.router.complete(settingsDecision.settings, prompt.messages, {
      deadlineAt: startedAt + timeoutMs - OUTCOME_WRITE_RESERVE_MS,
    });
    const outcome: SuggestionOutcome = result.ok
      ? { status: "ready", answer: result.answer }
      : errorOutcome(result.error, {
          attempts: result.attempts,
          latencyMs: result.latencyMs,
          provider: result.provider,
          model: result.model,
          fallbackFrom: result.fallbackFrom,
        });
    await recordOutcome(db, address, outcome);
    await reportOutcome(db, address, outcome, runtime);
    return { kind: "recorded", outcome };
  } catch (err) {
    // Firestore failed us mid-way. Hand the claim back so the redelivery starts clean; if even
    // that fails, the claim goes stale and the redelivery takes it over after the timeout.
    await releaseClaim(db, address).catch((releaseErr) =>
      log.error("could not release suggestion claim", { ...address, error: String(releaseErr) }),
    );
    throw err;
  }
}

async function recordDecided(
  db: Firestore,
  address: MessageAddress,
  outcome: SuggestionOutcome,
  runtime: Runtime | undefined,
): Promise<PipelineResult> {
  const created = await createDecidedOutcome(db, address, outcome);
  if (!created) return { kind: "duplicate", existingStatus: "exists" };
  await reportOutcome(db, address, outcome, runtime);
  return { kind: "recorded", outcome };
}
