import { invalidConfig } from "../core/errorCodes";
import { quoteValue, redactUrlCredentials } from "../core/safeText";
import { ENV_SPEC, EnvVarName, EnvVarSpec } from "./envSpec";

/** Environment variables as the functions runtime, `.env` files and the shell hand them over. */
export type Env = Record<string, string | undefined>;

export type EnvValue<S extends EnvVarSpec> = S extends { kind: "boolean" }
  ? boolean
  : S extends { kind: "int" | "number" }
    ? number
    : S extends { kind: "urlList" }
      ? string[]
      : S extends { kind: "secret" }
        ? string | undefined
        : string;

/** How an error message shows a bad value: short, and never with a URL's credentials. */
const shown = (raw: string | undefined) => quoteValue(redactUrlCredentials(raw ?? ""));

function present(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
}

/**
 * Reads and validates one variable as ENV_SPEC declares it (its older names too); throws
 * `invalid_config` naming the variable and the allowed values.
 */
export function readEnv<N extends EnvVarName>(env: Env, name: N): EnvValue<(typeof ENV_SPEC)[N]> {
  const spec: EnvVarSpec = ENV_SPEC[name];
  const from = [name, ...(spec.aliases ?? [])].find((n) => present(env, n) !== undefined) ?? name;
  return readValue(spec, from, present(env, from)) as EnvValue<(typeof ENV_SPEC)[N]>;
}

function readValue(spec: EnvVarSpec, name: string, raw: string | undefined): unknown {
  switch (spec.kind) {
    case "secret":
      // "none" counts as unset: Cloud secrets cannot be empty, yet auth is optional.
      return raw === undefined || raw.toLowerCase() === "none" ? undefined : raw;
    case "boolean": {
      const value = raw?.toLowerCase();
      if (value === undefined) return spec.default;
      if (["true", "1", "yes"].includes(value)) return true;
      if (["false", "0", "no"].includes(value)) return false;
      throw invalidConfig(`${name} must be true or false; got ${shown(raw)}.`);
    }
    case "int":
    case "number": {
      if (raw === undefined) return spec.default;
      const value = Number(raw);
      const kind = spec.kind === "int" ? "whole number" : "number";
      const wellFormed = spec.kind === "int" ? /^-?\d+$/.test(raw) : Number.isFinite(value);
      if (!wellFormed || value < spec.min || value > spec.max) {
        throw invalidConfig(
          `${name} must be a ${kind} from ${spec.min} to ${spec.max}; got ${shown(raw)}.`,
        );
      }
      return value;
    }
    case "choice": {
      const value = (raw ?? spec.default).toLowerCase();
      if (!spec.choices.includes(value)) {
        throw invalidConfig(
          `${name} must be one of ${spec.choices.join(", ")}; got ${shown(raw)}.`,
        );
      }
      return value;
    }
    case "string":
      return raw ?? spec.default;
    case "url":
      return normalizeBaseUrl(name, raw ?? spec.default);
    case "urlList": {
      const urls = (raw ?? spec.default)
        .split(",")
        .map((u) => u.trim())
        .filter((u) => u !== "")
        .map((u) => normalizeBaseUrl(name, u));
      if (urls.length === 0) throw invalidConfig(`${name} must name at least one URL.`);
      return [...new Set(urls)];
    }
  }
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
      `${name} must be an http(s) URL such as http://localhost:1234; got ${shown(raw)}.`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw invalidConfig(`${name} must use http or https; got ${shown(raw)}.`);
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

/**
 * The values of every secret variable that is set, read raw (even where the rest of the
 * configuration is invalid), so that messages can be scrubbed of them.
 */
export function configuredSecrets(env: Env): string[] {
  return Object.entries(ENV_SPEC)
    .filter(([, spec]) => spec.kind === "secret")
    .map(([name]) => present(env, name))
    .filter((value): value is string => value !== undefined);
}
