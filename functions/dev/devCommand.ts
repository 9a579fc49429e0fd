import { loadFunctionsEnvFiles } from "../src/config/envFiles";
import { readEnv } from "../src/config/envValues";
import { parseRuntimeConfig } from "../src/config/runtimeConfig";
import { probeProviders } from "../src/health/probeProviders";
import { serveHealthEndpoint } from "./healthServer";
import { formatReport, startLocalStack } from "./localStack";
import { FUNCTIONS_DIR, removeStackState, writeStackState } from "./stackStateFile";

/*
 * `npm run dev`: the suggestion function running locally against a Firestore emulator, printing
 * one line per outcome. Ctrl-C stops it cleanly.
 */

async function describeLmStudio(): Promise<string> {
  let config;
  try {
    config = parseRuntimeConfig(process.env);
  } catch (err) {
    return `✗ configuration: ${(err as Error).message}`;
  }
  if (!config.lmStudio.enabled) return "LM Studio: disabled (LLM_STUDIO_ENABLED=false)";
  const { servers } = (await probeProviders(config)).llmStudio;
  return servers
    .map((s) => {
      // Listed, even without a language model: the count says enough at startup.
      if (s.modelSource !== undefined) {
        const loaded = s.models.filter((m) => m.state === "loaded").map((m) => m.id);
        return `✓ LM Studio at ${s.baseUrl}: ${s.models.length} model(s)${loaded.length ? `, loaded: ${loaded.join(", ")}` : ""}`;
      }
      return `✗ ${s.error?.message} [${s.error?.code}] — suggestions will end in error until it is up (npm run llm:check)`;
    })
    .join("\n");
}

async function main(): Promise<void> {
  const envFiles = loadFunctionsEnvFiles(FUNCTIONS_DIR);
  // 8080 is the official Firestore emulator's port, so a frontend set up for it works unchanged.
  const port = readEnv(process.env, "DEV_FIRESTORE_PORT");
  let stack;
  try {
    stack = await startLocalStack({
      port,
      onReport: (report) => console.log(formatReport(report)),
    });
  } catch (err) {
    console.error(
      `Could not start the embedded Firestore emulator on 127.0.0.1:${port}: ${(err as Error).message}\n` +
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
  console.log(
    [
      "Suggestions running locally.",
      `Firestore: ${stack.emulator.kind === "embedded" ? "embedded emulator" : "emulator from FIRESTORE_EMULATOR_HOST"} at ${stack.emulator.host} (project ${process.env.GCLOUD_PROJECT})`,
      `Environment files: ${envFiles.length ? envFiles.join(", ") : "none (embedded defaults)"}`,
      ...(health ? [`Health: ${health.url}`] : []),
      await describeLmStudio(),
      "Waiting for messages under workspaces/{w}/conversations/{c}/messages. Try `npm run demo` in another terminal. Ctrl-C stops.",
    ].join("\n"),
  );

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log("Stopping…");
    removeStackState();
    await health?.close();
    await stack.stop();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

void main();
