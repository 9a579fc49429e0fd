import { initializeApp } from "firebase-admin/app";

initializeApp();

export { onMessageCreated } from "./triggers/onMessageCreated";
export { onAiRequestCreated } from "./triggers/onAiRequestCreated";
export { aiHealth } from "./triggers/aiHealth";
