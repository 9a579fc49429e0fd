import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BrowserContext, chromium } from "playwright-core";

/*
 * Debian's Chromium for the browser tests, never a downloaded browser: headless, a fresh profile,
 * and network only to loopback.
 */

export const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  // Network only to loopback: every other host name fails to resolve.
  "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
];

/** A failure bound only: every wait ends as soon as the page has seen what it waits for. */
export const WAIT_MS = 20_000;

/** Why Chromium cannot be driven here, or undefined when it can. */
export function whyNoChromium(): string | undefined {
  if (!existsSync(CHROMIUM))
    return `no Chromium at ${CHROMIUM}; scripts/test.sh installs Debian's chromium when run as root`;
  return undefined;
}

/**
 * Why a browser test of the in-process passes cannot run here (besides its own reasons): it
 * signs in on the Auth emulator those passes run in.
 */
export function whyNoBrowser(): string | undefined {
  if (!process.env.FIREBASE_AUTH_EMULATOR_HOST)
    return "needs the Auth emulator; `npm test` starts it with firebase emulators:exec";
  return whyNoChromium();
}

export interface SystemBrowser {
  context: BrowserContext;
  /** Closes the browser and removes its profile. */
  close(): Promise<void>;
}

/** Starts Chromium with a profile of its own, 1100 × 900 unless the test says otherwise. */
export async function launchSystemChromium(
  profile: string,
  options: { locale?: string; viewport?: { width: number; height: number } } = {},
): Promise<SystemBrowser> {
  const userDataDir = mkdtempSync(join(tmpdir(), `${profile}-chromium-`));
  try {
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1100, height: 900 },
      ...options,
    });
    return {
      context,
      close: async () => {
        await context.close();
        rmSync(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw err;
  }
}
