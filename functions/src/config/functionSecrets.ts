import { defineSecret, type SecretParam } from "firebase-functions/params";
import type { FunctionName } from "../core/functionTimeouts";

/*
 * The only firebase-functions params are the secrets: declaring one is what binds a Secret
 * Manager secret to a function. The plain variables are not params. They reach the deployed
 * functions as ordinary environment variables from functions/.env (and .env.<projectId>), which
 * `firebase deploy` uploads, and the emulator reads those files and .env.local. The code reads
 * them from process.env through parseRuntimeConfig, which validates each one; `npm run
 * deploy:check-env` (firebase.json's predeploy) does the same before a deploy.
 *
 * Declaring every variable as a param too had two costs and no use (no `.value()` was read): the
 * emulator wrote every missing param's default into the user's functions/.env.local on its first
 * start, and `firebase deploy` prompted for each one.
 */

/** LM Studio's API token: sent to LM Studio's servers, for chat, embeddings and the health probe. */
export const LLM_STUDIO_API_KEY = defineSecret("LLM_STUDIO_API_KEY");
/** OpenAI's key: enables OpenAI as a workspace's primary provider or as the fallback. */
export const OPENAI_API_KEY = defineSecret("OPENAI_API_KEY");

/**
 * Each function's secrets: exactly those its code reads. A secret a function reads but does not
 * bind is not an error anywhere: the function just sees no key (no LM Studio auth, OpenAI
 * "disabled"). Beside FUNCTION_TIMEOUT_SECONDS, which names the same functions.
 */
export const FUNCTION_SECRETS: Record<FunctionName, SecretParam[]> = {
  // Suggestions: LM Studio (the reply, and the question's embedding for knowledge), and OpenAI as
  // primary or fallback. In bridge mode OpenAI-primary workspaces are still served here.
  onMessageCreated: [LLM_STUDIO_API_KEY, OPENAI_API_KEY],
  // Regenerate, rewrite, report on request: the same providers as a suggestion.
  onAiRequestCreated: [LLM_STUDIO_API_KEY, OPENAI_API_KEY],
  // Reports of closed conversations: the same providers as a suggestion.
  onConversationUpdated: [LLM_STUDIO_API_KEY, OPENAI_API_KEY],
  // Embeddings come from LM Studio only: vectors of another provider's model could not be
  // compared with the index's, so there is no fallback to OpenAI (ProviderRouter.embed).
  onKnowledgeWritten: [LLM_STUDIO_API_KEY],
  // Bridge mode's overdue jobs run where LM Studio is unreachable by construction: they fall back
  // to OpenAI or end bridge_offline, never calling LM Studio (runOverdueJobs).
  sweepBridgeJobs: [OPENAI_API_KEY],
  // The probe lists each LM Studio server's models with its token; OpenAI is never called, but
  // its status ("configured" or "disabled") and an OpenAI-primary health come from the key being
  // set (probeProviders, publicHealth).
  aiHealth: [LLM_STUDIO_API_KEY, OPENAI_API_KEY],
  // The console's live state is the same probe as the health endpoint's.
  aiConsole: [LLM_STUDIO_API_KEY, OPENAI_API_KEY],
};
