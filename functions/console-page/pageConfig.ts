import { initializeApp, type FirebaseApp } from "firebase/app";
import { connectAuthEmulator, getAuth, type Auth } from "firebase/auth";
import {
  authEmulatorFromInitJs,
  firestoreEmulatorFromInitJs,
  isLoopbackHost,
} from "./hostingEmulators";

/*
 * A page's Firebase configuration (the operator console, the reference inbox): its own config
 * file, or Hosting's, with the emulators the Hosting emulator declares.
 */

export interface PageConfig {
  apiKey: string;
  projectId: string;
  authDomain?: string;
  /** `http://127.0.0.1:9099` locally: sign in against the Auth emulator. */
  authEmulator?: string;
  /** `127.0.0.1:8080` locally: the Firestore emulator. */
  firestoreEmulator?: string;
  /** The console's data: `/api/ai/console` (the hosting rewrite) by default. */
  endpoint?: string;
  refreshMs?: number;
}

/** Under the Hosting emulator (a loopback page), the emulators it declares. */
async function hostingEmulators(): Promise<Pick<PageConfig, "authEmulator" | "firestoreEmulator">> {
  if (!isLoopbackHost(location.hostname)) return {};
  const response = await fetch("/__/firebase/init.js?useEmulator=true").catch(() => undefined);
  if (!response?.ok) return {};
  const initJs = await response.text();
  const authEmulator = authEmulatorFromInitJs(initJs);
  const firestoreEmulator = firestoreEmulatorFromInitJs(initJs);
  return {
    ...(authEmulator ? { authEmulator } : {}),
    ...(firestoreEmulator ? { firestoreEmulator } : {}),
  };
}

/**
 * The page's own config file (e.g. `/console/config.json`), else Hosting's
 * `/__/firebase/init.json`. Under the Hosting emulator the emulators it declares win over the
 * file's: a production config served locally must never sign a developer into production.
 */
export async function loadPageConfig(ownConfigUrl: string): Promise<PageConfig> {
  let config: PageConfig | undefined;
  for (const url of [ownConfigUrl, "/__/firebase/init.json"]) {
    const response = await fetch(url).catch(() => undefined);
    if (!response?.ok) continue;
    config = (await response.json()) as PageConfig;
    break;
  }
  if (!config)
    throw new Error(`no Firebase configuration (${ownConfigUrl} or /__/firebase/init.json)`);
  if (config.authEmulator && config.firestoreEmulator) return config;
  const emulators = await hostingEmulators();
  return {
    ...config,
    ...(config.authEmulator
      ? {}
      : emulators.authEmulator
        ? { authEmulator: emulators.authEmulator }
        : {}),
    ...(config.firestoreEmulator
      ? {}
      : emulators.firestoreEmulator
        ? { firestoreEmulator: emulators.firestoreEmulator }
        : {}),
  };
}

/**
 * The page's Firebase app and Auth, signing in on the Auth emulator where one is declared.
 * Undefined on a loopback page without one: Firebase Auth would talk to Google's real service
 * (and a sign-in fail as a wrong password), so the page says what to start instead.
 */
export function pageFirebase(config: PageConfig): { app: FirebaseApp; auth: Auth } | undefined {
  if (isLoopbackHost(location.hostname) && !config.authEmulator) return undefined;
  const app = initializeApp({
    apiKey: config.apiKey,
    projectId: config.projectId,
    authDomain: config.authDomain,
  });
  const auth = getAuth(app);
  if (config.authEmulator)
    connectAuthEmulator(auth, config.authEmulator, { disableWarnings: true });
  return { app, auth };
}
