import { DocumentData, getFirestore, Timestamp } from "firebase-admin/firestore";
import { paths, type MessageAddress } from "../src/core/paths";
import { NO_LM_STUDIO_ADVICE } from "./lmStudioStatus";

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

/** 0: ready; 1: an error or another end (printed with its code and hint); 2: no outcome in time. */
export async function askAndShow(
  address: MessageAddress,
  text: string,
  timeoutMs: number,
): Promise<{ code: 0 | 1 | 2; suggestion?: DocumentData }> {
  const started = Date.now();
  const watching = waitForTerminalSuggestion(paths.suggestion(address), timeoutMs, started);
  await getFirestore()
    .doc(paths.message(address))
    .set({ direction: "inbound", type: "text", text, createdAt: Timestamp.now() });
  const suggestion = await watching;

  if (!suggestion) {
    console.error(
      `✗ No suggestion within ${timeoutMs} ms. Is \`npm run dev\` (or the Functions emulator) running?`,
    );
    return { code: 2 };
  }
  if (suggestion.status === "ready") {
    const usage = suggestion.usage ? `, ${suggestion.usage.completionTokens} tokens` : "";
    console.log(
      `\n✓ Suggested reply (${suggestion.provider}, ${suggestion.model}, ${suggestion.latencyMs} ms${usage}):\n\n  ${suggestion.text}\n`,
    );
    showKnowledge(address.workspaceId, suggestion);
    return { code: 0, suggestion };
  }
  if (suggestion.status === "error") {
    console.error(
      `\n✗ ${suggestion.error.code}: ${suggestion.error.message}\n  hint: ${suggestion.error.hint}`,
    );
    if (suggestion.error.code === "provider_unreachable" && suggestion.provider === "llm_studio") {
      console.error(`  ${NO_LM_STUDIO_ADVICE}`);
    }
    return { code: 1, suggestion };
  }
  console.error(
    `\n✗ Suggestion ended ${suggestion.status}${suggestion.reason ? ` (${suggestion.reason})` : ""}.`,
  );
  return { code: 1, suggestion };
}

/** What the team's knowledge did for this suggestion, when `flags.rag` is on. */
function showKnowledge(workspaceId: string, suggestion: DocumentData): void {
  const knowledge = suggestion.knowledge as { status?: string } | undefined;
  if (!knowledge?.status || knowledge.status === "off") return;
  if (knowledge.status === "used") {
    const sources = (suggestion.sources ?? []) as { title: string; url?: string }[];
    console.log("  Sources (the team's knowledge base, shown to the agent beside the reply):");
    for (const s of sources) console.log(`    · ${s.title}${s.url ? `  ${s.url}` : ""}`);
    console.log("");
    return;
  }
  if (knowledge.status === "no_match") {
    console.log(
      `  No article answers this question: it is now a knowledge gap (\`npm run kb:gaps -- --workspace ${workspaceId}\` lists it).\n`,
    );
    return;
  }
  console.log(`  Knowledge: ${knowledge.status}.\n`);
}
