import type { CloudFunctionsRegion } from "./cloudFunctionsRegions";
import { readEnv, type Env } from "./envValues";

/** Where the Hosting emulator sends a rewrite that names no region. */
export const EMULATED_FUNCTIONS_REGION = "us-central1";

/**
 * The region every function is declared in: FUNCTIONS_REGION, validated (a bad value fails the
 * functions' discovery naming the variable and the allowed regions), except under the Functions
 * emulator, where it is always us-central1. `auto` (the default) declares none: firebase-tools
 * then puts the Firestore triggers in the database's location and the HTTP and scheduled
 * functions in us-central1, which is where functions deployed before this setting already run.
 *
 * Why: firebase.json's Hosting rewrites (/api/ai/health, /api/ai/console) name no region, so that
 * `firebase deploy` points each one at its function's own region (firebase-tools
 * deploy/hosting/convertConfig.js, findEndpointForRewrite). The Hosting emulator instead sends a
 * rewrite without a region to us-central1 (hosting/functionsProxy.js), and the Functions emulator
 * serves /{project}/{region}/{name} only in the region a function was declared in, so any other
 * region would make those paths 404 locally. firebase-tools sets FUNCTIONS_EMULATOR=true both
 * when the emulator discovers the functions and when it runs them.
 */
export function functionsRegion(env: Env): CloudFunctionsRegion | undefined {
  const configured = readEnv(env, "FUNCTIONS_REGION");
  if (env.FUNCTIONS_EMULATOR === "true") return EMULATED_FUNCTIONS_REGION;
  return configured === "auto" ? undefined : (configured as CloudFunctionsRegion);
}
