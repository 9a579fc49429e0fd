import { spawn, ChildProcess } from "node:child_process";
import { readEnv } from "../src/config/envValues";
import { startEmbeddedFirestore } from "../dev/embeddedFirestore";
import { describeFirestoreEmulator, useFirestoreEmulator } from "../dev/firestoreEmulator";
import { findOfficialEmulator } from "../dev/officialFirestore";

/*
 * The bench's Firestore, chosen as everywhere else (dev/firestoreEmulator.ts). Real Firestore is
 * another machine, so its work must not run on the event loop of the functions being measured:
 * the official emulator is a JVM of its own, and the embedded one is started in a child process
 * (run as a script, this file starts it and prints its host).
 */
export async function startBenchFirestore(): Promise<{ description: string; stop(): void }> {
  const official =
    process.env.FIRESTORE_EMULATOR_HOST ||
    (readEnv(process.env, "DEV_FIRESTORE_EMULATOR") !== "embedded" &&
      !("missing" in findOfficialEmulator()));
  if (official) {
    const emulator = await useFirestoreEmulator({ port: 0 });
    return {
      description: describeFirestoreEmulator(emulator),
      stop: () => void emulator.stop(),
    };
  }
  const child: ChildProcess = spawn(process.execPath, [__filename], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const host = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`emulator process exited (${code})`)));
    child.stdout?.once("data", (d: Buffer) => resolve(d.toString().trim()));
  });
  process.env.FIRESTORE_EMULATOR_HOST = host;
  return {
    description: `embedded emulator at ${host}, in a process of its own`,
    stop: () => child.kill(),
  };
}

if (require.main === module) {
  void startEmbeddedFirestore(0).then((emulator) => process.stdout.write(`${emulator.host}\n`));
}
