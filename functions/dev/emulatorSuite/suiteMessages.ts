import { type Catalog, type Language, messagesFor } from "../../src/core/language";

/*
 * What the emulator suite's start says (where each emulator comes from, why it cannot start, why
 * a start failed), in English and in Spanish: `npm run emulators` passes its language
 * (src/cli/commandLanguage.ts); the test runner and the tests read the English.
 */
export interface SuiteMessages {
  javaDoesNotRun: string;
  java(major: number): string;
  /** Why the suite cannot start: the Firestore emulator's Java. */
  firestoreNeedsJava(java: string, floor: number, componentFloor: number): string;
  firestoreUserSet: string;
  firestoreOwn: string;
  firestoreComponent(jar: string, java: string): string;
  firestoreDownload: string;
  pubsubUserSet: string;
  pubsubOwn: string;
  pubsubComponent(launcher: string): string;
  pubsubDownload: string;
  interrupted: string;
  exitedEarly(detail: string, logFile: string): string;
  exitCode(code: number | null): string;
  notReady(logFile: string): string;
  hubDidNotList(message: string): string;
}

const en: SuiteMessages = {
  javaDoesNotRun: "Java does not run",
  java: (major) => `Java ${major}`,
  firestoreNeedsJava: (java, floor, componentFloor) =>
    `${java}: the Firestore emulator needs Java ${floor}+ (firebase-tools' own) or Java ${componentFloor}+ with the gcloud component cloud-firestore-emulator`,
  firestoreUserSet: "Firestore: FIRESTORE_EMULATOR_BINARY_PATH, as you set it",
  firestoreOwn: "Firestore: firebase-tools' own emulator",
  firestoreComponent: (jar, java) => `Firestore: the gcloud component (${jar}) on ${java}`,
  firestoreDownload: "Firestore: firebase-tools' own emulator (downloaded on first use)",
  pubsubUserSet: "Pub/Sub: PUBSUB_EMULATOR_BINARY_PATH, as you set it",
  pubsubOwn: "Pub/Sub: firebase-tools' own emulator",
  pubsubComponent: (launcher) => `Pub/Sub: the gcloud component (${launcher})`,
  pubsubDownload: "Pub/Sub: firebase-tools' own emulator (downloaded on first use)",
  interrupted: "the emulator suite's start was interrupted",
  exitedEarly: (detail, logFile) =>
    `firebase emulators:start exited (${detail}) before the emulators were ready; see ${logFile}`,
  exitCode: (code) => `code ${code}`,
  notReady: (logFile) => `the emulators were not ready in time; see ${logFile}`,
  hubDidNotList: (message) => `the emulator hub did not list the emulators: ${message}`,
};

const es: SuiteMessages = {
  javaDoesNotRun: "Java no corre",
  java: (major) => `Java ${major}`,
  firestoreNeedsJava: (java, floor, componentFloor) =>
    `${java}: el emulador de Firestore necesita Java ${floor}+ (el de firebase-tools) o Java ${componentFloor}+ con el componente de gcloud cloud-firestore-emulator`,
  firestoreUserSet: "Firestore: FIRESTORE_EMULATOR_BINARY_PATH, como usted lo definió",
  firestoreOwn: "Firestore: el emulador propio de firebase-tools",
  firestoreComponent: (jar, java) => `Firestore: el componente de gcloud (${jar}) con ${java}`,
  firestoreDownload: "Firestore: el emulador propio de firebase-tools (se descarga la primera vez)",
  pubsubUserSet: "Pub/Sub: PUBSUB_EMULATOR_BINARY_PATH, como usted lo definió",
  pubsubOwn: "Pub/Sub: el emulador propio de firebase-tools",
  pubsubComponent: (launcher) => `Pub/Sub: el componente de gcloud (${launcher})`,
  pubsubDownload: "Pub/Sub: el emulador propio de firebase-tools (se descarga la primera vez)",
  interrupted: "se interrumpió el arranque de la suite de emuladores",
  exitedEarly: (detail, logFile) =>
    `firebase emulators:start terminó (${detail}) antes de que los emuladores estuvieran listos; vea ${logFile}`,
  exitCode: (code) => `código ${code}`,
  notReady: (logFile) => `los emuladores no estuvieron listos a tiempo; vea ${logFile}`,
  hubDidNotList: (message) => `el hub de emuladores no listó los emuladores: ${message}`,
};

const catalog: Catalog<SuiteMessages> = { en, es };

export const suiteMessages = (language: Language): SuiteMessages => messagesFor(catalog, language);
