import { invalidConfig } from "../errors/errorCodes";

/** Environment variables as the functions runtime, `.env` files and the shell hand them over. */
export type Env = Record<string, string | undefined>;

function present(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
}

interface Bounds {
  default: number;
  min: number;
  max: number;
}

function readBounded(
  env: Env,
  name: string,
  bounds: Bounds,
  kind: "whole number" | "number",
): number {
  const raw = present(env, name);
  if (raw === undefined) return bounds.default;
  const value = Number(raw);
  const wellFormed = kind === "whole number" ? /^-?\d+$/.test(raw) : Number.isFinite(value);
  if (!wellFormed || value < bounds.min || value > bounds.max) {
    throw invalidConfig(
      `${name} must be a ${kind} from ${bounds.min} to ${bounds.max}; got "${raw}".`,
    );
  }
  return value;
}

export const readInt = (env: Env, name: string, bounds: Bounds) =>
  readBounded(env, name, bounds, "whole number");

export const readNumber = (env: Env, name: string, bounds: Bounds) =>
  readBounded(env, name, bounds, "number");

export function readBool(env: Env, name: string, fallback: boolean): boolean {
  const raw = present(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (["true", "1", "yes"].includes(raw)) return true;
  if (["false", "0", "no"].includes(raw)) return false;
  throw invalidConfig(`${name} must be true or false; got "${env[name]}".`);
}

/** Secrets set to "none" count as unset: Cloud secrets cannot be empty, yet auth is optional. */
export function readSecret(env: Env, name: string): string | undefined {
  const raw = present(env, name);
  return raw === undefined || raw.toLowerCase() === "none" ? undefined : raw;
}

/**
 * An OpenAI-compatible base URL. Users paste LM Studio's address with or without `/v1`
 * (the app shows it without), so both forms end up as `…/v1`.
 */
export function normalizeBaseUrl(name: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw invalidConfig(
      `${name} must be an http(s) URL such as http://localhost:1234; got "${raw}".`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw invalidConfig(`${name} must use http or https; got "${raw}".`);
  }
  // URLs end up in error messages, logs and the admin health view; keys have their own secrets.
  if (url.username !== "" || url.password !== "") {
    throw invalidConfig(
      `${name} must not contain credentials; put the token in its API key secret instead.`,
    );
  }
  const path = url.pathname.replace(/\/+$/, "");
  url.pathname = path.endsWith("/v1") ? path : `${path}/v1`;
  url.search = "";
  url.hash = "";
  return url.toString().replace(/\/+$/, "");
}

export function readUrlList(env: Env, name: string, fallback: string): string[] {
  const raw = present(env, name) ?? fallback;
  const urls = raw
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "")
    .map((part) => normalizeBaseUrl(name, part));
  if (urls.length === 0) throw invalidConfig(`${name} must name at least one URL.`);
  return [...new Set(urls)];
}

export function readUrl(env: Env, name: string, fallback: string): string {
  return normalizeBaseUrl(name, present(env, name) ?? fallback);
}

export function readString(env: Env, name: string, fallback: string): string {
  return present(env, name) ?? fallback;
}
