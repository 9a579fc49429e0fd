import { DocumentData, getFirestore, Timestamp } from "firebase-admin/firestore";
import { hintFor, type ErrorCode, ERROR_CODES } from "../src/core/errorCodes";
import { paths, type MessageAddress } from "../src/core/paths";
import { demoMessages, type DemoMessages } from "./demoMessages";
import { stackMessages } from "./stackMessages";
import { type Language } from "../src/core/language";

/*
 * One customer question of `npm run demo`: the message is written as the WhatsApp webhook would,
 * and the suggestion is printed as the agent's screen would show it, live, then its outcome and
 * (with knowledge on) its sources or the gap it left.
 */

const TERMINAL = ["ready", "error", "skipped", "superseded"];

function waitForTerminalSuggestion(
  path: string,
  timeoutMs: number,
  started: number,
  say: DemoMessages,
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
          console.log(`  ${say.streaming(Date.now() - started, text.slice(-50))}`);
          last = status;
          return;
        }
        if (status === last) return;
        last = status;
        console.log(`  ${say.status(Date.now() - started, status)}`);
        if (TERMINAL.includes(status)) {
          clearTimeout(timer);
          unsubscribe();
          resolve(data);
        }
      });
  });
}

/** 0: ready; 1: an error or another end (printed with its code and hint); 2: no outcome in time. */
export async function askAndShow(
  address: MessageAddress,
  text: string,
  timeoutMs: number,
  language: Language = "en",
): Promise<{ code: 0 | 1 | 2; suggestion?: DocumentData }> {
  const say = demoMessages(language);
  const started = Date.now();
  const watching = waitForTerminalSuggestion(paths.suggestion(address), timeoutMs, started, say);
  await getFirestore()
    .doc(paths.message(address))
    .set({ direction: "inbound", type: "text", text, createdAt: Timestamp.now() });
  const suggestion = await watching;

  if (!suggestion) {
    console.error(say.noSuggestion(timeoutMs));
    return { code: 2 };
  }
  if (suggestion.status === "ready") {
    const tokens = suggestion.usage?.completionTokens as number | undefined;
    console.log(
      `\n${say.suggested(suggestion.provider, suggestion.model, suggestion.latencyMs, tokens)}\n\n  ${suggestion.text}\n`,
    );
    showKnowledge(address.workspaceId, suggestion, say);
    return { code: 0, suggestion };
  }
  if (suggestion.status === "error") {
    const error = suggestion.error as { code: string; message: string; hint?: string };
    // The hint from the error table in the command's language; the stored one is the workspace's.
    const code = ERROR_CODES.find((c) => c === error.code) as ErrorCode | undefined;
    const hint = code ? hintFor(code, language) : error.hint;
    console.error(`\n✗ ${error.code}: ${error.message}\n  ${say.hint} ${hint}`);
    if (error.code === "provider_unreachable" && suggestion.provider === "llm_studio") {
      console.error(`  ${stackMessages(language).noLmStudio}`);
    }
    return { code: 1, suggestion };
  }
  console.error(`\n${say.ended(suggestion.status, suggestion.reason)}`);
  return { code: 1, suggestion };
}

/** What the team's knowledge did for this suggestion, when `flags.rag` is on. */
function showKnowledge(workspaceId: string, suggestion: DocumentData, say: DemoMessages): void {
  const knowledge = suggestion.knowledge as { status?: string } | undefined;
  if (!knowledge?.status || knowledge.status === "off") return;
  if (knowledge.status === "used") {
    const sources = (suggestion.sources ?? []) as { title: string; url?: string }[];
    console.log(`  ${say.sources}`);
    for (const s of sources) console.log(`    · ${s.title}${s.url ? `  ${s.url}` : ""}`);
    console.log("");
    return;
  }
  if (knowledge.status === "no_match") {
    console.log(`  ${say.gap(workspaceId)}\n`);
    return;
  }
  console.log(`  ${say.knowledge(knowledge.status)}\n`);
}
