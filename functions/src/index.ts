import { initializeApp } from "firebase-admin/app";

initializeApp();

export { onMessageCreated } from "./triggers/onMessageCreated";
export { aiHealth } from "./triggers/aiHealth";
