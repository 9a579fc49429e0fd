import { asGenerationError, GenerationError } from "../core/errorCodes";
import { errorOutcome } from "../results/outcomes";
import { writeDecidedResult } from "../results/outcomeWrite";
import { paths } from "../core/paths";
import { settingsLanguage } from "../config/workspaceAiSettings";
import { EngineDeps, runGenerationTask } from "../engine/runGenerationTask";
import { loadProviderRuntime } from "../providers/providerRuntime";
import { AiRequest, aiRequestTarget, invalidRequest, parseAiRequest } from "../requests/aiRequest";
import { admitAgainstQuota } from "../requests/requestQuota";
import { hasEnded } from "../core/vocabulary";
import type { AiRequestCreatedInput, AiRequestResult } from "../requests/requestRun";
import { reportOnRequest } from "./conversationReport/reportOnRequest";
import { regenerateOnRequest } from "./replySuggestion/regenerateOnRequest";
import { rewriteDraftTask } from "./rewriteDraft/rewriteDraftTask";

export type { AiRequestCreatedInput, AiRequestResult } from "../requests/requestRun";

/*
 * An agent's request from the inbox: regenerate a suggestion, rewrite a draft, or report on the
 * conversation now. Each ends in a terminal status on the request document, whatever goes wrong:
 * a malformed request, a member over quota, a message that a newer one has superseded, AI
 * switched off. Each kind is its task's: this module reads the request and hands it over.
 */

export async function handleAiRequest(
  input: AiRequestCreatedInput,
  deps: EngineDeps,
): Promise<AiRequestResult> {
  const { db } = deps;
  const env = deps.env ?? process.env;
  const target = aiRequestTarget(input.conversation, input.requestId, "requests");
  const [settings, current] = await db.getAll(
    db.doc(paths.aiSettings(target.workspaceId)),
    db.doc(target.path),
  );
  // Answered once, however often the event arrives: a redelivery finds the request ended.
  if (hasEnded(current.get("status"))) {
    return { kind: "duplicate", existingStatus: current.get("status") };
  }
  const language = settingsLanguage(settings.data());
  const fail = async (error: GenerationError): Promise<AiRequestResult> => {
    const outcome = errorOutcome(error, env, language);
    // Never reached a provider: counted with the documented default prices.
    // A request shown `generating` by a run that failed ends here; one that ended stays.
    await writeDecidedResult(db, target, outcome, {}, "unended");
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

  const onRequest = { ...input, target, language, refuse: fail };
  const result =
    request.kind === "report"
      ? await reportOnRequest(onRequest, deps)
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
        : await regenerateOnRequest(onRequest, request, deps);
  if (result.kind === "disabled") {
    return fail(invalidRequest(`AI is switched off for this workspace (${result.reason}).`));
  }
  return result;
}
