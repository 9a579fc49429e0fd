import { describeFirestoreEmulator } from "./firestoreEmulator";
import { DocumentData, getFirestore, Timestamp } from "firebase-admin/firestore";
import { loadFunctionsEnvFiles } from "../src/config/envFiles";
import { ENV_SPEC } from "../src/config/envSpec";
import { readEnv } from "../src/config/envValues";
import { parseRuntimeConfig } from "../src/config/runtimeConfig";
import { paths } from "../src/core/paths";
import { DEMO_PROJECT_ID, formatOutcomeLine, LocalStack, startLocalStack } from "./localStack";
import { FUNCTIONS_DIR, readRunningStack } from "../src/config/devStackState";
import { DEMO_WORKSPACE, demoSettings } from "./demoTeam";
import { NO_LM_STUDIO_ADVICE } from "./lmStudioStatus";

/*
 * `npm run demo`: seeds a demo workspace and a Spanish WhatsApp conversation, posts a new customer
 * message and prints the suggestion as it is written. Exit code 0 when it is ready; 1 with the
 * error code and hint otherwise; 2 when no suggestion appeared in time.
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
): Promise<{ conversationId: string; messageId: string }> {
  const db = getFirestore();
  await db.doc(`workspaces/${WORKSPACE}`).set({ name: "Demo Shop" }, { merge: true });
  await db.doc(paths.aiSettings(WORKSPACE)).set({ ...demoSettings(model), ai_enabled: false });
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
  return { conversationId, messageId: "customer-question" };
}

const TERMINAL = ["ready", "error", "skipped", "superseded"];

function waitForTerminalSuggestion(
  path: string,
  timeoutMs: number,
  started: number,
): Promise<DocumentData | undefined> {
  return new Promise((resolve) => {
    let last = "";
    const timer = setTimeout(() => {
      unsubscribe();
      resolve(undefined);
    }, timeoutMs);
    const unsubscribe = getFirestore()
      .doc(path)
      .onSnapshot((snapshot) => {
        const data = snapshot.data();
        const status = data?.status;
        if (!status) return;
        if (status === "streaming") {
          // Live text: one line per write, the newest words at the end.
          const text = String(data?.text ?? "");
          console.log(`  +${Date.now() - started} ms  suggestion streaming  …${text.slice(-50)}`);
          last = status;
          return;
        }
        if (status === last) return;
        last = status;
        console.log(`  +${Date.now() - started} ms  suggestion ${status}`);
        if (TERMINAL.includes(status)) {
          clearTimeout(timer);
          unsubscribe();
          resolve(data);
        }
      });
  });
}

async function main(): Promise<number> {
  loadFunctionsEnvFiles(FUNCTIONS_DIR);
  process.env.GCLOUD_PROJECT ??= DEMO_PROJECT_ID;
  process.env.LOG_LEVEL ??= "error";
  let ownStack: LocalStack | undefined;
  const running = readRunningStack();
  if (process.env.FIRESTORE_EMULATOR_HOST) {
    console.log(
      `Using the Firestore emulator at ${process.env.FIRESTORE_EMULATOR_HOST}; \`npm run dev\` or the Functions emulator must be running there.`,
    );
  } else if (running) {
    process.env.FIRESTORE_EMULATOR_HOST = running.firestoreHost;
    console.log(
      `Using the running local stack (npm run dev, pid ${running.pid}) at ${running.firestoreHost}.`,
    );
  } else {
    ownStack = await startLocalStack({
      port: 0,
      onReport: (r) => {
        if (r.address.messageId === "customer-question") console.log(`  ${formatOutcomeLine(r)}`);
      },
    });
    console.log(
      `No local stack running: started one on the ${describeFirestoreEmulator(ownStack.emulator)}.`,
    );
  }

  try {
    const model = readEnv(process.env, "LLM_STUDIO_CHECK_MODEL");
    const stack = ownStack;
    // Another process's stack handles a workspace with AI off in milliseconds; a second is ample.
    const historyHandled = stack
      ? () => stack.idle()
      : () => new Promise<void>((r) => setTimeout(r, 1_000));
    const { conversationId, messageId } = await seedConversation(model, historyHandled);
    const address = { workspaceId: WORKSPACE, conversationId, messageId };
    console.log(`Conversation ${conversationId} (WhatsApp, es-AR), model ${model}:`);
    for (const m of HISTORY)
      console.log(`  ${m.direction === "inbound" ? "Lucía" : "Agente"}: ${m.text}`);
    console.log(`  Lucía: ${NEW_MESSAGE}`);

    const started = Date.now();
    const watching = waitForTerminalSuggestion(paths.suggestion(address), demoTimeoutMs(), started);
    await getFirestore()
      .doc(paths.message(address))
      .set({ direction: "inbound", type: "text", text: NEW_MESSAGE, createdAt: Timestamp.now() });
    const suggestion = await watching;

    if (!suggestion) {
      console.error(
        `✗ No suggestion within ${demoTimeoutMs()} ms. Is \`npm run dev\` (or the Functions emulator) running?`,
      );
      return 2;
    }
    if (suggestion.status === "ready") {
      const usage = suggestion.usage ? `, ${suggestion.usage.completionTokens} tokens` : "";
      console.log(
        `\n✓ Suggested reply (${suggestion.provider}, ${suggestion.model}, ${suggestion.latencyMs} ms${usage}):\n\n  ${suggestion.text}\n`,
      );
      return 0;
    }
    if (suggestion.status === "error") {
      console.error(
        `\n✗ ${suggestion.error.code}: ${suggestion.error.message}\n  hint: ${suggestion.error.hint}`,
      );
      if (
        suggestion.error.code === "provider_unreachable" &&
        suggestion.provider === "llm_studio"
      ) {
        console.error(`  ${NO_LM_STUDIO_ADVICE}`);
      }
      return 1;
    }
    console.error(
      `\n✗ Suggestion ended ${suggestion.status}${suggestion.reason ? ` (${suggestion.reason})` : ""}.`,
    );
    return 1;
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
