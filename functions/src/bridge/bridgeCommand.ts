import { initializeApp } from "firebase-admin/app";
import { getFirestore } from "firebase-admin/firestore";
import { parseArgs } from "node:util";
import { FUNCTIONS_DIR, findLocalFirestore } from "../config/devStackState";
import { loadFunctionsEnvFiles } from "../config/envFiles";
import { parseRuntimeConfig } from "../config/runtimeConfig";
import { GenerationError, hintFor } from "../core/errorCodes";
import { BridgeWorker, JobReport } from "./bridgeWorker";
import { bridgeMessages, type BridgeMessages } from "./bridgeMessages";
import { LANG_OPTION, langUsage, readLangFlag } from "../cli/commandLanguage";
import { exitWhenDone } from "../cli/exitWhenDone";
import { firestoreMessages } from "../cli/workspaceFirestore";

/** One line per job: the task, job id and run (names), and how it ended (statuses are names). */
function formatJob(report: JobReport, say: BridgeMessages): string {
  const time = new Date().toISOString().slice(11, 19);
  const head = `${time}  ${report.task}  ${report.jobId}  ${say.run(report.run)}`;
  if (report.error !== undefined)
    return `${head}  ${say.jobFailed(String((report.error as Error).message ?? report.error))}`;
  const result = report.result;
  const how =
    result !== undefined && "outcome" in result
      ? result.outcome.status === "error"
        ? say.jobError(result.outcome.code)
        : result.outcome.status
      : result?.kind;
  return `${head}  ${how}  ${report.ms} ms`;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      id: { type: "string" },
      project: { type: "string" },
      ...LANG_OPTION,
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const lang = readLangFlag(values.lang, process.env);
  if (!lang) return 2;
  // No workspace: a bridge serves them all. The flag, the environment, English.
  const say = bridgeMessages(lang.language);
  if (values.help) {
    console.log(say.usage(langUsage(lang.language, false)));
    return 0;
  }
  const envFiles = loadFunctionsEnvFiles(FUNCTIONS_DIR);
  // One human-readable line per job: the structured logs only for errors unless asked.
  process.env.LOG_LEVEL ??= "error";
  let config;
  try {
    config = parseRuntimeConfig(process.env);
  } catch (err) {
    if (!(err instanceof GenerationError)) throw err;
    // The validator's message names the setting; the fix is the error table's, in the language.
    console.error(`✗ ${err.message} [${err.code}]\n  ${hintFor(err.code, lang.language)}`);
    return 2;
  }
  const firestore = findLocalFirestore(values.project);
  // With credentials but no project named, the service account's own project is the one.
  const credentialsOnly = firestore.kind === "none" && !!process.env.GOOGLE_APPLICATION_CREDENTIALS;
  if (firestore.kind === "none" && !credentialsOnly) {
    console.error(`✗ ${firestoreMessages(lang.language).none}`);
    return 2;
  }
  if (firestore.kind === "emulator") process.env.METADATA_SERVER_DETECTION ??= "none";
  initializeApp(firestore.kind === "none" ? undefined : { projectId: firestore.projectId });
  let started = false;
  const worker = new BridgeWorker(
    getFirestore(),
    process.env,
    (r) => console.log(formatJob(r, say)),
    values.id,
    // After the banner, each change of LM Studio's answer is a line of its own.
    (state) => {
      if (started) console.log(`${new Date().toISOString().slice(11, 19)}  ${say.lmStudio(state)}`);
    },
  );
  await worker.start();
  started = true;
  const where =
    firestore.kind === "emulator"
      ? say.firestoreEmulator(firestore.host, firestoreMessages(lang.language).foundBy(firestore))
      : say.firestoreProject(firestore.kind === "project" ? firestore.projectId : undefined);
  console.log(
    [
      say.running(worker.bridgeId, config.lmStudio.baseUrls.join(", "), worker.lmStudioState),
      `${where}; ${say.environmentFiles(envFiles)}`,
      say.capacity(config.concurrency, config.bridge.heartbeatMs),
      ...(config.lmStudio.mode === "bridge" ? [] : [say.directMode]),
    ].join("\n"),
  );
  await new Promise<void>((resolveStop) => {
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      console.log(say.stopping);
      void worker.stop().then(resolveStop);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  return 0;
}

exitWhenDone(main);
