import { ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { join, resolve } from "node:path";
import { freeLoopbackPort } from "./freeLoopbackPort";
import {
  componentVersion,
  findSdkRootWith,
  GCLOUD_COMPONENTS,
  javaMajorVersion,
} from "./gcloudSdk";

/*
 * The official Cloud Firestore emulator (the gcloud CLI's `cloud-firestore-emulator` component),
 * started by the project itself: `firebase emulators:exec --only firestore` refuses Java below
 * 21, yet the component runs on Java 17. It enforces the security rules, isolates transactions,
 * answers collection-group queries and serves the web SDK, which the embedded emulator cannot.
 */

const LAUNCHER = GCLOUD_COMPONENTS.firestoreLauncher;
export const REPO_ROOT = resolve(__dirname, "../../..");
export const RULES_FILE = join(REPO_ROOT, "firestore.rules");

export interface OfficialEmulatorInstall {
  launcher: string;
  version: string;
}

/**
 * Where the official emulator is, when the gcloud component is installed and Java runs; the
 * reason it cannot be used otherwise.
 */
export function findOfficialEmulator(): OfficialEmulatorInstall | { missing: string } {
  const sdk = findSdkRootWith(LAUNCHER, "cloud-firestore-emulator");
  if ("missing" in sdk) return sdk;
  const java = javaMajorVersion();
  if (java === undefined)
    return { missing: "Java does not run (the emulator needs Java 17 or newer)" };
  if (java < 17) return { missing: `Java ${java} runs, and the emulator needs Java 17 or newer` };
  return {
    launcher: join(sdk.root, LAUNCHER),
    version: componentVersion(sdk.root, "cloud-firestore-emulator"),
  };
}

async function answers(host: string): Promise<boolean> {
  try {
    const response = await fetch(`http://${host}/`, { signal: AbortSignal.timeout(2_000) });
    return response.ok;
  } catch {
    return false;
  }
}

const WATCHDOG = `"$0" "$@" &
emulator=$!
trap 'kill 0 2>/dev/null' EXIT
while kill -0 "$EMULATOR_OWNER_PID" 2>/dev/null && kill -0 "$emulator" 2>/dev/null; do sleep 1; done`;

export interface OfficialFirestore {
  host: string;
  version: string;
  /** Where the emulator's own output goes (it is verbose: a stack trace per refused write). */
  logFile: string;
  stop(): Promise<void>;
}

/**
 * Starts the official emulator on 127.0.0.1:`port` (0: a free one) with the repository's
 * `firestore.rules`, and resolves once it answers. `stop()` ends that process group only.
 */
export async function startOfficialFirestore(options: {
  install: OfficialEmulatorInstall;
  port: number;
  projectId: string;
  logFile: string;
  startTimeoutMs?: number;
}): Promise<OfficialFirestore> {
  const port = options.port || (await freeLoopbackPort());
  const host = `127.0.0.1:${port}`;
  if (await answers(host)) {
    throw new Error(`port ${port} is taken (something already answers at ${host})`);
  }
  const log = openSync(options.logFile, "w");
  const args = [
    "--host",
    "127.0.0.1",
    "--port",
    String(port),
    "--rules",
    RULES_FILE,
    "--project_id",
    options.projectId,
  ];
  // A process group of its own, so that stop() reaches the JVM behind the launcher script and
  // nothing else; a watchdog in the group ends it when this process dies without stopping it
  // (a SIGKILL, a crash), so that no emulator outlives its owner.
  const child: ChildProcess = spawn("bash", ["-c", WATCHDOG, options.install.launcher, ...args], {
    detached: true,
    stdio: ["ignore", log, log],
    env: { ...process.env, EMULATOR_OWNER_PID: String(process.pid) },
  });
  closeSync(log);
  let exited: number | null | undefined;
  child.once("exit", (code) => (exited = code));
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  // Never leave a JVM behind, whichever way this process ends.
  const onExit = () => killGroup("SIGKILL");
  process.once("exit", onExit);

  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  while (!(await answers(host))) {
    if (exited !== undefined) {
      process.off("exit", onExit);
      throw new Error(
        `the official emulator exited (code ${exited}) before answering; see ${options.logFile}`,
      );
    }
    if (Date.now() > deadline) {
      onExit();
      process.off("exit", onExit);
      throw new Error(`the official emulator did not answer at ${host}; see ${options.logFile}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    host,
    version: options.install.version,
    logFile: options.logFile,
    async stop() {
      process.off("exit", onExit);
      if (exited !== undefined) return;
      const gone = new Promise<void>((r) => child.once("exit", () => r()));
      killGroup("SIGTERM");
      const timer = setTimeout(() => killGroup("SIGKILL"), 5_000);
      await gone;
      clearTimeout(timer);
    },
  };
}
