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
import { LANG_OPTION, langUsage, readLangFlag } from "../src/cli/commandLanguage";
import { emulatorsMessages, type EmulatorsMessages } from "./emulatorsMessages";
import { stackMessages } from "./stackMessages";
import { type Language } from "../src/core/language";

/*
 * `npm run emulators`: the Firebase emulator suite on the repository's firebase.json — Firestore
 * (with the rules), Functions (functions/lib, loaded as `firebase deploy` loads it), Auth,
 * Hosting and Pub/Sub — with the demo team seeded. firebase-tools' own output is passed through,
 * as `firebase emulators:start` shows it; the banner follows once all are ready.
 */

const REPO_ROOT = resolve(FUNCTIONS_DIR, "..");
const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

function uiWanted(say: EmulatorsMessages): UiWanted {
  const value = (process.env.EMULATOR_UI ?? "auto").trim();
  if (value === "auto" || value === "on" || value === "off") return value;
  throw new Error(say.uiValue(value.slice(0, 20)));
}

/** `npm run dev` (compiled beside this file), in the foreground, with the stop signals passed on. */
function runDevInstead(simulate: boolean, language: Language): Promise<number> {
  const dev = spawn(
    process.execPath,
    [
      join(__dirname, "devCommand.js"),
      ...(simulate ? ["--simulate-lm-studio"] : []),
      // The same language, whichever source decided it here.
      "--lang",
      language,
    ],
    { stdio: "inherit" },
  );
  // A terminal's Ctrl-C reaches both processes, a kill only this one: passed on either way
  // (dev stops once), and this one waits for it.
  for (const signal of STOP_SIGNALS) process.on(signal, () => dev.kill(signal));
  return new Promise((r) => dev.once("exit", (code) => r(code ?? 1)));
}

/** The environment files the Functions emulator gives the functions, as the banner lists them. */
function functionsEnvFiles(say: EmulatorsMessages): string {
  const names = [".env", `.env.${DEMO_PROJECT_ID}`, ".env.local", ".secret.local"];
  const present = names.filter((name) => existsSync(join(FUNCTIONS_DIR, name)));
  return say.environmentFiles(
    present.map((f) => `functions/${f}`),
    present.includes(".secret.local"),
  );
}

function uiLine(
  say: EmulatorsMessages,
  ui: UiWanted,
  plan: FirebaseToolsPlan,
  hosts: Record<string, string>,
): string {
  if (plan.ui && hosts.ui) return say.ui(`http://${hosts.ui}`);
  return ui === "off" ? say.uiOff : say.uiUnavailable;
}

async function main(): Promise<number> {
  const { values: flags } = parseArgs({
    options: {
      "simulate-lm-studio": { type: "boolean", default: false },
      "or-dev": { type: "boolean", default: false },
      ...LANG_OPTION,
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const lang = readLangFlag(flags.lang, process.env);
  if (!lang) return 2;
  // The demo workspace's settings carry no locale: the flag, the environment, English.
  const { language } = lang;
  const say = emulatorsMessages(language);
  if (flags.help) {
    console.log(say.usage(langUsage(language, false)));
    return 0;
  }
  const ui = uiWanted(say);
  const plan = await planForThisMachine(ui, language);
  if (plan.problems.length && flags["or-dev"]) {
    console.log(say.orDev(plan.problems.join("; ")));
    return runDevInstead(flags["simulate-lm-studio"], language);
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
        language,
      },
      plan,
    );
  } catch (err) {
    await simulated?.close();
    if (stopRequested.signal.aborted) return 130;
    console.error(say.didNotStart((err as Error).message));
    console.error(say.withoutIt);
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
    console.error(say.seedFailed((err as Error).message));
    await stopAll();
    return 1;
  }
  writeStackState({ firestoreHost: hosts.firestore, pid: process.pid });

  const hosting = `http://${hosts.hosting}`;
  const lmStudioLine = await describeLmStudio(localEnv, language);
  console.log(
    [
      "",
      say.ready(DEMO_PROJECT_ID),
      say.hosting(hosting),
      say.inbox(hosting),
      say.firestore(hosts.firestore),
      say.functions(hosts.functions),
      say.auth(hosts.auth),
      say.pubsub(hosts.pubsub),
      uiLine(say, ui, suite.plan, hosts),
      ...suite.plan.notes.map((note) => `  ${note}`),
      say.team(DEMO_WORKSPACE, DEMO_PASSWORD),
      ...DEMO_TEAM.map((p) => `  ${p.role.padEnd(6)} ${p.email}`),
      functionsEnvFiles(say),
      ...(simulated ? [stackMessages(language).simulated(simulated.url)] : []),
      lmStudioLine,
      say.tryDemo,
    ].join("\n"),
  );

  const stopWatching = watchLmStudio(
    lmStudioLine,
    readEnv(localEnv, "DEV_PROBE_INTERVAL_MS"),
    localEnv,
    language,
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
    console.error(say.endedByItself(logFile));
    await stopAll();
    return 1;
  }
  console.log(say.stopping);
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
