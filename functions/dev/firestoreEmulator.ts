import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { readEnv } from "../src/config/envValues";
import { stackMessages } from "./stackMessages";
import { EmbeddedFirestore, startEmbeddedFirestore } from "./embeddedFirestore";
import { findOfficialEmulator, REPO_ROOT, startOfficialFirestore } from "./officialFirestore";
import { type Language } from "../src/core/language";

/*
 * The one way the tests and the local tools (dev, demo, bench, bridge) get a Firestore emulator:
 * 1. the one FIRESTORE_EMULATOR_HOST names (e.g. under `firebase emulators:exec` on a laptop
 *    with Java 21);
 * 2. else the official emulator, when the gcloud component is installed and Java runs, started
 *    here with the repository's rules and stopped at the end;
 * 3. else the embedded one, in this process.
 * DEV_FIRESTORE_EMULATOR=official|embedded asks for one of the last two instead of choosing.
 */

export type FirestoreEmulator =
  | { kind: "named"; host: string; stop(): Promise<void> }
  | { kind: "official"; host: string; version: string; logFile: string; stop(): Promise<void> }
  | ({ kind: "embedded"; stop(): Promise<void>; fallbackReason?: string } & Omit<
      EmbeddedFirestore,
      "stop"
    >);

export type FirestoreEmulatorKind = FirestoreEmulator["kind"];

/** One line for a banner: which emulator, where, and with the embedded one what it lacks. */
export function describeFirestoreEmulator(
  emulator: FirestoreEmulator,
  language: Language = "en",
): string {
  const say = stackMessages(language);
  switch (emulator.kind) {
    case "named":
      return say.namedEmulator(emulator.host);
    case "official":
      return say.officialEmulator(emulator.version, emulator.host, emulator.logFile);
    case "embedded":
      return say.embeddedEmulator(emulator.host, emulator.fallbackReason);
  }
}

/** Where the official emulator's verbose output goes. */
function logFileFor(port: number): string {
  const dir = join(REPO_ROOT, "functions", "build-dev");
  mkdirSync(dir, { recursive: true });
  return join(dir, `firestore-emulator-${port || process.pid}.log`);
}

/**
 * Points firebase-admin at a Firestore emulator, chosen as above, and sets
 * FIRESTORE_EMULATOR_HOST for everything started after it. `port` 0 is any free port.
 */
export async function useFirestoreEmulator(options: {
  port: number;
  projectId?: string;
}): Promise<FirestoreEmulator> {
  // Against an emulator no credentials are needed, yet google-auth-library would still probe the
  // GCE metadata server (169.254.169.254) for them: never leave loopback, never wait on that.
  process.env.METADATA_SERVER_DETECTION ??= "none";
  const named = process.env.FIRESTORE_EMULATOR_HOST;
  if (named) return { kind: "named", host: named, stop: async () => undefined };

  const wanted = readEnv(process.env, "DEV_FIRESTORE_EMULATOR");
  let fallbackReason: string | undefined;
  if (wanted !== "embedded") {
    const install = findOfficialEmulator();
    if ("missing" in install) {
      if (wanted === "official") {
        throw new Error(
          `DEV_FIRESTORE_EMULATOR=official, but ${install.missing}. Install the gcloud CLI's cloud-firestore-emulator component and Java 17+, or name a running emulator with FIRESTORE_EMULATOR_HOST.`,
        );
      }
      fallbackReason = install.missing;
    } else {
      const official = await startOfficialFirestore({
        install,
        port: options.port,
        projectId: options.projectId ?? process.env.GCLOUD_PROJECT ?? "demo-lmstudio-suggestions",
        logFile: logFileFor(options.port),
      });
      process.env.FIRESTORE_EMULATOR_HOST = official.host;
      return { kind: "official", ...official };
    }
  }
  const embedded = await startEmbeddedFirestore(options.port);
  process.env.FIRESTORE_EMULATOR_HOST = embedded.host;
  return {
    kind: "embedded",
    ...embedded,
    fallbackReason,
    stop: async () => embedded.stop(),
  };
}
