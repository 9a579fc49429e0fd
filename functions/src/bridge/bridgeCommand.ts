import { initializeApp } from "firebase-admin/app";
import { getFirestore } from "firebase-admin/firestore";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadFunctionsEnvFiles } from "../config/envFiles";
import { parseRuntimeConfig } from "../config/runtimeConfig";
import { GenerationError } from "../core/errorCodes";
import { BridgeWorker, JobReport } from "./bridgeWorker";

const USAGE = `Usage: npm run bridge [-- --id office-pc-1] [-- --project P]

Runs beside LM Studio: takes the jobs the functions queue in bridge mode (LLM_STUDIO_MODE=bridge),
asks LM Studio at LLM_STUDIO_URL, and writes the results to Firestore. It only dials out.
Firestore: the emulator named by FIRESTORE_EMULATOR_HOST, or a real project with the service
account in GOOGLE_APPLICATION_CREDENTIALS (see the README).`;

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
  const envFiles = loadFunctionsEnvFiles(resolve(__dirname, "../.."));
  let config;
  try {
    config = parseRuntimeConfig(process.env);
  } catch (err) {
    if (!(err instanceof GenerationError)) throw err;
    console.error(`✗ ${err.message} [${err.code}]`);
    return 2;
  }
  const projectId =
    values.project ??
    process.env.GOOGLE_CLOUD_PROJECT ??
    process.env.GCLOUD_PROJECT ??
    (process.env.FIRESTORE_EMULATOR_HOST ? "demo-lmstudio-suggestions" : undefined);
  initializeApp(projectId ? { projectId } : undefined);
  const worker = new BridgeWorker(
    getFirestore(),
    process.env,
    (r) => console.log(formatJob(r)),
    values.id,
  );
  await worker.start();
  console.log(
    [
      `Bridge ${worker.bridgeId} running beside LM Studio at ${config.lmStudio.baseUrls.join(", ")}.`,
      `Firestore: ${process.env.FIRESTORE_EMULATOR_HOST ? `emulator at ${process.env.FIRESTORE_EMULATOR_HOST}` : `project ${projectId ?? "(from the credentials)"}`}; environment files: ${envFiles.join(", ") || "none"}.`,
      `Up to ${config.concurrency} job(s) at once; heartbeat every ${config.bridge.heartbeatMs} ms. Ctrl-C stops.`,
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

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`✗ ${(err as Error).message}`);
    process.exit(1);
  },
);
