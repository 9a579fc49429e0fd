import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/** How the other local tools find the Firestore emulator of a running `npm run dev`. */
export interface StackState {
  firestoreHost: string;
  pid: number;
}

/** The project every local tool uses against an emulator. */
export const DEMO_PROJECT_ID = "demo-lmstudio-suggestions";

/** `functions/`, wherever this file was compiled to (lib/, build-dev/). */
function findFunctionsDir(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, "package.json")) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

export const FUNCTIONS_DIR = findFunctionsDir(resolve(__dirname));

export function stackStateFile(): string {
  return process.env.DEV_STACK_STATE_FILE ?? resolve(FUNCTIONS_DIR, ".dev-stack.json");
}

export function writeStackState(state: StackState): void {
  writeFileSync(stackStateFile(), JSON.stringify(state));
}

export function removeStackState(): void {
  rmSync(stackStateFile(), { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The running stack, if its process is still alive. */
export function readRunningStack(): StackState | undefined {
  const file = stackStateFile();
  if (!existsSync(file)) return undefined;
  try {
    const state = JSON.parse(readFileSync(file, "utf8")) as StackState;
    return typeof state.firestoreHost === "string" && isAlive(state.pid) ? state : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Where a local tool's Firestore is, and how it was found: `runningStackPid` when through a
 * running `npm run dev` (or `npm run emulators`), else FIRESTORE_EMULATOR_HOST named it. With
 * none, each command says what to set in its own language (cli/workspaceFirestore.ts).
 */
export type LocalFirestore =
  | { kind: "emulator"; host: string; projectId: string; runningStackPid?: number }
  | { kind: "project"; projectId: string }
  | { kind: "none" };

/**
 * For the tools that read or write someone else's Firestore (`npm run quality`, `npm run
 * bridge`): the emulator FIRESTORE_EMULATOR_HOST names, else the running `npm run dev`'s, else a
 * real project named by --project or GOOGLE_CLOUD_PROJECT. Never Google's credential discovery
 * without a project: that only ends in "Unable to detect a Project Id".
 */
export function findLocalFirestore(project: string | undefined): LocalFirestore {
  const named = process.env.FIRESTORE_EMULATOR_HOST;
  const projectId = project ?? process.env.GOOGLE_CLOUD_PROJECT ?? process.env.GCLOUD_PROJECT;
  if (named) {
    return {
      kind: "emulator",
      host: named,
      projectId: projectId ?? DEMO_PROJECT_ID,
    };
  }
  if (!project) {
    const running = readRunningStack();
    if (running) {
      process.env.FIRESTORE_EMULATOR_HOST = running.firestoreHost;
      return {
        kind: "emulator",
        host: running.firestoreHost,
        projectId: DEMO_PROJECT_ID,
        runningStackPid: running.pid,
      };
    }
  }
  if (projectId) return { kind: "project", projectId };
  return { kind: "none" };
}
