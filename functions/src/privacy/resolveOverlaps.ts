import type { Candidate } from "./candidate";

/**
 * One span for each stretch of text: the surest candidate wins, then the longest, then the first.
 * A phone inside a CUIT, a DNI inside a RUT or a name inside an e-mail address gives way.
 */
export function resolveOverlaps(candidates: readonly Candidate[]): Candidate[] {
  const byPreference = [...candidates].sort(
    (a, b) => b.certainty - a.certainty || b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  const chosen: Candidate[] = [];
  for (const candidate of byPreference) {
    const overlaps = chosen.some((c) => c.start < candidate.end && candidate.start < c.end);
    if (!overlaps) chosen.push(candidate);
  }
  return chosen.sort((a, b) => a.start - b.start);
}
