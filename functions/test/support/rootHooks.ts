import { useFirestoreEmulator } from "../../dev/embeddedFirestore";

/*
 * Integration tests talk to a real Firestore API over gRPC: the emulator named by
 * FIRESTORE_EMULATOR_HOST (the official one under `firebase emulators:exec`), or else an
 * in-process emulator started here. firebase-admin reads the variable when Firestore is first
 * used, which is after this setup.
 */
process.env.GCLOUD_PROJECT ??= "demo-lmstudio-suggestions";
// Nothing in the suite may reach the real OpenAI API: its traffic goes to a closed loopback port
// unless a test points it at its own server.
process.env.OPENAI_BASE_URL ??= "http://127.0.0.1:9";
// Keep test output to the test reporter: firebase-functions' logger writes JSON lines otherwise.
process.env.LOG_LEVEL ??= "silent";
// One message, one delivery: the burst window (1.5 s a suggestion) is set by the tests of bursts.
process.env.BURST_WINDOW_MS ??= "0";

let stopEmulator: () => void = () => undefined;

export async function mochaGlobalSetup(): Promise<void> {
  const emulator = await useFirestoreEmulator();
  stopEmulator = emulator.stop;
  // Security rules tests need the official emulator; they report themselves skipped otherwise.
  process.env.TEST_FIRESTORE_EMULATOR = emulator.kind;
  console.log(
    `Firestore: ${emulator.kind === "embedded" ? "embedded in-process emulator" : "emulator from FIRESTORE_EMULATOR_HOST"} at ${emulator.host}`,
  );
}

export async function mochaGlobalTeardown(): Promise<void> {
  stopEmulator();
}
