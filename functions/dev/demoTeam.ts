import { getAuth } from "firebase-admin/auth";
import { getFirestore } from "firebase-admin/firestore";
import { paths } from "../src/core/paths";
import type { AiSettingsDocument } from "../src/contract/documents";

/*
 * The demo workspace's team, seeded into the emulators so that the console and the inbox can be
 * signed into at once: an admin and an agent in the Auth emulator, each a member of the
 * workspace, and AI settings that make suggestions (where the workspace has none yet; `npm run
 * demo` sets its own). Seeding again resets the two accounts' passwords and roles.
 */

export const DEMO_WORKSPACE = "demo-workspace";
export const DEMO_PASSWORD = "demo-password";
export const DEMO_TEAM = [
  { uid: "demo-admin", email: "admin@demo-shop.test", role: "admin", name: "Ana (admin)" },
  { uid: "demo-agent", email: "agent@demo-shop.test", role: "agent", name: "Beto (agent)" },
] as const;

export async function seedDemoTeam(model: string): Promise<void> {
  const auth = getAuth();
  const db = getFirestore();
  for (const person of DEMO_TEAM) {
    const account = { email: person.email, password: DEMO_PASSWORD, displayName: person.name };
    await auth.updateUser(person.uid, account).catch(async (err: { code?: string }) => {
      if (err.code !== "auth/user-not-found") throw err;
      await auth.createUser({ uid: person.uid, ...account });
    });
    await db
      .doc(paths.member(DEMO_WORKSPACE, person.uid))
      .set({ role: person.role, email: person.email }, { merge: true });
  }
  await db.doc(`workspaces/${DEMO_WORKSPACE}`).set({ name: "Demo Shop" }, { merge: true });
  const settings = db.doc(paths.aiSettings(DEMO_WORKSPACE));
  if (!(await settings.get()).exists) await settings.set(demoSettings(model));
}

/**
 * The team's guide's settings: the local model, temperature 0.3, 150 tokens; a report when a
 * conversation closes, so that the inbox shows one.
 */
export function demoSettings(model: string) {
  return {
    ai_enabled: true,
    provider: "llm_studio",
    defaultModel: model,
    temperature: 0.3,
    maxTokens: 150,
    flags: { suggestions: true, rag: false, provider_ready: true, reports: true },
  } satisfies AiSettingsDocument;
}
