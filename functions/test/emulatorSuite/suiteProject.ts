import { copyFileSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { FUNCTIONS_DIR } from "../../src/config/devStackState";
import { distinctFreePorts } from "../../dev/freeLoopbackPort";
import {
  RunningEmulatorSuite,
  startEmulatorSuite,
} from "../../dev/emulatorSuite/startEmulatorSuite";

/*
 * The emulator-suite tests run `firebase emulators:start` on a copy of the repository's Firebase
 * project: firebase.json as it is but for the ports (free ones, so that a developer's own
 * `npm run emulators` keeps running), the rules and indexes, public/, and functions/ whose lib/
 * and node_modules/ are the real ones. The copy's functions/.env.local and .secret.local hold the
 * test's configuration, so a developer's own files are neither read nor touched.
 */

const REPO_ROOT = resolve(FUNCTIONS_DIR, "..");
export const PROJECT_ID = "demo-lmstudio-suggestions";

/** The emulators firebase.json configures, plus the ones firebase-tools starts alongside. */
const PORTED = [
  "auth",
  "functions",
  "firestore",
  "pubsub",
  "hosting",
  "hub",
  "logging",
  "eventarc",
  "tasks",
  "ui",
];

function envFile(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k}=${v}\n`)
    .join("");
}

async function projectCopy(
  name: string,
  functionsEnv: Record<string, string>,
  secrets: Record<string, string>,
): Promise<string> {
  const dir = join(FUNCTIONS_DIR, "build-dev", "emulator-suite", name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "functions"), { recursive: true });
  const config = JSON.parse(readFileSync(join(REPO_ROOT, "firebase.json"), "utf8")) as {
    emulators: Record<string, { port?: number; websocketPort?: number; enabled?: boolean }>;
  };
  const ports = await distinctFreePorts(PORTED.length + 1);
  PORTED.forEach((emulator, i) => {
    config.emulators[emulator] = { ...config.emulators[emulator], port: ports[i] };
  });
  config.emulators.firestore.websocketPort = ports[PORTED.length];
  writeFileSync(join(dir, "firebase.json"), JSON.stringify(config, null, 2));
  for (const file of [".firebaserc", "firestore.rules", "firestore.indexes.json"]) {
    copyFileSync(join(REPO_ROOT, file), join(dir, file));
  }
  symlinkSync(join(REPO_ROOT, "public"), join(dir, "public"));
  copyFileSync(join(FUNCTIONS_DIR, "package.json"), join(dir, "functions", "package.json"));
  for (const linked of ["lib", "node_modules"]) {
    symlinkSync(join(FUNCTIONS_DIR, linked), join(dir, "functions", linked));
  }
  writeFileSync(join(dir, "functions", ".env.local"), envFile(functionsEnv));
  writeFileSync(join(dir, "functions", ".secret.local"), envFile(secrets));
  return dir;
}

export interface SuiteProject {
  dir: string;
  suite: RunningEmulatorSuite;
  /** `http://host:port` of the Hosting emulator. */
  hosting: string;
}

/**
 * Copies the project with this configuration and starts the emulator suite on it. A port taken
 * between the look-up and firebase-tools' bind (another process on a busy machine) fails the
 * start: it is tried once more, on new ports.
 */
export async function startSuiteProject(
  name: string,
  functionsEnv: Record<string, string>,
): Promise<SuiteProject> {
  for (let attempt = 1; ; attempt += 1) {
    const dir = await projectCopy(name, functionsEnv, {
      // "none" is how a deployed project says "no key" (Secret Manager holds no empty value).
      LLM_STUDIO_API_KEY: "none",
      OPENAI_API_KEY: "none",
    });
    try {
      const suite = await startEmulatorSuite({
        projectDir: dir,
        projectId: PROJECT_ID,
        only: ["auth", "firestore", "functions", "hosting", "pubsub"],
        env: process.env,
        ui: "off",
        // Well inside the before hook's own timeout, so a slow start is stopped, never orphaned.
        startTimeoutMs: 150_000,
        logFile: join(dir, "firebase-tools.log"),
      });
      return { dir, suite, hosting: `http://${suite.hosts.hosting}` };
    } catch (err) {
      if (attempt === 2) throw err;
      console.log(
        `    (the emulator suite did not start, trying once more: ${(err as Error).message})`,
      );
    }
  }
}
