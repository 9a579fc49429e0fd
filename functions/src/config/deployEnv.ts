import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnv } from "node:util";
import { GenerationError } from "../core/errorCodes";
import { ENV_SPEC, type EnvVarName, type EnvVarSpec } from "./envSpec";
import { readEnv, type Env } from "./envValues";
import { parseRuntimeConfig } from "./runtimeConfig";

/*
 * The environment `firebase deploy` uploads to the functions, checked before it does (firebase.json's
 * predeploy runs `npm run deploy:check-env`): a bad value then stops the deploy naming the variable
 * and its allowed values, instead of ending every suggestion in `invalid_config` once deployed.
 */

/**
 * The files `firebase deploy` reads, in its order (a later one wins): `.env`, then
 * `.env.<projectId>`. (Deploying through a .firebaserc alias, it reads `.env.<alias>` instead of
 * the second; a predeploy hook is only told the project id, GCLOUD_PROJECT.)
 */
export function deployEnvFileNames(projectId: string | undefined): string[] {
  return [".env", ...(projectId ? [`.env.${projectId}`] : [])];
}

export interface DeployEnv {
  env: Env;
  /** The files that exist, in the order they were read. */
  files: string[];
  /** The file each variable's value comes from. */
  fileOf: Map<string, string>;
}

export function readDeployEnv(dir: string, projectId: string | undefined): DeployEnv {
  const deployed: DeployEnv = { env: {}, files: [], fileOf: new Map() };
  for (const file of deployEnvFileNames(projectId)) {
    const path = join(dir, file);
    if (!existsSync(path)) continue;
    deployed.files.push(file);
    for (const [name, value] of Object.entries(parseEnv(readFileSync(path, "utf8")))) {
      deployed.env[name] = value;
      deployed.fileOf.set(name, file);
    }
  }
  return deployed;
}

/** What is wrong with a deploy's environment; the message names the variable. */
export interface DeployEnvProblem {
  /** The one variable at fault; none for a rule between two (parseRuntimeConfig's). */
  variable?: EnvVarName;
  message: string;
}

/**
 * Every variable the deployed functions read, validated as they will read it, then the rules
 * between variables (parseRuntimeConfig's). A secret in a .env file is a problem too: it would be
 * uploaded as a plain environment variable, readable by anyone who can view the functions.
 */
export function deployEnvProblem(env: Env): DeployEnvProblem | undefined {
  for (const [name, spec] of Object.entries(ENV_SPEC) as [EnvVarName, EnvVarSpec][]) {
    if (spec.localOnly) continue;
    if (spec.kind === "secret") {
      if (env[name] === undefined) continue;
      return {
        variable: name,
        message: `${name} is a secret: remove it from the .env file and run \`firebase functions:secrets:set ${name}\`.`,
      };
    }
    const problem = invalidConfigIn(() => readEnv(env, name));
    if (problem) return { variable: name, message: problem };
  }
  const problem = invalidConfigIn(() => parseRuntimeConfig(env));
  return problem ? { message: problem } : undefined;
}

/** The file a variable's value was read from (by any of its names); undefined for a default. */
export function fileSetting(deployed: DeployEnv, variable: EnvVarName): string | undefined {
  const spec: EnvVarSpec = ENV_SPEC[variable];
  const names = [variable, ...(spec.aliases ?? [])];
  return names.map((name) => deployed.fileOf.get(name)).find((file) => file !== undefined);
}

function invalidConfigIn(read: () => unknown): string | undefined {
  try {
    read();
    return undefined;
  } catch (err) {
    if (err instanceof GenerationError && err.code === "invalid_config") return err.message;
    throw err;
  }
}
