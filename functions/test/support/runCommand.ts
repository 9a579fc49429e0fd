import { spawn, ChildProcess } from "node:child_process";
import { resolve } from "node:path";

/** build-dev/, where `npm test` compiles src/, dev/ and test/. */
export const BUILD_DIR = resolve(__dirname, "../..");

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment of a command a user starts in a fresh shell: none of the test suite's emulator
 * variables, so each command finds (or starts) its own Firestore.
 */
export function commandEnv(values: Record<string, string>): NodeJS.ProcessEnv {
  // English unless a test asks otherwise: the machine's own locale must not change the output.
  const env: NodeJS.ProcessEnv = { ...process.env, LANG: "en_US.UTF-8", ...values };
  for (const name of [
    "FIRESTORE_EMULATOR_HOST",
    "TEST_FIRESTORE_EMULATOR",
    "LOG_LEVEL",
    "LC_ALL",
    "LC_MESSAGES",
  ]) {
    if (!(name in values)) delete env[name];
  }
  return env;
}

export function startCommand(script: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [resolve(BUILD_DIR, script), ...args], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
}

export function runCommand(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 30_000,
): Promise<CommandResult> {
  return collect(startCommand(script, args, env), script, timeoutMs);
}

/** A command as a person types it in functions/ (`npm run -s llm:check -- --json`). */
export function runCommandLine(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 180_000,
): Promise<CommandResult> {
  const child = spawn(command, args, {
    cwd: resolve(BUILD_DIR, ".."),
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  return collect(child, `${command} ${args.join(" ")}`, timeoutMs);
}

function collect(child: ChildProcess, script: string, timeoutMs: number): Promise<CommandResult> {
  return new Promise((resolvePromise, reject) => {
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d) => (stdout += d));
    child.stderr?.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${script} did not finish in ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

/** Resolves with everything printed so far once `pattern` shows up on stdout. */
export function waitForOutput(
  child: ChildProcess,
  pattern: RegExp,
  timeoutMs = 20_000,
): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    let seen = "";
    const timer = setTimeout(
      () => reject(new Error(`no ${pattern} within ${timeoutMs} ms; got:\n${seen}`)),
      timeoutMs,
    );
    const onData = (d: Buffer) => {
      seen += d.toString();
      if (pattern.test(seen)) {
        clearTimeout(timer);
        child.stdout?.off("data", onData);
        resolvePromise(seen);
      }
    };
    child.stdout?.on("data", onData);
  });
}
