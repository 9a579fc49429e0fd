import { Timestamp } from "firebase-admin/firestore";
import { paths } from "../../src/core/paths";
import { utcDay } from "../../src/core/utcDay";
import { db } from "./harness";

/*
 * Metrics documents as the engine writes them (docs/metrics.md), for the console's tests
 * and bench: day i (0 = today) has 10 + i requests, so every figure is known exactly.
 */

export const dayOffset = (daysAgo: number, now = Date.now()) => utcDay(now - daysAgo * 86_400_000);

export function seededDay(daysAgo: number, now = Date.now()): Record<string, unknown> {
  const requests = 10 + daysAgo;
  return {
    date: dayOffset(daysAgo, now),
    requests,
    ready: requests - 2,
    errors: 1,
    skipped: 1,
    fallbacks: 1,
    fallbacksByCode: { provider_timeout: 1 },
    errorsByCode: { provider_unreachable: 1 },
    tokens: { prompt: 1000 * requests, completion: 100 * requests },
    // Nine tenths of every prompt repeated the previous one's start.
    prompt: { chars: 4000 * requests, reusedChars: 3600 * requests },
    latency: {
      count: requests - 1,
      sumMs: 900 * (requests - 1),
      histogram: { le_500: requests - 3, le_2000: 1, le_5000: 1 },
    },
    firstText: { count: requests - 2, sumMs: 300, histogram: { le_250: requests - 2 } },
    costAvoidedUsd: 0.001 * requests,
    agentUse: { sent_as_is: 3, edited: 2, not_used: 1 },
    byProvider: {
      llm_studio: {
        requests: requests - 1,
        ready: requests - 3,
        errors: 1,
        promptTokens: 900 * requests,
        completionTokens: 90 * requests,
        latencySumMs: 800 * (requests - 1),
        histogram: { le_500: requests - 3, le_5000: 1 },
        costAvoidedUsd: 0.001 * requests,
        agentUse: { sent_as_is: 2, edited: 2, not_used: 1 },
      },
      openai: {
        requests: 1,
        ready: 1,
        promptTokens: 100 * requests,
        completionTokens: 10 * requests,
        latencySumMs: 1500,
        histogram: { le_2000: 1 },
        agentUse: { sent_as_is: 1 },
      },
    },
    byModel: { "gpt-oss-20b": { requests: requests - 1, ready: requests - 3, errors: 1 } },
    // The OpenAI answer of the day went masked: two phones and an e-mail.
    privacy: { maskedAnswers: 1, masked: { phone: 2, email: 1 } },
    knowledge: { used: 4, no_match: 1 },
    byKnowledge: { used: { agentUse: { sent_as_is: 2, edited: 1 } } },
    byTask: {
      reports: {
        requests: 2,
        ready: 2,
        sentiment: { negative: 1, positive: 1 },
        resolution: { resolved: 2 },
        // One report fell back to OpenAI: its customer's name was masked, once invented.
        privacy: { maskedAnswers: 1, masked: { name: 1 }, unresolved: 1 },
      },
    },
    updatedAt: Timestamp.now(),
  };
}

/** Writes `days` days of metrics ending today; returns the documents written. */
export async function seedConsoleMetrics(
  workspaceId: string,
  days: number,
  now = Date.now(),
): Promise<Record<string, unknown>[]> {
  const documents = Array.from({ length: days }, (_, i) => seededDay(i, now));
  // Plain batched commits: the embedded emulator serves Commit but not BulkWriter's BatchWrite,
  // and `npm run bench` seeds with this on either emulator.
  for (let i = 0; i < documents.length; i += 500) {
    const batch = db().batch();
    for (const d of documents.slice(i, i + 500))
      batch.set(db().doc(paths.dailyMetrics(workspaceId, String(d.date))), d);
    await batch.commit();
  }
  return documents;
}
