import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnv } from "node:util";

/**
 * Reads the same files the Firebase emulator gives the functions: `.env`, then `.env.local` and
 * `.secret.local` over it. Variables already set in the shell win over all files.
 * Returns the files that were read, for the startup banner.
 */
export function loadFunctionsEnvFiles(dir: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const merged: Record<string, string> = {};
  const read: string[] = [];
  for (const name of [".env", ".env.local", ".secret.local"]) {
    const file = join(dir, name);
    if (!existsSync(file)) continue;
    Object.assign(merged, parseEnv(readFileSync(file, "utf8")));
    read.push(name);
  }
  for (const [key, value] of Object.entries(merged)) {
    if (env[key] === undefined) env[key] = value;
  }
  return read;
}
