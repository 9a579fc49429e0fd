import { parseArgs } from "node:util";
import { loadFunctionsEnvFiles } from "../src/config/envFiles";
import { readEnv } from "../src/config/envValues";
import { describeLmStudio, watchLmStudio } from "./lmStudioStatus";
import { serveHealthEndpoint } from "./healthServer";
import { describeFirestoreEmulator } from "./firestoreEmulator";
import { formatOutcomeLine, startLocalStack } from "./localStack";
import { startSimulatedLmStudio } from "./simulatedLmStudio";
import { FUNCTIONS_DIR, removeStackState, writeStackState } from "../src/config/devStackState";

/*
 * `npm run dev`: the suggestion function running locally against a Firestore emulator, printing
 * one line per outcome. Ctrl-C stops it cleanly.
 */

const EMBEDDED_FRONTEND =
  "Frontend: the embedded emulator serves this backend only. For frontend work install the gcloud component cloud-firestore-emulator and Java 17+ (npm run dev then starts the official emulator on this port, with the rules), or run one yourself and set FIRESTORE_EMULATOR_HOST.";

const USAGE = `Usage: npm run dev [-- --simulate-lm-studio]

Runs the functions locally against a Firestore emulator and prints one line per outcome.
--simulate-lm-studio  answer with the project's LM Studio test server instead of LM Studio:
                      canned replies, for trying the stack on a machine without LM Studio.`;

/** The console's banner line: where it is, and what its sign-in needs. */
function consoleLine(url: string): string {
  const auth = process.env.FIREBASE_AUTH_EMULATOR_HOST;
  return auth
    ? `Console: ${url} (sign-in: the Auth emulator at ${auth})`
    : `Console: ${url} (sign-in needs an Auth emulator: \`npm run emulators\` serves this console with one and the demo team; or set FIREBASE_AUTH_EMULATOR_HOST to a running one)`;
}

async function main(): Promise<void> {
  const { values: flags } = parseArgs({
    options: {
      "simulate-lm-studio": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (flags.help) {
    console.log(USAGE);
    return;
  }
  const envFiles = loadFunctionsEnvFiles(FUNCTIONS_DIR);
  const simulated = flags["simulate-lm-studio"] ? await startSimulatedLmStudio() : undefined;
  if (simulated) process.env.LLM_STUDIO_URL = simulated.url;
  // 8080 is the official Firestore emulator's port, so a frontend set up for it works unchanged.
  const port = readEnv(process.env, "DEV_FIRESTORE_PORT");
  let stack;
  try {
    stack = await startLocalStack({
      port,
      onReport: (report) => console.log(formatOutcomeLine(report)),
    });
  } catch (err) {
    console.error(
      `Could not start a Firestore emulator on 127.0.0.1:${port}: ${(err as Error).message}\n` +
        "Is another emulator using the port? Set DEV_FIRESTORE_PORT, or point at it with FIRESTORE_EMULATOR_HOST.",
    );
    process.exitCode = 1;
    return;
  }
  const healthPort = readEnv(process.env, "DEV_HEALTH_PORT");
  const health = await serveHealthEndpoint(healthPort).catch((err: Error) => {
    console.error(
      `Health endpoint not served: port ${healthPort} is taken (${err.message}); set DEV_HEALTH_PORT.`,
    );
    return undefined;
  });
  writeStackState({ firestoreHost: stack.emulator.host, pid: process.pid });
  const lmStudioLine = await describeLmStudio();
  console.log(
    [
      "Suggestions running locally.",
      `Firestore: ${describeFirestoreEmulator(stack.emulator)} (project ${process.env.GCLOUD_PROJECT})`,
      `Environment files: ${envFiles.length ? envFiles.join(", ") : "none (embedded defaults)"}`,
      ...(health ? [`Health: ${health.url}`, consoleLine(health.consoleUrl)] : []),
      ...(stack.emulator.kind === "embedded" ? [EMBEDDED_FRONTEND] : []),
      ...(simulated
        ? [
            `SIMULATED LM Studio (--simulate-lm-studio): the project's test server at ${simulated.url} answers with a canned reply, not a model.`,
          ]
        : []),
      lmStudioLine,
      "Waiting for messages, agent requests and conversation closes under workspaces/{w}/conversations/{c}, and knowledge articles under workspaces/{w}/knowledge. Try `npm run demo` in another terminal. Ctrl-C stops.",
    ].join("\n"),
  );

  const stopWatching = watchLmStudio(lmStudioLine, readEnv(process.env, "DEV_PROBE_INTERVAL_MS"));
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log("Stopping…");
    removeStackState();
    stopWatching();
    await health?.close();
    await simulated?.close();
    await stack.stop();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

void main();
