import type { ResultWrite } from "./resultDocument";

/** Where a task's result lives and what it belongs to. */
export interface ResultTarget {
  workspaceId: string;
  /**
   * The result document. Its id is the job's natural key (the message id for a suggestion), so
   * a redelivered event finds the claim of the first delivery.
   */
  path: string;
  /** Written once, when the document is created: what the result belongs to. */
  identity: ResultWrite;
  /** Ids for logs and `npm run dev`'s lines; never text. */
  logFields: Record<string, string>;
  /**
   * How the claim treats the document: `new` (default) creates it, and an existing one is a
   * duplicate unless its claim went stale; `request` claims a document the client created (no
   * status yet) once; `regenerate` generates a finished result again, once per request id.
   */
  claim?: { mode: "new" } | { mode: "request" } | { mode: "regenerate"; requestId: string };
  /** Nest this task's metrics under `byTask.{key}` instead of the suggestions' top level. */
  metricsKey?: string;
  /**
   * The conversation it belongs to (`workspaceId/conversationId`): its model calls stay on the
   * LM Studio server that holds the conversation's cache (ProviderPool.pick).
   */
  affinity?: string;
}
