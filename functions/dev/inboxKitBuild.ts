import { build, type BuildOptions } from "esbuild";
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";

/*
 * The inbox kit's package (functions/inbox-kit): dist/index.mjs, one ESM file with the Firebase web
 * SDK left to the app (a peer dependency), and dist/types, the declarations, the backend's
 * contract among them. `npm run build:kit` writes it; `npm run kit:pack` makes the tarball a
 * frontend installs.
 */

const functionsDir = resolve(__dirname, "../..");
export const KIT_DIR = join(functionsDir, "inbox-kit");

/** One ESM file; the Firebase SDK stays the app's (a peer dependency). */
const KIT_BUNDLE: BuildOptions = {
  entryPoints: [join(KIT_DIR, "src/index.ts")],
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  external: ["firebase", "firebase/*", "@firebase/*"],
  legalComments: "none",
  logLevel: "warning",
};

export async function buildInboxKit(): Promise<{ bytes: number; gzipBytes: number }> {
  rmSync(join(KIT_DIR, "dist"), { recursive: true, force: true });
  await build({ ...KIT_BUNDLE, outfile: join(KIT_DIR, "dist/index.mjs") });
  execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", KIT_DIR], {
    stdio: "inherit",
  });
  const js = readFileSync(join(KIT_DIR, "dist/index.mjs"));
  return { bytes: js.length, gzipBytes: gzipSync(js).length };
}

/** The kit as an app ships it: minified (its bundler does), without the Firebase SDK. */
export async function minifiedKitBytes(): Promise<{ bytes: number; gzipBytes: number }> {
  const result = await build({ ...KIT_BUNDLE, minify: true, write: false });
  const js = Buffer.from(result.outputFiles[0].contents);
  return { bytes: js.length, gzipBytes: gzipSync(js, { level: 9 }).length };
}

if (require.main === module) {
  buildInboxKit().then(
    ({ bytes, gzipBytes }) =>
      console.log(
        `Inbox kit built into ${join(KIT_DIR, "dist")}: index.mjs ${bytes} bytes, ${gzipBytes} gzipped.`,
      ),
    (err: Error) => {
      console.error(err.message);
      process.exitCode = 1;
    },
  );
}
