import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { freeLoopbackPort } from "../../dev/freeLoopbackPort";
import { fetchWhenBound } from "./fetchWhenBound";
import { FUNCTIONS_DIR } from "../../src/config/devStackState";

/*
 * What `firebase deploy` (and the emulator) learn about the functions: firebase-tools spawns the
 * SDK's `firebase-functions` binary in functions/ with PORT and FUNCTIONS_CONTROL_API=true, then
 * reads GET /__/functions.yaml (deploy/functions/runtimes/node/index.js, serveAdmin). The binary
 * loads package.json's main, lib/index.js: the build `firebase deploy` uploads.
 */

export { FUNCTIONS_DIR };

/** One endpoint of the manifest, as far as the tests read it. */
export interface ManifestEndpoint {
  region?: string[];
  platform: string;
  availableMemoryMb: number | null;
  timeoutSeconds: number | null;
  concurrency: number | null;
  maxInstances: number | null;
  secretEnvironmentVariables?: { key: string }[];
  eventTrigger?: {
    eventType: string;
    eventFilters: Record<string, string>;
    eventFilterPathPatterns: Record<string, string>;
    retry: boolean;
  };
  httpsTrigger?: Record<string, unknown>;
  scheduleTrigger?: { schedule: string; retryConfig: Record<string, unknown> };
}

export interface FunctionsManifest {
  endpoints: Record<string, ManifestEndpoint>;
  params?: { name: string; type: string }[];
}

export type Discovery =
  { ok: true; manifest: FunctionsManifest } | { ok: false; status: number; body: string };

/**
 * Fails with what to do when lib/ is missing or older than src/: the binary would load a build
 * that is not the code under test. `scripts/test.sh` builds before `npm test`.
 */
export function assertLibBuilt(): void {
  const entry = join(FUNCTIONS_DIR, "lib/index.js");
  if (!existsSync(entry)) {
    throw new Error("functions/lib/index.js is missing: run `npm run build` before these tests.");
  }
  const built = statSync(entry).mtimeMs;
  const newer = sourceFiles(join(FUNCTIONS_DIR, "src")).filter((f) => statSync(f).mtimeMs > built);
  if (newer.length > 0) {
    throw new Error(
      `functions/lib is older than ${newer.length} file(s) of src/ (${newer[0]}): run \`npm run build\` before these tests.`,
    );
  }
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/**
 * Runs discovery with `env` as the functions' environment (deploy passes the .env files' values,
 * GCLOUD_PROJECT and little else; nothing of this process's). Resolves with the parsed manifest,
 * or with the status and body of a failed discovery.
 */
export async function discoverFunctions(env: Record<string, string>): Promise<Discovery> {
  const port = await freeLoopbackPort();
  const child = spawn(join(FUNCTIONS_DIR, "node_modules/.bin/firebase-functions"), [], {
    cwd: FUNCTIONS_DIR,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      GCLOUD_PROJECT: "demo-lmstudio-suggestions",
      ...env,
      PORT: String(port),
      FUNCTIONS_CONTROL_API: "true",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = once(child, "exit");
  try {
    // The binary logs its banner right before it binds the port: wait for that line, or its
    // exit, instead of trying the port until it answers. Loading firebase-admin cold on two busy
    // cores takes seconds; mocha's timeout bounds a failure.
    await new Promise<void>((resolve, reject) => {
      const look = () => {
        if (/Serving at port/.test(output)) resolve();
      };
      child.stdout.on("data", look);
      void exited.then(([code, signal]) =>
        reject(new Error(`the binary exited (${code ?? signal}): ${output}`)),
      );
    });
    const response = await fetchWhenBound(`http://127.0.0.1:${port}/__/functions.yaml`);
    const body = await response.text();
    if (!response.ok) return { ok: false, status: response.status, body };
    return { ok: true, manifest: parse(body) as FunctionsManifest };
  } finally {
    child.kill();
    await exited;
  }
}
