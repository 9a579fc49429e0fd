import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

/*
 * A Cloud Functions instance serves the one function FUNCTION_TARGET names, and loads only what
 * that function declares with: the suggestion trigger's cold start never pays for the HTTP
 * functions, the scheduler or the other triggers. Without FUNCTION_TARGET (deploy's discovery),
 * every function is declared.
 */

const FUNCTIONS_DIR = resolve(__dirname, "../../..");

function load(target: string | undefined): { exported: string[]; loaded: string[] } {
  const probe = `
const m = require("./lib/index.js");
const exported = Object.keys(m).filter((k) => m[k] !== undefined);
const loaded = Object.keys(require.cache).map((f) => f.replace(process.cwd(), ""));
process.stdout.write(JSON.stringify({ exported, loaded }));`;
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: "silent" };
  delete env.FUNCTION_TARGET;
  if (target !== undefined) env.FUNCTION_TARGET = target;
  const run = spawnSync(process.execPath, ["-e", probe], {
    cwd: FUNCTIONS_DIR,
    encoding: "utf8",
    env,
  });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as { exported: string[]; loaded: string[] };
}

const ALL = [
  "onMessageCreated",
  "onAiRequestCreated",
  "onConversationUpdated",
  "onKnowledgeWritten",
  "sweepBridgeJobs",
  "aiHealth",
  "aiConsole",
];

describe("each instance loads the function it serves", () => {
  it("the suggestion trigger's instance declares it alone, without firebase-functions/https or the other triggers", () => {
    const { exported, loaded } = load("onMessageCreated");
    expect(exported).to.deep.equal(["onMessageCreated"]);
    expect(loaded.filter((f) => f.startsWith("/lib/triggers/")).sort()).to.deep.equal([
      "/lib/triggers/globalOptions.js",
      "/lib/triggers/onMessageCreated.js",
    ]);
    expect(loaded.some((f) => /firebase-functions\/lib\/v2\/providers\/https/.test(f))).to.equal(
      false,
    );
    expect(loaded.some((f) => /node_modules\/zod\//.test(f))).to.equal(false);
  });

  it("the health endpoint's instance declares only aiHealth", () => {
    expect(load("aiHealth").exported).to.deep.equal(["aiHealth"]);
  });

  it("without FUNCTION_TARGET (firebase deploy's discovery, the tests) every function is declared", () => {
    expect(load(undefined).exported).to.deep.equal(ALL);
    expect(load("").exported).to.deep.equal(ALL);
  });
});
