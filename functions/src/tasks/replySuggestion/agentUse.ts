import { distance } from "fastest-levenshtein";

/*
 * How close the agent's sent message is to a suggestion: a normalized edit distance on
 * normalized text. What a team needs to know whether the local model earns its place.
 */

export { AGENT_USE_OUTCOMES, type AgentUseOutcome } from "../../core/vocabulary";
import type { AgentUseOutcome } from "../../core/vocabulary";

/** Edit distance is quadratic: past this many characters the texts are compared by their start. */
const MAX_COMPARED_CHARS = 2_000;

/** Case, accents' composition, spacing and punctuation are not what an agent changed. */
export function normalizeForComparison(text: string): string {
  return text
    .normalize("NFC")
    .toLowerCase()
    .replace(/[\p{P}\p{S}]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, MAX_COMPARED_CHARS);
}

/** 1 for the same text, 0 for nothing in common. */
export function similarity(a: string, b: string): number {
  const x = normalizeForComparison(a);
  const y = normalizeForComparison(b);
  const longest = Math.max(x.length, y.length);
  if (longest === 0) return 1;
  return 1 - distance(x, y) / longest;
}

export function agentUseOutcome(score: number): AgentUseOutcome {
  return score >= 0.95 ? "sent_as_is" : score >= 0.5 ? "edited" : "not_used";
}

/** The closest of a suggestion's texts (its options count) to what the agent sent. */
export function compareWithSuggestion(
  sent: string,
  suggestionTexts: string[],
): { outcome: AgentUseOutcome; similarity: number } {
  const best = Math.max(0, ...suggestionTexts.map((text) => similarity(sent, text)));
  const rounded = Math.round(best * 1000) / 1000;
  return { outcome: agentUseOutcome(rounded), similarity: rounded };
}
