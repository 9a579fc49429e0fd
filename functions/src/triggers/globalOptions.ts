// The options module alone: "firebase-functions/v2" loads every provider (~100 ms a cold start).
import { setGlobalOptions } from "firebase-functions/v2/options";
import { functionsRegion } from "../config/functionsRegion";

/*
 * The options every function is declared with. firebase-functions reads them when a function is
 * declared, so index.ts imports this module before any trigger's. Read when the code loads: at
 * discovery (`firebase deploy`, the emulator) and in each instance, from the same environment.
 */
const region = functionsRegion(process.env);
if (region) setGlobalOptions({ region });
