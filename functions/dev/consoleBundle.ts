import { build } from "esbuild";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";

/*
 * The operator console's static files: public/console/index.html, and console.js + console.css
 * bundled by esbuild from functions/console/ (Firebase Auth's web SDK, uPlot, nothing from a
 * CDN). `npm run build:console` writes them into public/console/ for Hosting (firebase.json runs
 * it before a deploy); `npm run dev` and the tests serve them from memory.
 */

const functionsDir = resolve(__dirname, "../..");
export const CONSOLE_HTML = join(functionsDir, "../public/console/index.html");

export interface ConsoleFiles {
  html: Buffer;
  js: Buffer;
  css: Buffer;
}

export async function bundleConsole(outdir?: string): Promise<ConsoleFiles> {
  const result = await build({
    entryPoints: { console: join(functionsDir, "console/consolePage.ts") },
    bundle: true,
    format: "iife",
    platform: "browser",
    target: "chrome120",
    minify: true,
    legalComments: "none",
    outdir: outdir ?? join(functionsDir, "build-dev/console"),
    write: outdir !== undefined,
    logLevel: "warning",
  });
  const read = (ext: string) => {
    const file = result.outputFiles?.find((f) => f.path.endsWith(ext));
    return file
      ? Buffer.from(file.contents)
      : readFileSync(join(outdir as string, `console${ext}`));
  };
  return { html: readFileSync(CONSOLE_HTML), js: read(".js"), css: read(".css") };
}

if (require.main === module) {
  const outdir = join(functionsDir, "../public/console");
  bundleConsole(outdir).then(
    (files) =>
      console.log(
        `Console bundled into ${outdir}: console.js ${files.js.length} bytes, console.css ${files.css.length} bytes.`,
      ),
    (err: Error) => {
      console.error(err.message);
      process.exitCode = 1;
    },
  );
}
