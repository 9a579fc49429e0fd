import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";

/** How `npm run demo` finds the Firestore emulator of a running `npm run dev`. */
export interface StackState {
  firestoreHost: string;
  pid: number;
}

export const FUNCTIONS_DIR = resolve(__dirname, "../..");

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
