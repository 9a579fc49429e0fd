import { type Language } from "../../src/core/language";
/*
 * How firebase-tools gets each emulator it cannot run as is on this machine: a pure decision over
 * what is installed, so the rule reads in one place and is tested without Java or a network.
 *
 * On a laptop with Java 21 and a network the plan is empty: `firebase emulators:start` as is.
 * Where firebase-tools' own downloads are missing and the gcloud CLI's emulator components are
 * installed (CI, this project's machines), firebase-tools is pointed at the components through
 * its documented *_EMULATOR_BINARY_PATH variables, and the preload (firebaseToolsPreload.ts)
 * lowers its Java floor to the components' own.
 */

import { suiteMessages } from "./suiteMessages";

/** firebase-tools 15 refuses Java below this for every Java emulator. */
export const FIREBASE_TOOLS_JAVA_FLOOR = 21;
/** What the gcloud components run on. */
export const GCLOUD_COMPONENTS_JAVA_FLOOR = 17;

export type UiWanted = "auto" | "on" | "off";

export interface MachineFacts {
  /** `java -version`'s major version; undefined when Java does not run. */
  javaMajor: number | undefined;
  /** The gcloud components found: Firestore's jar and Pub/Sub's launcher. */
  gcloud: { firestoreJar?: string; pubsubLauncher?: string };
  /** firebase-tools' own downloads already in its cache. */
  cached: { firestore: boolean; pubsub: boolean; ui: boolean };
  /** Binary paths the user set already (FIRESTORE_/PUBSUB_EMULATOR_BINARY_PATH): kept. */
  userSet: { firestore: boolean; pubsub: boolean };
  /** Whether firebase-tools could download the Emulator UI now (asked only when needed). */
  uiDownloadable: () => Promise<boolean>;
}

export interface FirebaseToolsPlan {
  /** Variables for the firebase-tools process (and its preload). */
  env: Record<string, string>;
  /** The gcloud Firestore jar a launcher jar must be written for. */
  firestoreLauncher?: { forJar: string };
  /** One line each, for the banner: where each emulator comes from. */
  notes: string[];
  /** Why the suite cannot start here; empty when it can. */
  problems: string[];
  ui: boolean;
}

export async function planFirebaseTools(
  facts: MachineFacts,
  wanted: UiWanted,
  launcherJarPath: string,
  /** The language of the notes and problems (the banner's). */
  language: Language = "en",
): Promise<FirebaseToolsPlan> {
  const say = suiteMessages(language);
  // Scheduled functions fire from their Pub/Sub topic wherever the suite runs (see the preload).
  const plan: FirebaseToolsPlan = {
    env: { EMULATOR_SUITE_SCHEDULES: "pubsub" },
    notes: [],
    problems: [],
    ui: false,
  };
  const java = facts.javaMajor;
  const javaText = java === undefined ? say.javaDoesNotRun : say.java(java);

  // Firestore: firebase-tools' cached jar needs Java 21; the gcloud component runs on 17.
  let componentFirestore = false;
  if (facts.userSet.firestore) {
    plan.notes.push(say.firestoreUserSet);
  } else if (java !== undefined && java >= FIREBASE_TOOLS_JAVA_FLOOR && facts.cached.firestore) {
    plan.notes.push(say.firestoreOwn);
  } else if (
    facts.gcloud.firestoreJar &&
    java !== undefined &&
    java >= GCLOUD_COMPONENTS_JAVA_FLOOR
  ) {
    componentFirestore = true;
    plan.firestoreLauncher = { forJar: facts.gcloud.firestoreJar };
    plan.env.FIRESTORE_EMULATOR_BINARY_PATH = launcherJarPath;
    plan.notes.push(say.firestoreComponent(facts.gcloud.firestoreJar, javaText));
  } else if (java !== undefined && java >= FIREBASE_TOOLS_JAVA_FLOOR) {
    plan.notes.push(say.firestoreDownload);
  } else {
    plan.problems.push(
      say.firestoreNeedsJava(javaText, FIREBASE_TOOLS_JAVA_FLOOR, GCLOUD_COMPONENTS_JAVA_FLOOR),
    );
  }
  // firebase-tools checks Java for any Firestore binary; its own needs 21, another may not.
  const notItsOwn = componentFirestore || facts.userSet.firestore;
  if (
    notItsOwn &&
    java !== undefined &&
    java >= GCLOUD_COMPONENTS_JAVA_FLOOR &&
    java < FIREBASE_TOOLS_JAVA_FLOOR
  ) {
    plan.env.EMULATOR_SUITE_JAVA_FLOOR = String(GCLOUD_COMPONENTS_JAVA_FLOOR);
  }

  // Pub/Sub: firebase-tools runs its launcher script directly, with no Java check of its own.
  if (facts.userSet.pubsub) {
    plan.notes.push(say.pubsubUserSet);
  } else if (facts.cached.pubsub) {
    plan.notes.push(say.pubsubOwn);
  } else if (facts.gcloud.pubsubLauncher) {
    plan.env.PUBSUB_EMULATOR_BINARY_PATH = facts.gcloud.pubsubLauncher;
    plan.notes.push(say.pubsubComponent(facts.gcloud.pubsubLauncher));
  } else {
    plan.notes.push(say.pubsubDownload);
  }

  // The Emulator UI is only ever a download.
  if (wanted === "off") {
    plan.ui = false;
  } else if (wanted === "on" || facts.cached.ui) {
    plan.ui = true;
  } else {
    plan.ui = await facts.uiDownloadable();
  }
  if (!plan.ui) plan.env.EMULATOR_SUITE_UI = "off";
  return plan;
}
