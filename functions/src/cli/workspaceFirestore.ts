import { initializeApp } from "firebase-admin/app";
import { Firestore, getFirestore } from "firebase-admin/firestore";
import { FUNCTIONS_DIR, findLocalFirestore } from "../config/devStackState";
import { loadFunctionsEnvFiles } from "../config/envFiles";
import { settingsLocale } from "../config/workspaceAiSettings";
import { hintLanguage, type HintLanguage } from "../core/errorCodes";
import { paths } from "../core/paths";

/*
 * The Firestore an operator's command works on, found as `npm run quality` finds it (the emulator
 * FIRESTORE_EMULATOR_HOST names, else a running `npm run dev`'s, else --project or
 * GOOGLE_CLOUD_PROJECT with Application Default Credentials), and the language of the workspace.
 */

export const FIRESTORE_USAGE = `Reads the Firestore emulator named by FIRESTORE_EMULATOR_HOST, else the one of a running
\`npm run dev\`, else a real project named by --project or GOOGLE_CLOUD_PROJECT, with Application
Default Credentials (gcloud auth application-default login).`;

export function openFirestore(project: string | undefined): Firestore | { advice: string } {
  loadFunctionsEnvFiles(FUNCTIONS_DIR);
  const found = findLocalFirestore(project);
  if (found.kind === "none") return { advice: found.advice };
  // Against an emulator no credentials are needed: never probe Google's metadata server.
  if (found.kind === "emulator") process.env.METADATA_SERVER_DETECTION ??= "none";
  initializeApp({ projectId: found.projectId });
  return getFirestore();
}

/** Spanish when the workspace's `settings/ai.locale` starts with `es`, else English. */
export async function workspaceLanguage(db: Firestore, workspaceId: string): Promise<HintLanguage> {
  const settings = await db.doc(paths.aiSettings(workspaceId)).get();
  return hintLanguage(settingsLocale(settings.data()));
}

/** A workspace id as a path segment: anything else would read or write somewhere unintended. */
export const isWorkspaceId = (id: string) =>
  id !== "" && !id.includes("/") && id !== "." && id !== ".." && !/^__.*__$/.test(id);
