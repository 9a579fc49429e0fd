import { existsSync } from "node:fs";
import { join } from "node:path";
import { FUNCTIONS_DIR } from "../../src/config/devStackState";
import { findSdkRootWith, GCLOUD_COMPONENTS, javaMajorVersion } from "../gcloudSdk";
import { FirebaseToolsPlan, MachineFacts, planFirebaseTools, UiWanted } from "./firebaseToolsPlan";
import { type Language } from "../../src/core/language";

/*
 * What this machine has for the emulator suite (Java, the gcloud components, firebase-tools' own
 * downloads), read once, and the plan firebaseToolsPlan.ts makes of it.
 */

/** Where the Firestore launcher jar is written when the gcloud component is used. */
export const FIRESTORE_LAUNCHER_JAR = join(
  FUNCTIONS_DIR,
  "build-dev",
  "emulators",
  "firestore-launcher.jar",
);

async function uiDownloadable(remoteUrl: string | undefined): Promise<boolean> {
  if (!remoteUrl) return false;
  try {
    const response = await fetch(remoteUrl, { method: "HEAD", signal: AbortSignal.timeout(3_000) });
    return response.ok;
  } catch {
    return false;
  }
}

export function machineFacts(): MachineFacts {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const downloads = require("firebase-tools/lib/emulator/downloadableEmulators") as {
    getDownloadDetails(name: string): {
      downloadPath: string;
      binaryPath?: string;
      opts: { remoteUrl?: string };
    };
  };
  const cached = (name: string) => {
    // With an override set, firebase-tools reports the override's path, not its cache.
    if (process.env[`${name.toUpperCase()}_EMULATOR_BINARY_PATH`]) return false;
    const details = downloads.getDownloadDetails(name);
    return existsSync(details.binaryPath ?? details.downloadPath);
  };
  const firestoreSdk = findSdkRootWith(GCLOUD_COMPONENTS.firestoreJar, "cloud-firestore-emulator");
  const pubsubSdk = findSdkRootWith(GCLOUD_COMPONENTS.pubsubLauncher, "pubsub-emulator");
  return {
    javaMajor: javaMajorVersion(),
    gcloud: {
      firestoreJar:
        "root" in firestoreSdk
          ? join(firestoreSdk.root, GCLOUD_COMPONENTS.firestoreJar)
          : undefined,
      pubsubLauncher:
        "root" in pubsubSdk ? join(pubsubSdk.root, GCLOUD_COMPONENTS.pubsubLauncher) : undefined,
    },
    cached: { firestore: cached("firestore"), pubsub: cached("pubsub"), ui: cached("ui") },
    userSet: {
      firestore: Boolean(process.env.FIRESTORE_EMULATOR_BINARY_PATH),
      pubsub: Boolean(process.env.PUBSUB_EMULATOR_BINARY_PATH),
    },
    uiDownloadable: () => uiDownloadable(downloads.getDownloadDetails("ui").opts.remoteUrl),
  };
}

/** How firebase-tools will get each emulator here, and whether it can start at all. */
export function planForThisMachine(
  ui: UiWanted,
  language: Language = "en",
): Promise<FirebaseToolsPlan> {
  return planFirebaseTools(machineFacts(), ui, FIRESTORE_LAUNCHER_JAR, language);
}
