import { describeFirestoreEmulator } from "./firestoreEmulator";
import { getFirestore, Timestamp } from "firebase-admin/firestore";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { loadFunctionsEnvFiles } from "../src/config/envFiles";
import { ENV_SPEC } from "../src/config/envSpec";
import { readEnv } from "../src/config/envValues";
import { parseRuntimeConfig } from "../src/config/runtimeConfig";
import { paths } from "../src/core/paths";
import { DEMO_PROJECT_ID, formatOutcomeLine, LocalStack, startLocalStack } from "./localStack";
import { FUNCTIONS_DIR, readRunningStack } from "../src/config/devStackState";
import { DEMO_WORKSPACE, demoSettings } from "./demoTeam";
import { askAndShow } from "./demoQuestion";
import { LANG_OPTION, langUsage, readLangFlag } from "../src/cli/commandLanguage";
import { demoMessages } from "./demoMessages";
import { type Language } from "../src/core/language";

/*
 * `npm run demo`: seeds a demo workspace and a Spanish WhatsApp conversation, posts a new customer
 * message and prints the suggestion as it is written; with --rag, the team's knowledge first.
 * Exit code 0 when every suggestion is ready; 1 with the error code and hint otherwise (or a
 * failed import); 2 when no suggestion appeared in time, or for wrong arguments.
 */

const WORKSPACE = DEMO_WORKSPACE;

const HISTORY: { direction: "inbound" | "outbound"; text: string }[] = [
  {
    direction: "inbound",
    text: "Hola, buenas tardes. Hice un pedido el lunes y todavía no me llegó.",
  },
  {
    direction: "outbound",
    text: "¡Hola Lucía! Gracias por escribirnos. ¿Me pasás el número de pedido así lo reviso?",
  },
  { direction: "inbound", text: "Sí, es el 4512." },
  {
    direction: "outbound",
    text: "Perfecto, ya lo estoy viendo. El pedido 4512 salió del depósito ayer.",
  },
];
const NEW_MESSAGE = "¿Y me podés decir si llega antes del viernes? Es un regalo de cumpleaños.";
/** With --rag: one question the sample FAQ answers, and one it does not (a knowledge gap). */
const ANSWERED_QUESTION = "¿Puedo pagar en cuotas?";
const UNANSWERED_QUESTION = "¿Venden tarjetas de regalo para cumpleaños?";
const SAMPLE_FAQ = "test/fixtures/faq";

function demoTimeoutMs(): number {
  try {
    const c = parseRuntimeConfig(process.env);
    return c.timeoutMs * c.maxAttempts + 30_000;
  } catch {
    return ENV_SPEC.LLM_TIMEOUT_MS.default * ENV_SPEC.LLM_MAX_ATTEMPTS.default + 30_000;
  }
}

/**
 * Seeds the conversation with AI switched off, so the history's own "message created" events
 * cost no model calls, then switches it on once those events have been handled.
 */
async function seedConversation(
  model: string,
  historyHandled: () => Promise<void>,
  rag: boolean,
): Promise<{ conversationId: string }> {
  const db = getFirestore();
  await db.doc(`workspaces/${WORKSPACE}`).set({ name: "Demo Shop" }, { merge: true });
  const settings = demoSettings(model);
  await db
    .doc(paths.aiSettings(WORKSPACE))
    .set({ ...settings, ai_enabled: false, flags: { ...settings.flags, rag } });
  const conversationId = `demo-${Date.now()}`;
  const where = { workspaceId: WORKSPACE, conversationId };
  await db
    .doc(paths.conversation(where))
    .set({ channel: "whatsapp", customerName: "Lucía", locale: "es-AR" });
  const start = Date.now() - HISTORY.length * 60_000;
  const batch = db.batch();
  HISTORY.forEach((m, i) =>
    batch.set(db.doc(paths.message({ ...where, messageId: `turn-${i}` })), {
      ...m,
      type: "text",
      createdAt: Timestamp.fromMillis(start + i * 60_000),
    }),
  );
  await batch.commit();
  await historyHandled();
  await db.doc(paths.aiSettings(WORKSPACE)).update({ ai_enabled: true });
  return { conversationId };
}

/** The sample FAQ, imported with the real `npm run kb:import` command, indexed by the stack. */
async function importSampleFaq(language: Language): Promise<boolean> {
  console.log(demoMessages(language).importing(SAMPLE_FAQ));
  const run = spawn(
    process.execPath,
    [
      join(__dirname, "../src/cli/kbImport.js"),
      "--workspace",
      WORKSPACE,
      "--dir",
      join(FUNCTIONS_DIR, SAMPLE_FAQ),
      "--wait",
      // In the demo's language, whichever source decided it.
      "--lang",
      language,
    ],
    { stdio: ["ignore", "pipe", "pipe"], env: process.env },
  );
  for (const stream of [run.stdout, run.stderr]) {
    createInterface({ input: stream }).on("line", (line) => console.log(`  ${line}`));
  }
  const [code] = (await once(run, "close")) as [number | null];
  return code === 0;
}

async function main(): Promise<number> {
  const { values: flags } = parseArgs({
    options: {
      rag: { type: "boolean", default: false },
      message: { type: "string" },
      ...LANG_OPTION,
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const lang = readLangFlag(flags.lang, process.env);
  if (!lang) return 2;
  // The demo writes its workspace's settings itself, with no locale: the flag, the
  // environment, English.
  const { language } = lang;
  const say = demoMessages(language);
  if (flags.help) {
    console.log(say.usage(SAMPLE_FAQ, langUsage(language, false)));
    return 0;
  }
  const question = flags.message?.trim();
  if (flags.message !== undefined && !question) {
    console.error(say.messageNeedsText);
    return 2;
  }
  loadFunctionsEnvFiles(FUNCTIONS_DIR);
  process.env.GCLOUD_PROJECT ??= DEMO_PROJECT_ID;
  process.env.LOG_LEVEL ??= "error";
  let ownStack: LocalStack | undefined;
  const running = readRunningStack();
  if (process.env.FIRESTORE_EMULATOR_HOST) {
    console.log(say.namedEmulator(process.env.FIRESTORE_EMULATOR_HOST));
  } else if (running) {
    process.env.FIRESTORE_EMULATOR_HOST = running.firestoreHost;
    // An emulator: the Admin SDK need not look for a metadata server.
    process.env.METADATA_SERVER_DETECTION ??= "none";
    console.log(say.runningStack(running.pid, running.firestoreHost));
  } else {
    ownStack = await startLocalStack({
      port: 0,
      onReport: (r) => {
        if (r.address.messageId.startsWith("customer-")) {
          console.log(`  ${formatOutcomeLine(r, language)}`);
        }
      },
      language,
    });
    console.log(say.ownStack(describeFirestoreEmulator(ownStack.emulator, language)));
  }

  try {
    const model = readEnv(process.env, "LLM_STUDIO_CHECK_MODEL");
    const stack = ownStack;
    // Another process's stack handles a workspace with AI off in milliseconds; a second is ample.
    const historyHandled = stack
      ? () => stack.idle()
      : () => new Promise<void>((r) => setTimeout(r, 1_000));
    if (flags.rag && !(await importSampleFaq(language))) {
      console.error(say.importFailed);
      return 1;
    }
    const { conversationId } = await seedConversation(model, historyHandled, flags.rag);
    const where = { workspaceId: WORKSPACE, conversationId };
    console.log(say.conversation(conversationId, model, flags.rag));
    for (const m of HISTORY)
      console.log(`  ${m.direction === "inbound" ? "Lucía" : "Agente"}: ${m.text}`);

    const questions = question
      ? [question]
      : flags.rag
        ? [ANSWERED_QUESTION, UNANSWERED_QUESTION]
        : [NEW_MESSAGE];
    let worst = 0;
    for (const [i, text] of questions.entries()) {
      console.log(`  Lucía: ${text}`);
      const messageId = `customer-${i === 0 ? "question" : "followup"}`;
      const { code, suggestion } = await askAndShow(
        { ...where, messageId },
        text,
        demoTimeoutMs(),
        language,
      );
      worst = Math.max(worst, code);
      if (code === 2) break;
      if (i < questions.length - 1 && suggestion?.status === "ready") {
        // The agent sends the suggestion as it is: the next question starts a new turn, whose
        // knowledge lookup is that question alone.
        console.log(`  ${say.agentSends}: ${suggestion.text}`);
        await getFirestore()
          .doc(paths.message({ ...where, messageId: `agent-reply-${i}` }))
          .set({
            direction: "outbound",
            type: "text",
            text: suggestion.text,
            createdAt: Timestamp.now(),
          });
      }
    }
    return worst;
  } finally {
    if (ownStack) await ownStack.stop();
    else await getFirestore().terminate();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(2);
  },
);
