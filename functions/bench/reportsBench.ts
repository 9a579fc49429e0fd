import { Timestamp, type DocumentData } from "firebase-admin/firestore";
import { paths } from "../src/core/paths";
import type { FakeLmStudio } from "../test/support/fakeLmStudio";

type Harness = typeof import("../test/support/harness");

/**
 * A conversation's report at three lengths, on the defaults (REPORT_PAGE_SIZE 200,
 * REPORT_CHAR_BUDGET 24,000, REPORT_MAX_MESSAGES 5,000) and a model that answers at once:
 * model calls, documents read, time.
 */
export async function runReportsBench(h: Harness, lm: FakeLmStudio): Promise<void> {
  lm.reset();
  lm.answer = () => ({ content: "Resumen parcial: pedido 4512 demorado, se escaló a logística." });
  const settings = {
    ...h.GOOD_SETTINGS,
    flags: { ...h.GOOD_SETTINGS.flags, reports: true },
  };
  for (const count of [20, 1_000, 5_000]) {
    const where = await h.seedConversation({ settings, conversation: { status: "open" } });
    const start = Date.now() - count * 1_000;
    for (let from = 0; from < count; from += 400) {
      const batch = h.db().batch();
      for (let i = from; i < Math.min(count, from + 400); i += 1) {
        batch.set(h.db().doc(paths.message({ ...where, messageId: `m${i}` })), {
          direction: i % 2 ? "outbound" : "inbound",
          type: "text",
          // A WhatsApp-sized message: about 90 characters.
          text: `${i % 2 ? "Agente" : "Cliente"} ${i}: ${"consulta sobre el pedido 4512 ".repeat(3)}`,
          createdAt: Timestamp.fromMillis(start + i * 1_000),
        });
      }
      await batch.commit();
    }
    const close = await h.updateConversation(where, { status: "closed" });
    const calls = lm.chatRequests().length;
    const started = Date.now();
    await close();
    const seconds = (Date.now() - started) / 1000;
    const report = (
      await h.db().collection(paths.reports(where)).get()
    ).docs[0]?.data() as DocumentData;
    console.log(
      `report of a ${count}-message conversation: ${report.status}, ${lm.chatRequests().length - calls} model call(s), ${report.documentsRead} messages read, ${seconds.toFixed(2)} s`,
    );
  }
}
