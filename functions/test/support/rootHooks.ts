import { describeFirestoreEmulator, useFirestoreEmulator } from "../../dev/firestoreEmulator";
import { forgetProviderRuntimes } from "../../src/providers/providerRuntime";

/*
 * Integration tests talk to a real Firestore API over gRPC, chosen as the local tools choose
 * (dev/firestoreEmulator.ts): FIRESTORE_EMULATOR_HOST, else the official emulator, else the
 * embedded one; `npm test` runs the suite once per emulator with DEV_FIRESTORE_EMULATOR set.
 * firebase-admin reads FIRESTORE_EMULATOR_HOST when Firestore is first used, after this setup.
 */
process.env.GCLOUD_PROJECT ??= "demo-lmstudio-suggestions";
// Nothing in the suite may reach the real OpenAI API: its traffic goes to a closed loopback port
// unless a test points it at its own server.
process.env.OPENAI_BASE_URL ??= "http://127.0.0.1:9";
// Keep test output to the test reporter: firebase-functions' logger writes JSON lines otherwise.
process.env.LOG_LEVEL ??= "silent";
// One message, one delivery: the burst window (1.5 s a suggestion) is set by the tests of bursts.
process.env.BURST_WINDOW_MS ??= "0";

/** Each test starts as a new function instance would: no circuit breaker remembers another test. */
export const mochaHooks = {
  beforeEach(): void {
    forgetProviderRuntimes();
  },
};

let stopEmulator: () => Promise<void> = async () => undefined;

export async function mochaGlobalSetup(): Promise<void> {
  const emulator = await useFirestoreEmulator({ port: 0 });
  stopEmulator = emulator.stop;
  // What the official emulator alone can do (rules, a web client, collection-group queries)
  // is tested there and reported skipped on the embedded one. A named emulator is taken to be
  // the official one (e.g. under `firebase emulators:exec`).
  process.env.TEST_FIRESTORE_EMULATOR = emulator.kind === "embedded" ? "embedded" : "official";
  console.log(`Firestore: ${describeFirestoreEmulator(emulator)}`);
}

export async function mochaGlobalTeardown(): Promise<void> {
  await stopEmulator();
}
