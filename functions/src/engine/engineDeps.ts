import type { Language } from "../core/language";
import type { Firestore } from "firebase-admin/firestore";
import type { Env } from "../config/envValues";
import { settingsLanguage } from "../config/workspaceAiSettings";
import { asGenerationError, GenerationError } from "../core/errorCodes";
import { paths } from "../core/paths";
import { loadProviderRuntime, ProviderRuntime } from "../providers/providerRuntime";
import type { Placement, TaskRunResult } from "./executor";

/** Kept free at the end of the function's time to write the outcome. */
export const OUTCOME_WRITE_RESERVE_MS = 15_000;

/**
 * What is done once a run's result has ended, wherever it ran (a request mirroring the
 * suggestion it asked for): `data` is stored with a queued job, and the bridge finds `carryOut` again
 * by `data.kind` in the task registry.
 */
export interface FollowUp {
  data: { kind: string } & Record<string, unknown>;
  /**
   * What the follow-up's own document shows while the result is made (a request `generating`),
   * written in the commit that claims the result: one claim guards both documents.
   */
  shows?: DocumentShows;
  carryOut(db: Firestore, data: Record<string, unknown>, result: TaskRunResult): Promise<void>;
}

export interface DocumentShows {
  path: string;
  fields: Record<string, unknown>;
}

export interface EngineDeps {
  db: Firestore;
  env?: Env;
  /** When this invocation started; the deadline counts from here. */
  startedAt?: number;
  /**
   * The timeout of the function running this (core/functionTimeouts.ts), or of the one that
   * queued the job: every attempt, wait and the outcome write are planned inside it.
   */
  timeoutMs: number;
  /** The result is no longer wanted: the model call in flight is closed. */
  signal?: AbortSignal;
  /** Where runs are carried out: given by the edge (a trigger, the bridge, the sweep). */
  placement: Placement;
  followUp?: FollowUp;
}

/** When a run must have ended: the function's end, less the time to record how it ended. */
export function runDeadline(deps: EngineDeps): number {
  return (deps.startedAt ?? Date.now()) + deps.timeoutMs - OUTCOME_WRITE_RESERVE_MS;
}

export function loadRuntime(env: Env, placement: Placement): ProviderRuntime | GenerationError {
  try {
    return loadProviderRuntime(env, placement.runtime);
  } catch (err) {
    return asGenerationError(err);
  }
}

export async function readWorkspaceLanguage(db: Firestore, workspaceId: string): Promise<Language> {
  return settingsLanguage((await db.doc(paths.aiSettings(workspaceId)).get()).data());
}
