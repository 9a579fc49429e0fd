import { parseArgs } from "node:util";
import { loadFunctionsEnvFiles } from "../src/config/envFiles";
import { readEnv } from "../src/config/envValues";
import { describeLmStudio, watchLmStudio } from "./lmStudioStatus";
import { serveHealthEndpoint } from "./healthServer";
import { describeFirestoreEmulator } from "./firestoreEmulator";
import { formatOutcomeLine, startLocalStack } from "./localStack";
import { startSimulatedLmStudio } from "./simulatedLmStudio";
import { FUNCTIONS_DIR, removeStackState, writeStackState } from "../src/config/devStackState";
import { LANG_OPTION, langUsage, readLangFlag } from "../src/cli/commandLanguage";
import { devMessages } from "./devMessages";
import { stackMessages } from "./stackMessages";

/*
 * `npm run dev`: the suggestion function running locally against a Firestore emulator, printing
 * one line per outcome. Ctrl-C stops it cleanly.
 */

async function main(): Promise<void> {
  const { values: flags } = parseArgs({
    options: {
      "simulate-lm-studio": { type: "boolean", default: false },
      ...LANG_OPTION,
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const lang = readLangFlag(flags.lang, process.env);
  if (!lang) {
    process.exitCode = 2;
    return;
  }
  // No workspace of its own: the flag, the environment, English.
  const { language } = lang;
  const say = devMessages(language);
  if (flags.help) {
    console.log(say.usage(langUsage(language, false)));
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
      onReport: (report) => console.log(formatOutcomeLine(report, language)),
      language,
    });
  } catch (err) {
    console.error(say.firestoreDidNotStart(port, (err as Error).message));
    process.exitCode = 1;
    return;
  }
  const healthPort = readEnv(process.env, "DEV_HEALTH_PORT");
  const health = await serveHealthEndpoint(healthPort).catch((err: Error) => {
    console.error(say.healthNotServed(healthPort, err.message));
    return undefined;
  });
  writeStackState({ firestoreHost: stack.emulator.host, pid: process.pid });
  const lmStudioLine = await describeLmStudio(process.env, language);
  console.log(
    [
      say.running,
      say.firestore(
        describeFirestoreEmulator(stack.emulator, language),
        process.env.GCLOUD_PROJECT,
      ),
      say.environmentFiles(envFiles),
      ...(health
        ? [
            say.health(health.url),
            say.console(health.consoleUrl, process.env.FIREBASE_AUTH_EMULATOR_HOST),
          ]
        : []),
      ...(stack.emulator.kind === "embedded" ? [say.embeddedFrontend] : []),
      ...(simulated ? [stackMessages(language).simulated(simulated.url)] : []),
      lmStudioLine,
      say.waiting,
    ].join("\n"),
  );

  const stopWatching = watchLmStudio(
    lmStudioLine,
    readEnv(process.env, "DEV_PROBE_INTERVAL_MS"),
    process.env,
    language,
  );
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log(say.stopping);
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
