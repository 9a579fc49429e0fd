import { FieldValue, type DocumentData } from "firebase-admin/firestore";
import { settingsLocale } from "../../config/workspaceAiSettings";
import {
  asGenerationError,
  GenerationError,
  hintFor,
  HintLanguage,
  hintLanguage,
} from "../../core/errorCodes";
import { readMessage } from "../../conversation/message";
import { functionTimeoutMs } from "../../core/functionTimeouts";
import { ConversationAddress, paths } from "../../core/paths";
import type { ResultTarget } from "../../engine/generationTask";
import { errorOutcome } from "../../engine/outcomes";
import { commitIdempotent } from "../../engine/firestoreCommit";
import { writeDecidedResult } from "../../engine/outcomeWrite";
import { claimResult, handingBackOnFailure } from "../../engine/resultClaims";
import { EngineDeps, runGenerationTask, TaskRunResult } from "../../engine/runGenerationTask";

import { loadProviderRuntime } from "../../providers/providerRuntime";
import { conversationReportTask } from "../conversationReport/conversationReportTask";
import { findNewerMessage } from "../replySuggestion/latestSuggestion";
import { replySuggestionTask } from "../replySuggestion/replySuggestionTask";
import { AiRequest, aiRequestTarget, invalidRequest, parseAiRequest } from "./aiRequest";
import { admitAgainstQuota } from "./requestQuota";
import { rewriteDraftTask } from "./rewriteDraftTask";

/*
 * An agent's request from the inbox: regenerate a suggestion, rewrite a draft, or report on the
 * conversation now. Each ends in a terminal status on the request document, whatever goes wrong:
 * a malformed request, a member over quota, a message that a newer one has superseded, AI
 * switched off. In bridge mode the bridge runs the generation and then the request's follow-up.
 */

export interface AiRequestCreatedInput {
  conversation: ConversationAddress;
  requestId: string;
  /** The created request document's fields. */
  data: Record<string, unknown> | undefined;
}

export type AiRequestResult = TaskRunResult | { kind: "request_failed"; code: string };

/** A request's claim goes stale after the function that runs it could have ended. */
const REQUEST_TIMEOUT_MS = functionTimeoutMs("onAiRequestCreated");

export async function handleAiRequest(
  input: AiRequestCreatedInput,
  deps: EngineDeps,
): Promise<AiRequestResult> {
  const { db } = deps;
  const env = deps.env ?? process.env;
  const target = aiRequestTarget(input.conversation, input.requestId, "requests");
  const settings = (await db.doc(paths.aiSettings(target.workspaceId)).get()).data();
  const language = hintLanguage(settingsLocale(settings));
  const fail = async (error: GenerationError): Promise<AiRequestResult> => {
    const outcome = errorOutcome(error, env, language);
    // Never reached a provider: counted with the documented default prices.
    await writeDecidedResult(db, target, outcome, {});
    return { kind: "request_failed", code: error.code };
  };

  let request: AiRequest;
  let limit: number;
  try {
    request = parseAiRequest(input.data);
    limit = loadProviderRuntime(env).config.requestsPerMemberPerDay;
  } catch (err) {
    return fail(asGenerationError(err));
  }
  const admitted = await admitAgainstQuota(
    db,
    { workspaceId: target.workspaceId, path: target.path, uid: request.requestedBy },
    limit,
  );
  if (!admitted) {
    return fail(
      new GenerationError(
        "quota_exceeded",
        `${request.requestedBy} made ${limit} AI requests today (AI_REQUESTS_PER_MEMBER_PER_DAY).`,
      ),
    );
  }

  const result =
    request.kind === "report"
      ? await reportOnRequest(input, target, deps, language)
      : request.kind === "rewrite"
        ? await runGenerationTask(
            rewriteDraftTask,
            {
              conversation: input.conversation,
              requestId: input.requestId,
              draft: request.draft,
              instruction: request.instruction,
            },
            deps,
          )
        : await regenerate(input, request, target, deps, fail, language);
  if (result.kind === "disabled") {
    return fail(invalidRequest(`AI is switched off for this workspace (${result.reason}).`));
  }
  return result;
}

/**
 * Generates the suggestion of a customer message again, as a new version, steered by the agent's
 * optional instruction; the request document mirrors how it ends.
 */
async function regenerate(
  input: AiRequestCreatedInput,
  request: Extract<AiRequest, { kind: "regenerate" }>,
  target: ResultTarget,
  deps: EngineDeps,
  fail: (error: GenerationError) => Promise<AiRequestResult>,
  language: HintLanguage,
): Promise<AiRequestResult> {
  const { db } = deps;
  const address = { ...input.conversation, messageId: request.messageId };
  const snapshot = await db.doc(paths.message(address)).get();
  const message = readMessage(request.messageId, snapshot.data());
  const refuse = (why: string) => fail(invalidRequest(why));
  if (!snapshot.exists) {
    return refuse(
      `aiRequests.messageId names no message of this conversation: "${request.messageId}".`,
    );
  }
  if (message.direction !== "inbound") {
    return refuse(
      `aiRequests.messageId must name a customer (inbound) message; "${request.messageId}" is not.`,
    );
  }
  const newer = await findNewerMessage(db, address, message);
  if (newer) {
    return fail(
      new GenerationError(
        "request_conflict",
        `Message "${request.messageId}" is no longer the conversation's newest: ${newer.supersededBy} came after it (${newer.reason}). Regenerate the newest one instead.`,
      ),
    );
  }
  const claim = await claimResult(db, target, REQUEST_TIMEOUT_MS);
  if (!claim.claimed) return { kind: "duplicate", existingStatus: claim.status };

  const followUp: RequestFollowUp = {
    kind: "regenerate",
    requestPath: target.path,
    resultPath: paths.suggestion(address),
    requestId: input.requestId,
    language,
  };
  const result = await handingBackOnFailure(db, target, claim.token, () =>
    runGenerationTask(
      replySuggestionTask,
      {
        address,
        message: snapshot.data(),
        regenerate: {
          requestId: input.requestId,
          instruction: request.instruction,
          options: request.options,
        },
      },
      { ...deps, placement: deps.placement.withFollowUp({ ...followUp }) },
    ),
  );
  // Queued for the bridge: it mirrors the suggestion onto the request when it has run it.
  if (result.kind !== "queued") await runFollowUp(db, followUp, result);
  return result;
}

/** What a request does once the result it asked for has ended: show how it ended. */
export interface RequestFollowUp {
  kind: "regenerate" | "report";
  requestPath: string;
  resultPath: string;
  requestId: string;
  /** The team's language, for the hints the request document gets. */
  language: HintLanguage;
}

export async function runFollowUp(
  db: EngineDeps["db"],
  followUp: RequestFollowUp,
  result: TaskRunResult,
): Promise<void> {
  const produced = (await db.doc(followUp.resultPath).get()).data();
  const fields =
    followUp.kind === "regenerate"
      ? mirrorOf(result, produced, followUp.requestId, followUp.language ?? "en")
      : {
          status: produced?.status === "ready" ? "ready" : "error",
          reportId: produced?.reportId ?? null,
          ...(produced?.status !== "ready" && produced?.error ? { error: produced.error } : {}),
          completedAt: new Date(),
        };
  await commitIdempotent(() => db.doc(followUp.requestPath).update(fields));
}

/** A report of the conversation now, at a member's request; the request mirrors how it ends. */
async function reportOnRequest(
  input: AiRequestCreatedInput,
  target: ResultTarget,
  deps: EngineDeps,
  language: HintLanguage,
): Promise<AiRequestResult> {
  const claim = await claimResult(deps.db, target, REQUEST_TIMEOUT_MS);
  if (!claim.claimed) return { kind: "duplicate", existingStatus: claim.status };
  const reportId = `request-${input.requestId}`;
  const followUp: RequestFollowUp = {
    kind: "report",
    requestPath: target.path,
    resultPath: paths.report(input.conversation, reportId),
    requestId: input.requestId,
    language,
  };
  const result = await handingBackOnFailure(deps.db, target, claim.token, () =>
    runGenerationTask(
      conversationReportTask,
      {
        conversation: input.conversation,
        reportId,
        trigger: "request",
        requestId: input.requestId,
      },
      { ...deps, placement: deps.placement.withFollowUp({ ...followUp }) },
    ),
  );
  if (result.kind === "disabled") {
    // Hand the claim back: the caller records why on the request.
    await deps.db.doc(target.path).update({ status: FieldValue.delete() });
    return result;
  }
  if (result.kind !== "queued") await runFollowUp(deps.db, followUp, result);
  return result;
}

/** How the request document ends, from how its suggestion ended. */
function mirrorOf(
  result: TaskRunResult,
  suggestion: DocumentData | undefined,
  requestId: string,
  language: HintLanguage,
): Record<string, unknown> {
  const ours = suggestion?.requestId === requestId;
  const done = { suggestionId: suggestion?.messageId ?? null, completedAt: new Date() };
  if (result.kind === "recorded" && result.outcome.status === "ready") {
    return { status: "ready", version: suggestion?.version ?? null, ...done };
  }
  if (result.kind === "recorded" && result.outcome.status === "error") {
    const { code, message, hint } = result.outcome;
    return { status: "error", error: { code, message, hint }, ...done };
  }
  if (result.kind === "duplicate" && ours) {
    return { status: suggestion?.status ?? "generating", version: suggestion?.version ?? null };
  }
  const why =
    result.kind === "recorded" && result.outcome.status === "superseded"
      ? `A newer message (${result.outcome.supersededBy}) superseded the suggestion while it was generated again.`
      : "The suggestion for this message is being generated right now; ask again when it is ready.";
  return {
    status: "error",
    error: { code: "request_conflict", message: why, hint: hintFor("request_conflict", language) },
    ...done,
  };
}
