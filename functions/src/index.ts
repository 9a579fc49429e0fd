/* eslint-disable @typescript-eslint/no-require-imports -- loading one trigger's module needs a synchronous require */
import { initializeApp } from "firebase-admin/app";
// First: every function below is declared with the options it sets (the region).
import "./triggers/globalOptions";

initializeApp();

/*
 * Each Cloud Functions instance serves one function, the one FUNCTION_TARGET names (Cloud Run
 * and the Functions emulator set it): it loads that trigger's module and what it declares with,
 * no other. The suggestion trigger never pays for firebase-functions/https, the scheduler or the
 * console's declarations at a cold start. Without FUNCTION_TARGET (`firebase deploy`'s discovery,
 * `npm run dev`, the tests) every function is declared.
 */
const target = process.env.FUNCTION_TARGET;

/** The function `name` where it is served; elsewhere undefined, which no instance then reads. */
function served<T>(name: string, load: () => T): T {
  return !target || target === name ? load() : (undefined as unknown as T);
}

export const onMessageCreated = served(
  "onMessageCreated",
  () =>
    (require("./triggers/onMessageCreated") as typeof import("./triggers/onMessageCreated"))
      .onMessageCreated,
);
export const onAiRequestCreated = served(
  "onAiRequestCreated",
  () =>
    (require("./triggers/onAiRequestCreated") as typeof import("./triggers/onAiRequestCreated"))
      .onAiRequestCreated,
);
export const onConversationUpdated = served(
  "onConversationUpdated",
  () =>
    (
      require("./triggers/onConversationUpdated") as typeof import("./triggers/onConversationUpdated")
    ).onConversationUpdated,
);
export const onKnowledgeWritten = served(
  "onKnowledgeWritten",
  () =>
    (require("./triggers/onKnowledgeWritten") as typeof import("./triggers/onKnowledgeWritten"))
      .onKnowledgeWritten,
);
export const sweepBridgeJobs = served(
  "sweepBridgeJobs",
  () =>
    (require("./triggers/sweepBridgeJobs") as typeof import("./triggers/sweepBridgeJobs"))
      .sweepBridgeJobs,
);
export const aiHealth = served(
  "aiHealth",
  () => (require("./triggers/aiHealth") as typeof import("./triggers/aiHealth")).aiHealth,
);
export const aiConsole = served(
  "aiConsole",
  () => (require("./triggers/aiConsole") as typeof import("./triggers/aiConsole")).aiConsole,
);
