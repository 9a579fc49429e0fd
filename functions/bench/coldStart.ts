import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

/*
 * What a cold instance pays before its first event: loading the functions' entry module, in a
 * fresh Node process each time, against a bare module that loads only what a Firestore trigger
 * cannot do without (firebase-functions' Firestore triggers, firebase-admin's app and Firestore).
 * The suggestion trigger's instance is measured as Cloud Run starts it, FUNCTION_TARGET set; then
 * what its load spends most on, module by module.
 */
const FUNCTIONS_DIR = resolve(__dirname, "../..");

const BARE = `require("firebase-functions/firestore"); require("firebase-admin/app");
require("firebase-admin/firestore");`;

function loadMs(code: string, env: NodeJS.ProcessEnv = {}): number {
  const timed = `const t = performance.now(); ${code}; process.stdout.write(String(performance.now() - t));`;
  const run = spawnSync(process.execPath, ["-e", timed], {
    cwd: FUNCTIONS_DIR,
    encoding: "utf8",
    env: { ...process.env, LOG_LEVEL: "silent", ...env },
  });
  if (run.status !== 0) throw new Error(run.stderr);
  return Number(run.stdout);
}

const median = (samples: number[]) => [...samples].sort((a, b) => a - b)[samples.length >> 1];

/**
 * The modules `lib/index.js` loads directly or through the project's own modules (not through a
 * package's), each with the time its require took, longest first.
 */
function topModules(env: NodeJS.ProcessEnv, count = 5): { module: string; ms: number }[] {
  const probe = `
const Module = require("module");
const load = Module._load;
const seen = [];
Module._load = function (request, parent) {
  const started = performance.now();
  try { return load.apply(this, arguments); }
  finally {
    const from = parent && parent.filename ? parent.filename : "";
    if (from.includes("/lib/") && !from.includes("node_modules") && !request.startsWith("."))
      seen.push({ module: request, ms: performance.now() - started });
  }
};
require("./lib/index.js");
process.stdout.write(JSON.stringify(seen));`;
  const run = spawnSync(process.execPath, ["-e", probe], {
    cwd: FUNCTIONS_DIR,
    encoding: "utf8",
    env: { ...process.env, LOG_LEVEL: "silent", ...env },
  });
  if (run.status !== 0) throw new Error(run.stderr);
  const seen = JSON.parse(run.stdout) as { module: string; ms: number }[];
  const first = new Map<string, number>();
  for (const { module, ms } of seen) if (!first.has(module)) first.set(module, ms);
  return [...first]
    .map(([module, ms]) => ({ module, ms }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, count);
}

/**
 * Median load times, alternated to share the noise: the bare module, `lib/index.js` as the
 * suggestion trigger's instance loads it, and as `firebase deploy`'s discovery does (every
 * function); and the suggestion instance's top modules.
 */
export function measureColdStart(runs = 9): {
  bareMs: number;
  suggestionMs: number;
  everyFunctionMs: number;
  top: { module: string; ms: number }[];
} {
  const suggestion = { FUNCTION_TARGET: "onMessageCreated" };
  const samples = { bare: [] as number[], suggestion: [] as number[], every: [] as number[] };
  for (let i = 0; i < runs; i++) {
    samples.bare.push(loadMs(BARE));
    samples.suggestion.push(loadMs(`require("./lib/index.js")`, suggestion));
    samples.every.push(loadMs(`require("./lib/index.js")`, { FUNCTION_TARGET: "" }));
  }
  return {
    bareMs: median(samples.bare),
    suggestionMs: median(samples.suggestion),
    everyFunctionMs: median(samples.every),
    top: topModules(suggestion),
  };
}
