import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/*
 * The commands' build step (tools/buildIfStale.mjs), on a small project of its own: it compiles
 * the first time, skips when no input changed, and compiles again after an edit or when the
 * output is gone.
 */
const SCRIPT = resolve(__dirname, "../../../tools/buildIfStale.mjs");

describe("commands build only when a source changed (tools/buildIfStale.mjs)", function () {
  this.timeout(60_000);
  let dir: string;
  const build = () => spawnSync(process.execPath, [SCRIPT, "tsconfig.json"], { cwd: dir });
  const mtime = (path: string) => statSync(join(dir, path)).mtimeMs;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "build-if-stale-"));
    mkdirSync(join(dir, "src"));
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: { outDir: "lib", rootDir: "src", strict: true },
        include: ["src"],
      }),
    );
    writeFileSync(join(dir, "package-lock.json"), "{}");
    writeFileSync(join(dir, "src/answer.ts"), "export const answer: number = 42;\n");
    // Every input older than any build below, whatever the clock's resolution.
    const past = new Date(Date.now() - 60_000);
    for (const f of ["tsconfig.json", "package-lock.json", "src", "src/answer.ts"]) {
      utimesSync(join(dir, f), past, past);
    }
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("compiles once, then does nothing while no input changes", () => {
    expect(build().status).to.equal(0);
    const first = mtime("lib/answer.js");
    const stamp = mtime("lib/.build-stamp");
    expect(build().status).to.equal(0);
    expect(mtime("lib/answer.js")).to.equal(first);
    expect(mtime("lib/.build-stamp")).to.equal(stamp);
  });

  it("compiles again after an edit, and when the output folder is gone", () => {
    expect(build().status).to.equal(0);
    const stamp = mtime("lib/.build-stamp");
    writeFileSync(join(dir, "src/answer.ts"), "export const answer: number = 43;\n");
    const later = new Date(stamp + 10_000);
    utimesSync(join(dir, "src/answer.ts"), later, later);
    expect(build().status).to.equal(0);
    expect(mtime("lib/.build-stamp")).to.be.above(stamp);
    rmSync(join(dir, "lib"), { recursive: true });
    expect(build().status).to.equal(0);
    expect(statSync(join(dir, "lib/answer.js")).isFile()).to.equal(true);
  });

  it("a type error fails the command, naming the file", () => {
    writeFileSync(join(dir, "src/answer.ts"), "export const answer: number = 'forty-two';\n");
    const run = build();
    expect(run.status).to.not.equal(0);
    expect(String(run.stdout) + String(run.stderr)).to.contain("src/answer.ts");
  });
});
