import { build } from "esbuild";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";

/*
 * The static pages Hosting serves, each public/{page}/index.html with {page}.js + {page}.css
 * bundled by esbuild from functions/{page}-page/ (the Firebase web SDK, uPlot for the console, the
 * inbox kit for the inbox; nothing from a CDN): the operator console and the reference inbox.
 * `npm run build:pages` writes them into public/ for Hosting (firebase.json runs it before a
 * deploy); `npm run dev` and the tests serve them from memory.
 */

const functionsDir = resolve(__dirname, "../..");
export const PAGES = {
  console: "console-page/consolePage.ts",
  inbox: "inbox-page/inboxPage.ts",
} as const;
export type PageName = keyof typeof PAGES;

export const pageHtml = (page: PageName) => join(functionsDir, `../public/${page}/index.html`);

export interface PageFiles {
  html: Buffer;
  js: Buffer;
  css: Buffer;
}

/** Bundles one page; into `outdir` when given, else in memory. */
export async function bundlePage(page: PageName, outdir?: string): Promise<PageFiles> {
  const result = await build({
    entryPoints: { [page]: join(functionsDir, PAGES[page]) },
    bundle: true,
    format: "iife",
    platform: "browser",
    target: "chrome120",
    minify: true,
    legalComments: "none",
    outdir: outdir ?? join(functionsDir, `build-dev/${page}`),
    write: outdir !== undefined,
    logLevel: "warning",
  });
  const read = (ext: string) => {
    const file = result.outputFiles?.find((f) => f.path.endsWith(ext));
    return file
      ? Buffer.from(file.contents)
      : readFileSync(join(outdir as string, `${page}${ext}`));
  };
  return { html: readFileSync(pageHtml(page)), js: read(".js"), css: read(".css") };
}

export const publicDir = (page: PageName) => join(functionsDir, `../public/${page}`);

/** Both pages into public/, as Hosting serves them. */
export async function bundlePagesIntoPublic(): Promise<Record<PageName, PageFiles>> {
  return {
    console: await bundlePage("console", publicDir("console")),
    inbox: await bundlePage("inbox", publicDir("inbox")),
  };
}

if (require.main === module) {
  bundlePagesIntoPublic().then(
    (pages) => {
      for (const [page, files] of Object.entries(pages)) {
        console.log(
          `${page} bundled into ${publicDir(page as PageName)}: ${page}.js ${files.js.length} bytes, ${page}.css ${files.css.length} bytes.`,
        );
      }
    },
    (err: Error) => {
      console.error(err.message);
      process.exitCode = 1;
    },
  );
}
