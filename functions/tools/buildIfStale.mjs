// Compiles a TypeScript project only when one of its inputs changed since its last build, so an
// operator's command (`npm run llm:check`, `bridge`, `kb:*`, `quality`, `dev`, `demo`) answers in
// about a second when nothing has changed. The build itself is incremental (.tsbuildinfo).
//
// Usage: node tools/buildIfStale.mjs tsconfig.json|tsconfig.dev.json
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

// The stamp and the incremental build info live in the output folder: deleting the folder (npm
// test does) forgets both, so a missing output is always rebuilt.
const PROJECTS = {
  "tsconfig.json": { inputs: ["src"], outDir: "lib" },
  "tsconfig.dev.json": { inputs: ["src", "test", "dev", "bench"], outDir: "build-dev" },
};
const ALWAYS = ["tsconfig.json", "package-lock.json"];

const config = process.argv[2];
const project = PROJECTS[config];
if (!project) {
  console.error(`✗ buildIfStale: the project must be one of ${Object.keys(PROJECTS).join(", ")}.`);
  process.exit(2);
}

/** The newest modification time under `path` (a file or a folder), 0 when it does not exist. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  return readdirSync(path).reduce(
    (max, name) => Math.max(max, newest(join(path, name))),
    info.mtimeMs,
  );
}

const stampFile = join(project.outDir, ".build-stamp");
const inputs = [config, ...ALWAYS, ...project.inputs];
const built = existsSync(stampFile) ? statSync(stampFile).mtimeMs : 0;
if (built > 0 && inputs.every((input) => newest(input) < built)) process.exit(0);

const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const started = Date.now();
const run = spawnSync(
  process.execPath,
  [tsc, "-p", config, "--incremental", "--tsBuildInfoFile", join(project.outDir, ".tsbuildinfo")],
  { stdio: "inherit" },
);
if (run.status !== 0) process.exit(run.status ?? 1);
// Stamped with the build's start: a file saved while tsc ran is seen as newer next time.
writeFileSync(stampFile, "");
utimesSync(stampFile, new Date(started), new Date(started));
