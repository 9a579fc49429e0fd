import type { GenerationError } from "../core/errorCodes";

/** How indexing one article ended (tasks/knowledgeIndex), as the commands report it. */
export type IndexResult =
  | { kind: "removed"; deleted: number }
  | { kind: "unchanged" }
  /** The article changed while this run worked: the newer event indexes it. */
  | { kind: "superseded" }
  | { kind: "indexed"; chunks: number; embedded: number; written: number; deleted: number }
  | { kind: "failed"; error: GenerationError };
