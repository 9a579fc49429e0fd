import type { DocumentData } from "firebase-admin/firestore";
import { paths } from "../src/core/paths";
import type { FakeLmStudio } from "../test/support/fakeLmStudio";

type Harness = typeof import("../test/support/harness");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What an agent notices: a burst of customer messages answered once, how soon the first words
 * show, and what streaming costs in document writes. Uses the defaults: BURST_WINDOW_MS 1500,
 * STREAM_FLUSH_MS 400.
 */
export async function runLiveSuggestionsBench(h: Harness, lm: FakeLmStudio): Promise<void> {
  delete process.env.BURST_WINDOW_MS;
  delete process.env.STREAM_FLUSH_MS;

  // 1. A WhatsApp burst: 5 messages 100 ms apart, a model that takes 2 s.
  const texts = ["hola", "una consulta", "sobre mi pedido", "el 4512", "¿llega antes del viernes?"];
  for (const concurrency of [1, 4]) {
    process.env.LLM_CONCURRENCY = String(concurrency);
    lm.reset();
    lm.latencyMs = 2_000;
    const conversation = await h.seedConversation({});
    const deliveries: Promise<void>[] = [];
    let last: Awaited<ReturnType<Harness["createMessage"]>> | undefined;
    let lastAt = 0;
    for (const text of texts) {
      last = await h.createMessage(conversation, { direction: "inbound", text });
      lastAt = Date.now();
      deliveries.push(h.deliverMessageCreated(last));
      await sleep(100);
    }
    await Promise.all(deliveries);
    const ready = (await h.readSuggestion(last!)) as DocumentData;
    const readyAt = ready.completedAt.toMillis() as number;
    console.log(
      `burst of 5 messages 100 ms apart, model 2 s, LLM_CONCURRENCY=${concurrency}: ${lm.chatRequests().length} model call(s), last message to ready ${((readyAt - lastAt) / 1000).toFixed(2)} s (goal ≤ window 1.5 + model 2 + 1 s)`,
    );
  }
  delete process.env.LLM_CONCURRENCY;

  // 2. First visible text and writes per suggestion, for an answer that streams for 20 s.
  lm.reset();
  lm.chunkChars = 12;
  lm.chunkDelayMs = 600;
  lm.answer = () => ({ content: "palabra ".repeat(50).trim() }); // 34 chunks × 600 ms ≈ 20 s
  process.env.BURST_WINDOW_MS = "0";
  const conversation = await h.seedConversation({});
  const address = await h.createMessage(conversation, { direction: "inbound", text: "hola" });
  const snapshots: { at: number; status: string }[] = [];
  const stop = h
    .db()
    .doc(paths.suggestion(address))
    .onSnapshot((snap) => {
      if (snap.exists) snapshots.push({ at: Date.now(), status: snap.get("status") });
    });
  const started = Date.now();
  await h.deliverMessageCreated(address);
  await sleep(200);
  stop();
  const firstShown = snapshots.find((s) => s.status === "streaming");
  const streamingWrites = snapshots.filter((s) => s.status === "streaming").length;
  console.log(
    `first visible text: ${firstShown ? firstShown.at - lm.firstTokenAt[0] : "none"} ms after the model's first token (goal ≤ 500 ms)`,
  );
  console.log(
    `a ${((Date.now() - started) / 1000).toFixed(1)} s streamed answer: ${snapshots.length} document writes (1 claim, ${streamingWrites} streaming, 1 terminal), STREAM_FLUSH_MS 400`,
  );
  lm.reset();
  delete process.env.BURST_WINDOW_MS;
}
