import * as logger from "firebase-functions/logger";
import { ENV_SPEC } from "../config/envSpec";

/*
 * Structured logs through firebase-functions/logger (Cloud Logging reads the JSON lines), with a
 * threshold: LOG_LEVEL=debug|info|warn|error|silent (default info); DEBUG=llm_studio:* (the
 * team's guide's switch) also turns debug on. Callers pass ids, codes and numbers, never message
 * text or secrets.
 */
const LEVELS = ENV_SPEC.LOG_LEVEL.choices;
type Level = (typeof LEVELS)[number];

function threshold(): number {
  if (/(^|,)\s*llm_studio:/.test(process.env.DEBUG ?? "")) return 0;
  const wanted = (process.env.LOG_LEVEL ?? ENV_SPEC.LOG_LEVEL.default).toLowerCase() as Level;
  const index = LEVELS.indexOf(wanted);
  return index === -1 ? 1 : index;
}

type Fields = Record<string, unknown>;

function emit(level: Exclude<Level, "silent">, message: string, fields: Fields): void {
  if (LEVELS.indexOf(level) < threshold()) return;
  logger[level](message, fields);
}

export const log = {
  debug: (message: string, fields: Fields = {}) => emit("debug", message, fields),
  info: (message: string, fields: Fields = {}) => emit("info", message, fields),
  warn: (message: string, fields: Fields = {}) => emit("warn", message, fields),
  error: (message: string, fields: Fields = {}) => emit("error", message, fields),
};
