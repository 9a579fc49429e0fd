import { createHash } from "node:crypto";
import type { ReferenceNote } from "../../contract/documents";
import { referenceBlock } from "../../retrieval/knowledgePrompt";
import type { NearChunk } from "../../retrieval/selectReferences";

/*
 * Knowledge references that stay where they were sent. Each customer message retrieves its own
 * references, and they follow its words as a team note. Were a note dropped once its message is
 * no longer the newest, the next prompt would differ from the previous one right there and LM
 * Studio would re-read everything after it. So, inside one history window, a message's note
 * stays after its words, byte for byte, and a later note cites by number a reference an earlier
 * one gave in full. When the window moves, or the notes no longer fit the character budget, the
 * prompt is re-read anyway: the notes start over, with only the newest message's.
 */

/** A chunk's identity in notes: its article, its place, and its text (an edited chunk is new). */
export function referenceKey(ref: NearChunk): string {
  const digest = createHash("sha256").update(ref.text).digest("hex").slice(0, 10);
  return `${ref.articleId}#${ref.position}#${digest}`;
}

/**
 * The note for the newest customer message: a reference an `earlier` note of the prompt gave is
 * cited by its number, the others are given in full, numbered after the earlier ones.
 */
export function referenceNote(
  references: NearChunk[],
  earlier: readonly ReferenceNote[],
): ReferenceNote | undefined {
  if (references.length === 0) return undefined;
  const given = new Map(earlier.flatMap((note) => note.refs.map((r) => [r.key, r.n] as const)));
  let next = Math.max(0, ...given.values()) + 1;
  const refs: ReferenceNote["refs"] = [];
  const entries = references.map((reference) => {
    const key = referenceKey(reference);
    const n = given.get(key);
    if (n !== undefined) return { n, reference, givenAbove: true };
    refs.push({ key, n: next });
    given.set(key, next);
    return { n: next++, reference, givenAbove: false };
  });
  return { text: `Reference articles for this reply:\n${referenceBlock(entries)}`, refs };
}
