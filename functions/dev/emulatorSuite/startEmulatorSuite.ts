import { ChildProcess, spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { writeFirestoreLauncherJar } from "./launcherJar";
import type { FirebaseToolsPlan, UiWanted } from "./firebaseToolsPlan";
import { FIRESTORE_LAUNCHER_JAR, planForThisMachine } from "./thisMachine";
import { suiteMessages } from "./suiteMessages";
import { type Language } from "../../src/core/language";

/*
 * The Firebase emulator suite, started the way a Firebase developer starts it:
 * `firebase emulators:start` on the project's firebase.json, with the functions loaded from
 * functions/lib by the Functions emulator as `firebase deploy` would load them. Only what this
 * machine lacks is adjusted (firebaseToolsPlan.ts). Whatever happens, nothing it started
 * outlives stop(), a failed start, or an abort.
 */

const PRELOAD = join(__dirname, "firebaseToolsPreload.js");
const READY_LINE = "All emulators ready";

export type EmulatorName = "auth" | "firestore" | "functions" | "hosting" | "pubsub";

export interface EmulatorSuiteOptions {
  /** The folder of firebase.json. */
  projectDir: string;
  projectId: string;
  only: EmulatorName[];
  /** firebase-tools' environment (and so the functions' below their .env files). */
  env: NodeJS.ProcessEnv;
  /** Variables the functions get above their .env files (the simulated LM Studio's URL). */
  functionsEnv?: Record<string, string>;
  ui?: UiWanted;
  /** Every line firebase-tools prints goes here too. */
  logFile: string;
  onLine?: (line: string) => void;
  /** Bounds only a start that never becomes ready; a healthy start ends long before. */
  startTimeoutMs?: number;
  /** Aborting it during the start stops everything and rejects. */
  signal?: AbortSignal;
  /** The language of a failed start's reason (the plan's is the plan's own). */
  language?: Language;
}

export interface RunningEmulatorSuite {
  /** name → "127.0.0.1:port", as the hub lists them (hub, logging, eventarc, tasks too). */
  hosts: Record<string, string>;
  plan: FirebaseToolsPlan;
  /** Resolves when firebase-tools has exited, whoever stopped it. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

function hubPort(projectDir: string): number {
  const config = JSON.parse(readFileSync(join(projectDir, "firebase.json"), "utf8")) as {
    emulators?: { hub?: { port?: number } };
  };
  return config.emulators?.hub?.port ?? 4400;
}

interface HubListing {
  hosts: Record<string, string>;
  /** The emulators firebase-tools runs as processes of their own (JVMs, detached). */
  pids: number[];
}

async function hubListing(port: number): Promise<HubListing> {
  const response = await fetch(`http://127.0.0.1:${port}/emulators`, {
    signal: AbortSignal.timeout(10_000),
  });
  const listed = (await response.json()) as Record<
    string,
    { host: string; port: number; pid?: number }
  >;
  return {
    hosts: Object.fromEntries(
      Object.entries(listed).map(([name, info]) => [name, `${info.host}:${info.port}`]),
    ),
    pids: Object.values(listed).flatMap((info) => (info.pid ? [info.pid] : [])),
  };
}

/** Still the emulator it was: alive and, where /proc tells, a Java process (pids get reused). */
function stillAnEmulator(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const cmdline = `/proc/${pid}/cmdline`;
  return !existsSync(cmdline) || readFileSync(cmdline, "utf8").includes("java");
}

/**
 * Starts `firebase emulators:start --only <only>` in `projectDir` and resolves once firebase-tools
 * says every emulator is ready (the Functions emulator has loaded the functions by then).
 */
export async function startEmulatorSuite(
  options: EmulatorSuiteOptions,
  planned?: FirebaseToolsPlan,
): Promise<RunningEmulatorSuite> {
  const say = suiteMessages(options.language ?? "en");
  const plan = planned ?? (await planForThisMachine(options.ui ?? "auto", options.language));
  if (plan.problems.length) throw new Error(plan.problems.join("; "));
  if (plan.firestoreLauncher) {
    writeFirestoreLauncherJar(FIRESTORE_LAUNCHER_JAR, plan.firestoreLauncher.forJar);
  }
  options.signal?.throwIfAborted();

  const firebaseBin = require.resolve("firebase-tools/lib/bin/firebase.js");
  const child: ChildProcess = spawn(
    process.execPath,
    [
      "--require",
      PRELOAD,
      firebaseBin,
      "emulators:start",
      "--only",
      options.only.join(","),
      "--project",
      options.projectId,
    ],
    {
      cwd: options.projectDir,
      // A process group of its own: a terminal's Ctrl-C reaches the caller, which stops it.
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...options.env,
        // No interactive prompts, and no look-up of firebase-tools' message of the day.
        CI: options.env.CI ?? "true",
        // Everything here is emulated: no Google client should wait on a metadata server.
        METADATA_SERVER_DETECTION: options.env.METADATA_SERVER_DETECTION ?? "none",
        ...plan.env,
        ...(options.functionsEnv
          ? { EMULATOR_SUITE_FUNCTIONS_ENV: JSON.stringify(options.functionsEnv) }
          : {}),
      },
    },
  );
  mkdirSync(dirname(options.logFile), { recursive: true });
  const log = createWriteStream(options.logFile);
  log.on("error", () => undefined); // the log is a convenience; the lines still reach onLine
  let logOpen = true;
  let spawnError: Error | undefined;
  child.once("error", (err) => (spawnError = err));
  // 'close': the process has exited and its output has been read to the end.
  const exited = new Promise<number | null>((r) => child.once("close", (code) => r(code)));
  let hasExited = false;
  void exited.then(() => (hasExited = true));

  // firebase-tools starts each JVM detached, in a group of its own: a crash of this process
  // (no stop()) must reach those too, so their pids are kept once the hub lists them.
  let emulatorPids: number[] = [];
  const kill = (signal: NodeJS.Signals) => {
    const targets = [
      ...(child.pid === undefined ? [] : [-child.pid]),
      ...emulatorPids.filter(stillAnEmulator),
    ];
    for (const target of targets) {
      try {
        process.kill(target, signal);
      } catch {
        // already gone
      }
    }
  };
  const onExit = () => kill("SIGKILL");
  process.once("exit", onExit);

  const ready = new Promise<void>((resolveReady) => {
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on("line", (line) => {
        if (logOpen) log.write(`${line}\n`);
        options.onLine?.(line);
        if (line.includes(READY_LINE)) resolveReady();
      });
    }
  });

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      process.off("exit", onExit);
      if (!hasExited) {
        // firebase-tools stops its emulators on SIGINT, as on Ctrl-C.
        try {
          if (child.pid !== undefined) process.kill(child.pid, "SIGINT");
        } catch {
          // already gone
        }
        const force = setTimeout(() => kill("SIGKILL"), 30_000);
        await exited;
        clearTimeout(force);
      }
      // Whatever outlived firebase-tools (a JVM it lost track of) goes too.
      kill("SIGKILL");
      logOpen = false;
      await new Promise<void>((r) => log.end(r));
    })();
    return stopping;
  };

  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const outcome = await Promise.race([
    ready.then(() => "ready" as const),
    exited.then(() => "exit" as const),
    new Promise<"timeout">((r) => {
      timer = setTimeout(() => r("timeout"), options.startTimeoutMs ?? 180_000);
    }),
    new Promise<"aborted">((r) => {
      onAbort = () => r("aborted");
      options.signal?.addEventListener("abort", onAbort, { once: true });
    }),
  ]);
  clearTimeout(timer);
  if (onAbort) options.signal?.removeEventListener("abort", onAbort);

  const failed = async (reason: string): Promise<never> => {
    await stop();
    throw new Error(reason);
  };
  if (outcome === "aborted") return failed(say.interrupted);
  if (outcome === "exit") {
    const detail = spawnError?.message ?? say.exitCode(await exited);
    return failed(say.exitedEarly(detail, options.logFile));
  }
  if (outcome === "timeout") return failed(say.notReady(options.logFile));
  let listing: HubListing;
  try {
    listing = await hubListing(hubPort(options.projectDir));
  } catch (err) {
    return failed(say.hubDidNotList((err as Error).message));
  }
  emulatorPids = listing.pids;
  return { hosts: listing.hosts, plan, exited, stop };
}
