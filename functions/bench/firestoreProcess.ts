import { spawn, ChildProcess } from "node:child_process";
import { startEmbeddedFirestore } from "../dev/embeddedFirestore";

/*
 * The embedded Firestore emulator in a process of its own, for the benchmark: real Firestore is
 * another machine, so its work must not run on the event loop of the functions being measured.
 * Run as a script it starts the emulator and prints its host; imported, it spawns that script.
 */

export async function startFirestoreProcess(): Promise<{ host: string; stop(): void }> {
  const child: ChildProcess = spawn(process.execPath, [__filename], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const host = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`emulator process exited (${code})`)));
    child.stdout?.once("data", (d: Buffer) => resolve(d.toString().trim()));
  });
  return { host, stop: () => child.kill() };
}

if (require.main === module) {
  void startEmbeddedFirestore(0).then((emulator) => process.stdout.write(`${emulator.host}\n`));
}
