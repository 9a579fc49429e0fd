import { initializeApp } from "firebase-admin/app";
import { getFirestore } from "firebase-admin/firestore";
import { parseArgs } from "node:util";
import { FUNCTIONS_DIR, findLocalFirestore } from "../config/devStackState";
import { loadFunctionsEnvFiles } from "../config/envFiles";
import { parseRuntimeConfig } from "../config/runtimeConfig";
import { GenerationError } from "../core/errorCodes";
import { BridgeWorker, JobReport, LmStudioState } from "./bridgeWorker";
import { exitWhenDone } from "../cli/exitWhenDone";

const USAGE = `Usage: npm run bridge [-- [--id office-pc-1] [--project P]]

Runs beside LM Studio: takes the jobs the functions queue in bridge mode (LLM_STUDIO_MODE=bridge),
asks LM Studio at LLM_STUDIO_URL, and writes the results to Firestore. It only dials out.
Firestore: the emulator named by FIRESTORE_EMULATOR_HOST, else the one of a running npm run dev,
else a real project with the service account in GOOGLE_APPLICATION_CREDENTIALS (see docs/bridge.md).`;

function formatJob(report: JobReport): string {
  const time = new Date().toISOString().slice(11, 19);
  const head = `${time}  ${report.task}  ${report.jobId}  run ${report.run}`;
  if (report.error !== undefined)
    return `${head}  failed: ${(report.error as Error).message ?? report.error}`;
  const result = report.result;
  const how =
    result?.kind === "recorded"
      ? result.outcome.status === "error"
        ? `error ${result.outcome.code}`
        : result.outcome.status
      : result?.kind;
  return `${head}  ${how}  ${report.ms} ms`;
}

function lmStudioLine(state: LmStudioState): string {
  return state.ready
    ? "LM Studio answers: taking jobs."
    : `LM Studio does not answer: ${state.message} [${state.code}]. Taking no jobs until it does.`;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      id: { type: "string" },
      project: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
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
    console.error(`✗ ${err.message} [${err.code}]`);
    return 2;
  }
  const firestore = findLocalFirestore(values.project);
  // With credentials but no project named, the service account's own project is the one.
  const credentialsOnly = firestore.kind === "none" && !!process.env.GOOGLE_APPLICATION_CREDENTIALS;
  if (firestore.kind === "none" && !credentialsOnly) {
    console.error(`✗ ${firestore.advice}`);
    return 2;
  }
  if (firestore.kind === "emulator") process.env.METADATA_SERVER_DETECTION ??= "none";
  initializeApp(firestore.kind === "none" ? undefined : { projectId: firestore.projectId });
  let started = false;
  const worker = new BridgeWorker(
    getFirestore(),
    process.env,
    (r) => console.log(formatJob(r)),
    values.id,
    // After the banner, each change of LM Studio's answer is a line of its own.
    (state) => {
      if (started) console.log(`${new Date().toISOString().slice(11, 19)}  ${lmStudioLine(state)}`);
    },
  );
  await worker.start();
  started = true;
  const lmStudio = worker.lmStudioState;
  console.log(
    [
      `Bridge ${worker.bridgeId} running beside LM Studio at ${config.lmStudio.baseUrls.join(", ")}${lmStudio.ready ? "." : `, which does not answer: ${lmStudio.message} [${lmStudio.code}]. It takes no jobs until LM Studio answers.`}`,
      `Firestore: ${firestore.kind === "emulator" ? `emulator at ${firestore.host}, found by ${firestore.foundBy}` : `project ${firestore.kind === "project" ? firestore.projectId : "(from the credentials)"}`}; environment files: ${envFiles.join(", ") || "none"}.`,
      `Up to ${config.concurrency} job(s) at once; heartbeat every ${config.bridge.heartbeatMs} ms. Ctrl-C stops.`,
      ...(config.lmStudio.mode === "bridge"
        ? []
        : [
            "⚠ LLM_STUDIO_MODE is direct here: functions configured like this call LM Studio themselves and queue no jobs, so this bridge gets none. The functions need LLM_STUDIO_MODE=bridge (functions/.env when deployed).",
          ]),
    ].join("\n"),
  );
  await new Promise<void>((resolveStop) => {
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      console.log("Stopping: finishing the jobs in flight (up to 5 s)…");
      void worker.stop().then(resolveStop);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  return 0;
}

exitWhenDone(main);
