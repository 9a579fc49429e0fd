// `npm test`'s runner: mocha inside `firebase emulators:exec --only auth` (the Auth emulator is
// pure Node and verifies the health endpoint's ID tokens), or straight mocha when an Auth
// emulator is already named by FIREBASE_AUTH_EMULATOR_HOST. The summary line is printed last,
// after the emulator's own shutdown lines, where CI reads it.
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";

const summaryFile = "build-dev/test-summary.txt";
rmSync(summaryFile, { force: true });
const env = {
  ...process.env,
  // CI=true keeps firebase-tools from looking up its message-of-the-day on the internet.
  CI: process.env.CI ?? "true",
  METADATA_SERVER_DETECTION: process.env.METADATA_SERVER_DETECTION ?? "none",
  TEST_SUMMARY_FILE: summaryFile,
};
const [command, args] = process.env.FIREBASE_AUTH_EMULATOR_HOST
  ? ["mocha", []]
  : [
      "firebase",
      ["emulators:exec", "--only", "auth", "--project", "demo-lmstudio-suggestions", "mocha"],
    ];
const run = spawnSync(command, args, { stdio: "inherit", env });
let summary = "";
try {
  summary = readFileSync(summaryFile, "utf8");
} catch {
  summary = "tests: 0 passed, 1 failed (the test run did not finish)\n";
}
process.stdout.write(`\n${summary}`);
process.exit(run.status ?? 1);
