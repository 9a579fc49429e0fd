import { initializeApp } from "firebase-admin/app";
// First: every function below is declared with the options it sets (the region).
import "./triggers/globalOptions";

initializeApp();

export { onMessageCreated } from "./triggers/onMessageCreated";
export { onAiRequestCreated } from "./triggers/onAiRequestCreated";
export { onConversationUpdated } from "./triggers/onConversationUpdated";
export { onKnowledgeWritten } from "./triggers/onKnowledgeWritten";
export { sweepBridgeJobs } from "./triggers/sweepBridgeJobs";
export { aiHealth } from "./triggers/aiHealth";
export { aiConsole } from "./triggers/aiConsole";
