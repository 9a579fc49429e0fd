import { ChildProcess, spawn } from "node:child_process";
import { createWriteStream, existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { findSdkRootWith, GCLOUD_COMPONENTS, javaMajorVersion } from "../gcloudSdk";
import { writeFirestoreLauncherJar } from "./launcherJar";
import { FirebaseToolsPlan, MachineFacts, planFirebaseTools, UiWanted } from "./firebaseToolsPlan";

/*
 * The Firebase emulator suite, started the way a Firebase developer starts it:
 * `firebase emulators:start` on the project's firebase.json, with the functions loaded from
 * functions/lib by the Functions emulator as `firebase deploy` would load them. Only what this
 * machine lacks is adjusted (firebaseToolsPlan.ts).
 */

export const FUNCTIONS_DIR = resolve(__dirname, "../../..");
const PRELOAD = join(__dirname, "firebaseToolsPreload.js");
const LAUNCHER_JAR = join(FUNCTIONS_DIR, "build-dev", "emulators", "firestore-launcher.jar");
const READY_LINE = "All emulators ready";

export type EmulatorName = "auth" | "firestore" | "functions" | "hosting" | "pubsub";

export interface EmulatorSuiteOptions {
  /** The folder of firebase.json. */
  projectDir: string;
  projectId: string;
  only: EmulatorName[];
  /** Variables the functions get above their .env files (the simulated LM Studio's URL). */
  functionsEnv?: Record<string, string>;
  ui?: UiWanted;
  /** Every line firebase-tools prints goes here too. */
  logFile: string;
  onLine?: (line: string) => void;
  /** Bounds only a start that never becomes ready; a healthy start ends long before. */
  startTimeoutMs?: number;
}

export interface RunningEmulatorSuite {
  /** name → "127.0.0.1:port", as the hub lists them (hub, logging, eventarc, tasks too). */
  hosts: Record<string, string>;
  plan: FirebaseToolsPlan;
  stop(): Promise<void>;
}

async function uiDownloadable(remoteUrl: string | undefined): Promise<boolean> {
  if (!remoteUrl) return false;
  try {
    const response = await fetch(remoteUrl, { method: "HEAD", signal: AbortSignal.timeout(3_000) });
    return response.ok;
  } catch {
    return false;
  }
}

/** What this machine has: Java, the gcloud components, firebase-tools' own downloads. */
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
export function planForThisMachine(ui: UiWanted): Promise<FirebaseToolsPlan> {
  return planFirebaseTools(machineFacts(), ui, LAUNCHER_JAR);
}

function hubPort(projectDir: string): number {
  const config = JSON.parse(readFileSync(join(projectDir, "firebase.json"), "utf8")) as {
    emulators?: { hub?: { port?: number } };
  };
  return config.emulators?.hub?.port ?? 4400;
}

interface HubListing {
  hosts: Record<string, string>;
  /** The emulators firebase-tools runs as processes of their own (JVMs, detached). */
  pids: number[];
}

async function hubListing(port: number): Promise<HubListing> {
  const response = await fetch(`http://127.0.0.1:${port}/emulators`, {
    signal: AbortSignal.timeout(5_000),
  });
  const listed = (await response.json()) as Record<
    string,
    { host: string; port: number; pid?: number }
  >;
  return {
    hosts: Object.fromEntries(
      Object.entries(listed).map(([name, info]) => [name, `${info.host}:${info.port}`]),
    ),
    pids: Object.values(listed).flatMap((info) => (info.pid ? [info.pid] : [])),
  };
}

/**
 * Starts `firebase emulators:start --only <only>` in `projectDir` and resolves once firebase-tools
 * says every emulator is ready (the Functions emulator has loaded the functions by then).
 */
export async function startEmulatorSuite(
  options: EmulatorSuiteOptions,
  planned?: FirebaseToolsPlan,
): Promise<RunningEmulatorSuite> {
  const plan = planned ?? (await planForThisMachine(options.ui ?? "auto"));
  if (plan.problems.length) throw new Error(plan.problems.join("; "));
  if (plan.firestoreLauncher)
    writeFirestoreLauncherJar(LAUNCHER_JAR, plan.firestoreLauncher.forJar);

  const firebaseBin = require.resolve("firebase-tools/lib/bin/firebase.js");
  const child: ChildProcess = spawn(
    process.execPath,
    [
      "--require",
      PRELOAD,
      firebaseBin,
      "emulators:start",
      "--only",
      options.only.join(","),
      "--project",
      options.projectId,
    ],
    {
      cwd: options.projectDir,
      // A process group of its own, so that stop() also reaches the emulators' JVMs.
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        // No interactive prompts, and no look-up of firebase-tools' message of the day.
        CI: process.env.CI ?? "true",
        // Everything here is emulated: no Google client should wait on a metadata server.
        METADATA_SERVER_DETECTION: process.env.METADATA_SERVER_DETECTION ?? "none",
        ...plan.env,
        ...(options.functionsEnv
          ? { EMULATOR_SUITE_FUNCTIONS_ENV: JSON.stringify(options.functionsEnv) }
          : {}),
      },
    },
  );
  const log = createWriteStream(options.logFile);
  let exited: number | null | undefined;
  const exit = new Promise<void>((r) =>
    child.once("exit", (code) => {
      exited = code;
      r();
    }),
  );
  // firebase-tools starts each JVM detached, in a group of its own: a crash of this process
  // (no stop()) must reach those too, so their pids are kept once the hub lists them.
  let emulatorPids: number[] = [];
  const killGroup = (signal: NodeJS.Signals) => {
    for (const target of [child.pid === undefined ? [] : [-child.pid], emulatorPids].flat()) {
      try {
        process.kill(target, signal);
      } catch {
        // already gone
      }
    }
  };
  const onExit = () => killGroup("SIGKILL");
  process.once("exit", onExit);

  const ready = new Promise<void>((resolveReady) => {
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on("line", (line) => {
        log.write(`${line}\n`);
        options.onLine?.(line);
        if (line.includes(READY_LINE)) resolveReady();
      });
    }
  });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((r) => {
    timer = setTimeout(() => r("timeout"), options.startTimeoutMs ?? 180_000);
  });
  const first = await Promise.race([
    ready.then(() => "ready" as const),
    exit.then(() => "exit" as const),
    timedOut,
  ]);
  clearTimeout(timer);

  const stop = async () => {
    process.off("exit", onExit);
    if (exited === undefined) {
      // firebase-tools stops its emulators on SIGINT, as on Ctrl-C.
      try {
        if (child.pid !== undefined) process.kill(child.pid, "SIGINT");
      } catch {
        // already gone
      }
      const force = setTimeout(() => killGroup("SIGKILL"), 30_000);
      await exit;
      clearTimeout(force);
    }
    // Whatever outlived firebase-tools (a JVM it lost track of) goes too.
    killGroup("SIGKILL");
    await new Promise<void>((r) => log.end(r));
  };
  if (first !== "ready") {
    await stop();
    throw new Error(
      first === "exit"
        ? `firebase emulators:start exited (code ${exited}) before the emulators were ready; see ${options.logFile}`
        : `the emulators were not ready in time; see ${options.logFile}`,
    );
  }
  const listing = await hubListing(hubPort(options.projectDir));
  emulatorPids = listing.pids;
  return { hosts: listing.hosts, plan, stop };
}
