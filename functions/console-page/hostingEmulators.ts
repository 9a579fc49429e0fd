/*
 * Where a page's Firebase is (the operator console, the reference inbox). Under the Hosting
 * emulator, Hosting's reserved `/__/firebase/init.js?useEmulator=true` declares the running
 * emulators (`var firebaseEmulators = {…};`, firebase-tools' hosting/init.js template); deployed
 * Hosting declares none, so the page then talks to Firebase itself.
 */

type Emulated = "auth" | "firestore";

function declaredHost(initJs: string, emulator: Emulated): string | undefined {
  const declared = /var firebaseEmulators = (\{[\s\S]*?\n\});/.exec(initJs)?.[1];
  if (!declared) return undefined;
  try {
    const emulators = JSON.parse(declared) as Record<string, { hostAndPort?: unknown }>;
    const host = emulators[emulator]?.hostAndPort;
    return typeof host === "string" && /^[\w.:[\]-]+$/.test(host) ? host : undefined;
  } catch {
    return undefined;
  }
}

export function authEmulatorFromInitJs(initJs: string): string | undefined {
  const host = declaredHost(initJs, "auth");
  return host ? `http://${host}` : undefined;
}

export const firestoreEmulatorFromInitJs = (initJs: string) => declaredHost(initJs, "firestore");

/** A page on this machine: where it must sign in on an Auth emulator, never Google's. */
export const isLoopbackHost = (hostname: string) =>
  ["127.0.0.1", "localhost", "[::1]"].includes(hostname);
