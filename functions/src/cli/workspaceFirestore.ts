import { initializeApp } from "firebase-admin/app";
import { Firestore, getFirestore } from "firebase-admin/firestore";
import { FUNCTIONS_DIR, findLocalFirestore, type LocalFirestore } from "../config/devStackState";
import { loadFunctionsEnvFiles } from "../config/envFiles";
import { settingsLocale } from "../config/workspaceAiSettings";
import { paths } from "../core/paths";
import { commandLanguage, workspaceDecides } from "./commandLanguage";
import { type Catalog, type Language, messagesFor } from "../core/language";

/*
 * The Firestore an operator's command works on, found as `npm run quality` finds it (the emulator
 * FIRESTORE_EMULATOR_HOST names, else a running `npm run dev`'s, else --project or
 * GOOGLE_CLOUD_PROJECT with Application Default Credentials), what the commands say about it, and
 * the language of a command that has a workspace.
 */

export interface FirestoreMessages {
  /** The paragraph of each command's usage text. */
  usage: string;
  /** There is none: what to start or set. */
  none: string;
  /** How an emulator was found, for a banner. */
  foundBy(found: Extract<LocalFirestore, { kind: "emulator" }>): string;
}

const en: FirestoreMessages = {
  usage: `Reads the Firestore emulator named by FIRESTORE_EMULATOR_HOST, else the one of a running
\`npm run dev\`, else a real project named by --project or GOOGLE_CLOUD_PROJECT, with Application
Default Credentials (gcloud auth application-default login).`,
  none: "No Firestore to use: start `npm run dev` (its emulator is found by itself), set FIRESTORE_EMULATOR_HOST to a running emulator, or name a real project with --project (or GOOGLE_CLOUD_PROJECT) and credentials (GOOGLE_APPLICATION_CREDENTIALS or gcloud auth application-default login).",
  foundBy: (found) =>
    found.runningStackPid === undefined
      ? "FIRESTORE_EMULATOR_HOST"
      : `the running npm run dev (pid ${found.runningStackPid})`,
};

const es: FirestoreMessages = {
  usage: `Lee el emulador de Firestore que nombra FIRESTORE_EMULATOR_HOST; si no, el de un \`npm run dev\`
que esté corriendo; si no, un proyecto real nombrado con --project o GOOGLE_CLOUD_PROJECT, con las
credenciales predeterminadas de la aplicación (gcloud auth application-default login).`,
  none: "No hay Firestore para usar: inicie `npm run dev` (su emulador se encuentra solo), ponga en FIRESTORE_EMULATOR_HOST un emulador que esté corriendo, o nombre un proyecto real con --project (o GOOGLE_CLOUD_PROJECT) y credenciales (GOOGLE_APPLICATION_CREDENTIALS o gcloud auth application-default login).",
  foundBy: (found) =>
    found.runningStackPid === undefined
      ? "FIRESTORE_EMULATOR_HOST"
      : `el npm run dev que está corriendo (pid ${found.runningStackPid})`,
};

const catalog: Catalog<FirestoreMessages> = { en, es };

export const firestoreMessages = (language: Language): FirestoreMessages =>
  messagesFor(catalog, language);

/** The command's Firestore, or undefined when there is none (the caller prints `none`). */
export function openFirestore(project: string | undefined): Firestore | undefined {
  loadFunctionsEnvFiles(FUNCTIONS_DIR);
  const found = findLocalFirestore(project);
  if (found.kind === "none") return undefined;
  // Against an emulator no credentials are needed: never probe Google's metadata server.
  if (found.kind === "emulator") process.env.METADATA_SERVER_DETECTION ??= "none";
  initializeApp({ projectId: found.projectId });
  return getFirestore();
}

/**
 * The command's language (commandLanguage.ts) once its workspace is known: the workspace's
 * `settings/ai.locale` is read only when neither --lang nor the environment names a language.
 */
export async function workspaceLanguage(
  db: Firestore,
  workspaceId: string,
  flag: Language | undefined,
): Promise<Language> {
  const sources = { flag, env: process.env };
  if (!workspaceDecides(sources)) return commandLanguage(sources);
  const settings = await db.doc(paths.aiSettings(workspaceId)).get();
  return commandLanguage({ ...sources, workspaceLocale: settingsLocale(settings.data()) });
}

/** A workspace id as a path segment: anything else would read or write somewhere unintended. */
export const isWorkspaceId = (id: string) =>
  id !== "" && !id.includes("/") && id !== "." && id !== ".." && !/^__.*__$/.test(id);
