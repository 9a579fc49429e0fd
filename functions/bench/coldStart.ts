import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

/*
 * What a cold instance pays before its first event: loading the functions' entry module, in a
 * fresh Node process each time, against a bare module that loads only firebase-functions and
 * firebase-admin (the floor any Cloud Function here pays).
 */
const FUNCTIONS_DIR = resolve(__dirname, "../..");

const BARE = `require("firebase-functions/firestore"); require("firebase-functions/https");
require("firebase-admin/app"); require("firebase-admin/firestore");`;

function loadMs(code: string): number {
  const timed = `const t = performance.now(); ${code}; process.stdout.write(String(performance.now() - t));`;
  const run = spawnSync(process.execPath, ["-e", timed], {
    cwd: FUNCTIONS_DIR,
    encoding: "utf8",
    env: { ...process.env, LOG_LEVEL: "silent" },
  });
  if (run.status !== 0) throw new Error(run.stderr);
  return Number(run.stdout);
}

const median = (samples: number[]) => [...samples].sort((a, b) => a - b)[samples.length >> 1];

/** Median load times of the bare module and of `lib/index.js`, alternated to share the noise. */
export function measureColdStart(runs = 9): { bareMs: number; indexMs: number } {
  const bare: number[] = [];
  const index: number[] = [];
  for (let i = 0; i < runs; i++) {
    bare.push(loadMs(BARE));
    index.push(loadMs(`require("./lib/index.js")`));
  }
  return { bareMs: median(bare), indexMs: median(index) };
}
