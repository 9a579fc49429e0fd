// `npm test`'s runner. The whole suite runs once per Firestore emulator: the official one (the
// gcloud component, started by the root hook with the repository's rules), then the embedded one,
// so that the no-Java path of `scripts/start.sh` stays true. FIRESTORE_EMULATOR_HOST, or
// DEV_FIRESTORE_EMULATOR=official|embedded, runs one pass on that one instead.
// TEST_REQUIRE_OFFICIAL_EMULATOR=true (CI) fails at once when the official emulator is missing.
// Wherever the official emulator runs, a third pass follows: test/emulatorSuite, through
// `firebase emulators:start` and the functions in functions/lib (.mocharc.emulator-suite.json).
//
// Both passes run inside one `firebase emulators:exec --only auth` (the Auth emulator is pure
// Node and verifies ID tokens), unless FIREBASE_AUTH_EMULATOR_HOST names one already. The summary
// lines are printed last, after the Auth emulator's shutdown lines, where CI reads them.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { planForThisMachine } = require("../build-dev/dev/emulatorSuite/thisMachine.js");
const summaryDir = "build-dev/test-summaries";
const env = {
  ...process.env,
  // CI=true keeps firebase-tools from looking up its message-of-the-day on the internet.
  CI: process.env.CI ?? "true",
  METADATA_SERVER_DETECTION: process.env.METADATA_SERVER_DETECTION ?? "none",
};

/** Which emulators to run the suite on, or why it cannot run. */
function passes() {
  if (process.env.FIRESTORE_EMULATOR_HOST) return { kinds: ["named"] };
  const wanted = process.env.DEV_FIRESTORE_EMULATOR?.trim() || "auto";
  if (!["auto", "official", "embedded"].includes(wanted)) {
    return {
      error: `DEV_FIRESTORE_EMULATOR must be one of auto, official, embedded; got "${wanted.slice(0, 40)}".`,
    };
  }
  if (wanted === "embedded") return { kinds: ["embedded"] };
  const { findOfficialEmulator } = require("../build-dev/dev/officialFirestore.js");
  const install = findOfficialEmulator();
  const required =
    wanted === "official" || /^(1|true|yes)$/i.test(env.TEST_REQUIRE_OFFICIAL_EMULATOR ?? "");
  if ("missing" in install) {
    if (required) {
      return {
        error:
          `The official Cloud Firestore emulator is required here, but ${install.missing}.\n` +
          "Install the gcloud CLI's cloud-firestore-emulator component and Java 17 or newer, " +
          "or run the suite on the embedded emulator only with DEV_FIRESTORE_EMULATOR=embedded.",
      };
    }
    console.log(
      `Official Firestore emulator not available (${install.missing}): running on the embedded one only; the rules and browser tests will be skipped.`,
    );
    return { kinds: ["embedded"] };
  }
  return { kinds: wanted === "official" ? ["official"] : ["official", "embedded"] };
}

const LABELS = {
  named: "FIRESTORE_EMULATOR_HOST emulator",
  official: "official emulator",
  embedded: "embedded emulator",
  suite: "Firebase emulator suite",
};

function summaryLines(kinds) {
  const total = { passes: 0, failures: 0, pending: 0 };
  const lines = kinds.map((kind) => {
    let s;
    try {
      s = JSON.parse(readFileSync(`${summaryDir}/${kind}.json`, "utf8"));
    } catch {
      s = { passes: 0, failures: 1, pending: 0, ms: 0, unfinished: true };
    }
    total.passes += s.passes;
    total.failures += s.failures;
    total.pending += s.pending;
    const took = s.unfinished ? "did not finish" : `${Math.round(s.ms / 1000)} s`;
    return `${LABELS[kind]} — ${s.passes} passed, ${s.failures} failed, ${s.pending} skipped (${took})`;
  });
  return [
    ...lines,
    `tests: ${total.passes} passed, ${total.failures} failed, ${total.pending} skipped`,
  ];
}

function runPasses(kinds) {
  let failed = false;
  for (const kind of kinds) {
    console.log(`\n=== Firestore: ${LABELS[kind]} ===`);
    const run = spawnSync("mocha", [], {
      stdio: "inherit",
      env: {
        ...env,
        ...(kind === "named" ? {} : { DEV_FIRESTORE_EMULATOR: kind }),
        TEST_SUMMARY_FILE: `${summaryDir}/${kind}.json`,
      },
    });
    if (run.error) console.error(`✗ Could not run mocha: ${run.error.message}`);
    if (run.status !== 0) failed = true;
  }
  return failed ? 1 : 0;
}

/**
 * The end-to-end pass (test/emulatorSuite): `firebase emulators:start` runs the functions from
 * functions/lib, on the same Java and gcloud components as the official emulator's pass, so it
 * runs wherever that one does, after the in-process passes.
 */
function runSuitePass() {
  console.log(`\n=== ${LABELS.suite}: firebase emulators:start, the deployed functions ===`);
  const run = spawnSync("mocha", ["--config", ".mocharc.emulator-suite.json"], {
    stdio: "inherit",
    env: { ...env, TEST_SUMMARY_FILE: `${summaryDir}/suite.json` },
  });
  if (run.error) console.error(`✗ Could not run mocha: ${run.error.message}`);
  return run.status === 0 ? 0 : 1;
}

/**
 * A firebase.json for the in-process passes' Auth emulator alone, on free ports, so that a
 * running `npm run emulators` (9099, 4400, 4500) and `npm test` never compete for a port.
 */
async function authEmulatorConfig() {
  const { distinctFreePorts } = require("../build-dev/dev/freeLoopbackPort.js");
  const [auth, hub, logging] = await distinctFreePorts(3);
  const dir = "build-dev/auth-emulator";
  mkdirSync(dir, { recursive: true });
  const file = `${dir}/firebase.json`;
  writeFileSync(
    file,
    JSON.stringify({
      emulators: {
        auth: { port: auth },
        hub: { port: hub },
        logging: { port: logging },
        ui: { enabled: false },
        singleProjectMode: true,
      },
    }),
  );
  return file;
}

const plan = passes();
if (plan.error) {
  console.error(`✗ ${plan.error}`);
  console.log("tests: 0 passed, 1 failed, 0 skipped");
  process.exit(1);
}
if (process.env.TEST_RUNNER_INNER) {
  // Inside emulators:exec: the outer runner prints the summary after the emulator's lines.
  process.exit(runPasses(plan.kinds));
}
rmSync(summaryDir, { recursive: true, force: true });
mkdirSync(summaryDir, { recursive: true });
let status;
if (process.env.FIREBASE_AUTH_EMULATOR_HOST) {
  status = runPasses(plan.kinds);
} else {
  const run = spawnSync(
    "firebase",
    [
      "emulators:exec",
      "--config",
      await authEmulatorConfig(),
      "--only",
      "auth",
      "--project",
      "demo-lmstudio-suggestions",
      "node test/runTests.mjs",
    ],
    { stdio: "inherit", env: { ...env, TEST_RUNNER_INNER: "1" } },
  );
  if (run.error) console.error(`✗ Could not run firebase emulators:exec: ${run.error.message}`);
  status = run.status ?? 1;
}
const suiteProblems = plan.kinds.includes("official")
  ? (await planForThisMachine("off")).problems
  : ["the official emulator's Java and gcloud components are missing"];
const withSuite = suiteProblems.length === 0;
if (withSuite && runSuitePass() !== 0) status = 1;
if (!withSuite) {
  console.log(`\nThe Firebase emulator suite's tests did not run: ${suiteProblems.join("; ")}.`);
  if (/^(1|true|yes)$/i.test(env.TEST_REQUIRE_OFFICIAL_EMULATOR ?? "")) status = 1;
}
const lines = summaryLines(withSuite ? [...plan.kinds, "suite"] : plan.kinds);
process.stdout.write(`\n${lines.join("\n")}\n`);
const anyFailed = lines.at(-1).match(/(\d+) failed/)[1] !== "0";
process.exit(status !== 0 || anyFailed ? 1 : 0);
