import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, relative } from "node:path";
import { crc32 } from "node:zlib";

/*
 * firebase-tools starts the Firestore emulator with `java -jar <FIRESTORE_EMULATOR_BINARY_PATH>`,
 * but the gcloud component's jar has no Main-Class in its manifest (its own launcher passes the
 * class with -cp). A jar holding only a manifest that names the class, with the component's jar
 * on its Class-Path, makes `java -jar` run the component unchanged.
 */

export const FIRESTORE_MAIN_CLASS = "com.google.cloud.datastore.emulator.firestore.CloudFirestore";

/** The manifest's text: Class-Path entries are URLs relative to the launcher jar's folder. */
export function launcherManifest(launcherJar: string, componentJar: string): string {
  const classPath = relative(dirname(launcherJar), componentJar)
    .split(/[\\/]/)
    .map(encodeURIComponent)
    .join("/");
  // Manifest lines are at most 72 bytes; longer ones continue on lines that start with a space.
  const wrap = (line: string) =>
    (line.match(/.{1,70}/g) ?? [line]).map((part, i) => (i === 0 ? part : ` ${part}`)).join("\r\n");
  return [
    "Manifest-Version: 1.0",
    `Main-Class: ${FIRESTORE_MAIN_CLASS}`,
    wrap(`Class-Path: ${classPath}`),
    "",
    "",
  ].join("\r\n");
}

const DOS_1980_01_01 = (0 << 9) | (1 << 5) | 1;

/** A zip archive of stored (uncompressed) files: all a manifest-only jar needs. */
export function storedZip(files: { name: string; data: Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, data } of files) {
    const nameBytes = Buffer.from(name, "utf8");
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(10, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt32LE(DOS_1980_01_01 << 16, 10); // time 00:00, date 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // made by
    central.writeUInt16LE(10, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt32LE(DOS_1980_01_01 << 16, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBytes);
    locals.push(local, nameBytes, data);
    offset += local.length + nameBytes.length + data.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

/** Writes the launcher jar at `launcherJar` for the component's `componentJar`. */
export function writeFirestoreLauncherJar(launcherJar: string, componentJar: string): void {
  mkdirSync(dirname(launcherJar), { recursive: true });
  const manifest = Buffer.from(launcherManifest(launcherJar, componentJar), "utf8");
  writeFileSync(launcherJar, storedZip([{ name: "META-INF/MANIFEST.MF", data: manifest }]));
}
