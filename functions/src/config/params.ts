import { defineSecret } from "firebase-functions/params";
import { ENV_SPEC } from "./envSpec";

/*
 * The only firebase-functions params are the secrets: declaring one is what binds a Secret
 * Manager secret to a function. The plain variables are not params. They reach the deployed
 * functions as ordinary environment variables from functions/.env (and .env.<projectId>), which
 * `firebase deploy` uploads, and the emulator reads those files and .env.local. The code reads
 * them from process.env through parseRuntimeConfig, which validates each one; `npm run
 * deploy:check-env` (firebase.json's predeploy) does the same before a deploy.
 *
 * Declaring every variable as a param too had two costs and no use (no `.value()` was read): the
 * emulator wrote every missing param's default into the user's functions/.env.local on its first
 * start, and `firebase deploy` prompted for each one.
 */
type Secret = ReturnType<typeof defineSecret>;

/** The secrets every function that calls a provider binds. */
export const functionSecrets: Secret[] = Object.entries(ENV_SPEC)
  .filter(([, spec]) => spec.kind === "secret")
  .map(([name]) => defineSecret(name));
