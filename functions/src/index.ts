import { initializeApp } from "firebase-admin/app";

initializeApp();

export { onMessageCreated } from "./triggers/onMessageCreated";
