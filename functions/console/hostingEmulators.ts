/*
 * Where the Auth emulator is, for a page served by the Hosting emulator: Hosting's reserved
 * `/__/firebase/init.js?useEmulator=true` declares the running emulators
 * (`var firebaseEmulators = {…};`, firebase-tools' hosting/init.js template). Deployed Hosting
 * declares none, so the page then signs in with Firebase Auth itself.
 */
export function authEmulatorFromInitJs(initJs: string): string | undefined {
  const declared = /var firebaseEmulators = (\{[\s\S]*?\n\});/.exec(initJs)?.[1];
  if (!declared) return undefined;
  try {
    const emulators = JSON.parse(declared) as { auth?: { hostAndPort?: unknown } };
    const host = emulators.auth?.hostAndPort;
    return typeof host === "string" && /^[\w.:[\]-]+$/.test(host) ? `http://${host}` : undefined;
  } catch {
    return undefined;
  }
}

/** A page on this machine: where the console must sign in on an Auth emulator, never Google's. */
export const isLoopbackHost = (hostname: string) =>
  ["127.0.0.1", "localhost", "[::1]"].includes(hostname);
