import { initializeApp } from "firebase-admin/app";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadFunctionsEnvFiles } from "../src/config/envFiles";
import { readEnv } from "../src/config/envValues";
import {
  DEMO_PROJECT_ID,
  FUNCTIONS_DIR,
  removeStackState,
  writeStackState,
} from "../src/config/devStackState";
import { DEMO_PASSWORD, DEMO_TEAM, DEMO_WORKSPACE, seedDemoTeam } from "./demoTeam";
import type { FirebaseToolsPlan, UiWanted } from "./emulatorSuite/firebaseToolsPlan";
import { RunningEmulatorSuite, startEmulatorSuite } from "./emulatorSuite/startEmulatorSuite";
import { planForThisMachine } from "./emulatorSuite/thisMachine";
import { describeLmStudio, watchLmStudio } from "./lmStudioStatus";
import { startSimulatedLmStudio } from "./simulatedLmStudio";

/*
 * `npm run emulators`: the Firebase emulator suite on the repository's firebase.json — Firestore
 * (with the rules), Functions (functions/lib, loaded as `firebase deploy` loads it), Auth,
 * Hosting and Pub/Sub — with the demo team seeded. firebase-tools' own output is passed through,
 * as `firebase emulators:start` shows it; the banner follows once all are ready.
 */

const USAGE = `Usage: npm run emulators [-- --simulate-lm-studio] [-- --or-dev]

Runs the Firebase emulator suite (firebase emulators:start) with this repository's functions.
--simulate-lm-studio  answer with the project's LM Studio test server instead of LM Studio:
                      canned replies, for trying the stack on a machine without LM Studio.
--or-dev              where the suite cannot run (no Java), run npm run dev instead: the
                      functions in-process on the embedded Firestore emulator.
EMULATOR_UI=auto|on|off  the Emulator UI: auto starts it where it is cached or can be downloaded.`;

const REPO_ROOT = resolve(FUNCTIONS_DIR, "..");
const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

function uiWanted(): UiWanted {
  const value = (process.env.EMULATOR_UI ?? "auto").trim();
  if (value === "auto" || value === "on" || value === "off") return value;
  throw new Error(`EMULATOR_UI must be one of auto, on, off; got "${value.slice(0, 20)}".`);
}

/** `npm run dev` (compiled beside this file), in the foreground, with the stop signals passed on. */
function runDevInstead(simulate: boolean): Promise<number> {
  const dev = spawn(
    process.execPath,
    [join(__dirname, "devCommand.js"), ...(simulate ? ["--simulate-lm-studio"] : [])],
    { stdio: "inherit" },
  );
  // A terminal's Ctrl-C reaches both processes, a kill only this one: passed on either way
  // (dev stops once), and this one waits for it.
  for (const signal of STOP_SIGNALS) process.on(signal, () => dev.kill(signal));
  return new Promise((r) => dev.once("exit", (code) => r(code ?? 1)));
}

/** The environment files the Functions emulator gives the functions, as the banner lists them. */
function functionsEnvFiles(): string {
  const names = [".env", `.env.${DEMO_PROJECT_ID}`, ".env.local", ".secret.local"];
  const present = names.filter((name) => existsSync(join(FUNCTIONS_DIR, name)));
  const files = present.length
    ? present.map((f) => `functions/${f}`).join(", ")
    : "none (the embedded defaults)";
  return present.includes(".secret.local")
    ? files
    : `${files}; no functions/.secret.local, so the Functions emulator asks Secret Manager for the secrets and warns (harmless: no key = none)`;
}

function uiLine(ui: UiWanted, plan: FirebaseToolsPlan, hosts: Record<string, string>): string {
  if (plan.ui && hosts.ui) return `  Emulator UI  http://${hosts.ui}`;
  if (ui === "off") return "  Emulator UI  not started (EMULATOR_UI=off)";
  return "  Emulator UI  not started: it is a download, not available here (EMULATOR_UI=on to try anyway)";
}

async function main(): Promise<number> {
  const { values: flags } = parseArgs({
    options: {
      "simulate-lm-studio": { type: "boolean", default: false },
      "or-dev": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (flags.help) {
    console.log(USAGE);
    return 0;
  }
  const ui = uiWanted();
  const plan = await planForThisMachine(ui);
  if (plan.problems.length && flags["or-dev"]) {
    console.log(
      `The Firebase emulator suite cannot run here (${plan.problems.join("; ")}): running npm run dev instead, the functions in-process on an embedded Firestore emulator.`,
    );
    return runDevInstead(flags["simulate-lm-studio"]);
  }
  // From here on a stop signal stops everything this command started, at any stage.
  const stopRequested = new AbortController();
  for (const signal of STOP_SIGNALS) process.on(signal, () => stopRequested.abort());

  // This process reads the functions' files for its LM Studio line and the demo's model only:
  // firebase-tools gets the shell's environment, and the Functions emulator adds the files
  // itself, so each function sees only the secrets it binds, as deployed.
  const localEnv: NodeJS.ProcessEnv = { ...process.env };
  loadFunctionsEnvFiles(FUNCTIONS_DIR, localEnv);
  const simulated = flags["simulate-lm-studio"] ? await startSimulatedLmStudio() : undefined;
  if (simulated) localEnv.LLM_STUDIO_URL = simulated.url;
  const logFile = join(FUNCTIONS_DIR, "build-dev", "emulators", "firebase-tools.log");

  let suite: RunningEmulatorSuite;
  try {
    suite = await startEmulatorSuite(
      {
        projectDir: REPO_ROOT,
        projectId: DEMO_PROJECT_ID,
        only: ["auth", "firestore", "functions", "hosting", "pubsub"],
        env: process.env,
        functionsEnv: simulated ? { LLM_STUDIO_URL: simulated.url } : undefined,
        ui,
        logFile,
        onLine: (line) => console.log(line),
        signal: stopRequested.signal,
      },
      plan,
    );
  } catch (err) {
    await simulated?.close();
    if (stopRequested.signal.aborted) return 130;
    console.error(`✗ The emulator suite did not start: ${(err as Error).message}`);
    console.error(
      "  Without it, `npm run dev` runs the functions in-process on an embedded Firestore emulator (no Java needed).",
    );
    return 1;
  }
  const stopAll = async () => {
    removeStackState();
    await suite.stop();
    await simulated?.close();
  };

  const hosts = suite.hosts;
  process.env.GCLOUD_PROJECT = DEMO_PROJECT_ID;
  process.env.FIRESTORE_EMULATOR_HOST = hosts.firestore;
  process.env.FIREBASE_AUTH_EMULATOR_HOST = hosts.auth;
  // Everything here is emulated: the Admin SDK need not look for a metadata server.
  process.env.METADATA_SERVER_DETECTION ??= "none";
  initializeApp({ projectId: DEMO_PROJECT_ID });
  try {
    await seedDemoTeam(readEnv(localEnv, "LLM_STUDIO_CHECK_MODEL"));
  } catch (err) {
    console.error(`✗ Could not seed the demo team: ${(err as Error).message}`);
    await stopAll();
    return 1;
  }
  writeStackState({ firestoreHost: hosts.firestore, pid: process.pid });

  const hosting = `http://${hosts.hosting}`;
  const lmStudioLine = await describeLmStudio(localEnv);
  console.log(
    [
      "",
      `Firebase emulator suite ready (project ${DEMO_PROJECT_ID}), with this repository's functions/lib:`,
      `  Hosting    ${hosting}  — health ${hosting}/api/ai/health, console ${hosting}/console/`,
      `  Firestore  ${hosts.firestore}  (rules and indexes of the repository)`,
      `  Functions  ${hosts.functions}`,
      `  Auth       ${hosts.auth}`,
      `  Pub/Sub    ${hosts.pubsub}  (sweepBridgeJobs' schedule: topic firebase-schedule-sweepBridgeJobs)`,
      uiLine(ui, suite.plan, hosts),
      ...suite.plan.notes.map((note) => `  ${note}`),
      `Demo team of workspace ${DEMO_WORKSPACE} (password ${DEMO_PASSWORD}):`,
      ...DEMO_TEAM.map((p) => `  ${p.role.padEnd(6)} ${p.email}`),
      `Functions' environment files: ${functionsEnvFiles()}`,
      ...(simulated
        ? [
            `SIMULATED LM Studio (--simulate-lm-studio): the project's test server at ${simulated.url} answers with a canned reply, not a model.`,
          ]
        : []),
      lmStudioLine,
      `Try \`npm run demo\` in another terminal. firebase-tools' log: functions/build-dev/emulators/firebase-tools.log. Ctrl-C stops.`,
    ].join("\n"),
  );

  const stopWatching = watchLmStudio(
    lmStudioLine,
    readEnv(localEnv, "DEV_PROBE_INTERVAL_MS"),
    localEnv,
  );
  const ended = await Promise.race([
    new Promise<"stop">((r) =>
      stopRequested.signal.aborted
        ? r("stop")
        : stopRequested.signal.addEventListener("abort", () => r("stop")),
    ),
    suite.exited.then(() => "exited" as const),
  ]);
  stopWatching();
  if (ended === "exited") {
    console.error(`✗ firebase emulators:start ended by itself; see ${logFile}`);
    await stopAll();
    return 1;
  }
  console.log("Stopping the emulators…");
  await stopAll();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`✗ ${(err as Error).message}`);
    process.exit(1);
  },
);
