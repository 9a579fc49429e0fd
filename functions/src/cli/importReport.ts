import { hintFor, ERROR_CODES, type ErrorCode } from "../core/errorCodes";
import type { ImportResult } from "../knowledgeImport/importFiles";
import type { ImportPlan } from "../knowledgeImport/importPlan";
import type { IndexProgress } from "../knowledge/indexProgress";
import { kbMessages } from "./kbMessages";
import { type Language } from "../core/language";

/* What `npm run kb:import` prints after writing, and after waiting for the index. */

export interface ImportCounts {
  created: number;
  changed: number;
  unchanged: number;
  removed: number;
  skipped: number;
}

export function importCounts(result: ImportResult, plan: ImportPlan, removed: number) {
  return {
    created: plan.writes.filter((w) => w.kind === "create").length,
    changed: plan.writes.filter((w) => w.kind === "update").length,
    unchanged: plan.unchanged.length,
    removed,
    skipped: result.skipped.length,
  };
}

/** A few ids, then how many more: `a, b, c, d, e (+4)`. */
export function listIds(ids: string[], max = 5): string {
  const shown = ids.slice(0, max).join(", ");
  return ids.length > max ? `${shown} (+${ids.length - max})` : shown;
}

export function importSummaryLines(
  result: ImportResult,
  plan: ImportPlan,
  outcome: { removed: number; pruned: boolean; dir: string },
  language: Language,
): string[] {
  const say = kbMessages(language);
  const lines = [say.summary(importCounts(result, plan, outcome.removed))];
  for (const skip of result.skipped) {
    lines.push(say.skipped(say.where(skip.source, skip.row), say.reason(skip.reason, skip.detail)));
  }
  if (!outcome.pruned && plan.stale.length > 0) {
    lines.push(say.stale(plan.stale.length, outcome.dir, listIds(plan.stale)));
  }
  return lines;
}

const isErrorCode = (code: string): code is ErrorCode => (ERROR_CODES as string[]).includes(code);

/** The final counts, then each failure with its code and the operator's fix. */
export function indexSummaryLines(
  progress: IndexProgress,
  outcome: { timedOut: boolean; timeoutSeconds: number },
  language: Language,
): string[] {
  const say = kbMessages(language);
  const lines = [say.indexed(progress.ready.length, progress.failed.length)];
  for (const failure of progress.failed) {
    lines.push(`  ✗ ${failure.id}: ${failure.message || failure.code} [${failure.code}]`);
    // The backend stores the English hint; a known code has the team's language's too.
    const fix = isErrorCode(failure.code) ? hintFor(failure.code, language) : failure.hint;
    if (fix) lines.push(`      ${say.fix} ${fix}`);
  }
  if (outcome.timedOut) {
    const pending = [...progress.indexing, ...progress.waiting];
    lines.push(say.gaveUp(outcome.timeoutSeconds, pending.length, listIds(pending)));
  }
  return lines;
}
