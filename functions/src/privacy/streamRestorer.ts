import { couldBecomePlaceholder, LONGEST_PLACEHOLDER } from "./placeholders";

/*
 * Restoring an answer while it streams. Each chunk's text is shown at once, except a tail that
 * could still become a placeholder (`… llamá al [TELÉ`): that waits for the next chunk, and is
 * never longer than a placeholder, so ordinary text is held for a chunk at most. Whatever the
 * chunks, what is shown adds up to restoring the whole answer at once.
 */

export interface RestoringStream {
  /** The text that can be shown now, restored. */
  push(chunk: string): string;
  /** The rest, when the answer is complete. */
  end(): string;
  /** Placeholders so far that stood for nothing (shown as `___`). */
  readonly unresolved: number;
}

/** Restores `text`, given the text shown before it. */
export type RestoreAfter = (text: string, context: string) => { text: string; unresolved: number };

/**
 * Where the tail that must wait starts: its `[` or the first letter of a word. Text that ends
 * with `]` ends any placeholder in it: nothing waits, so a placeholder shows as soon as it closes.
 */
function heldFrom(text: string, shownBefore: string): number {
  if (text.endsWith("]")) return text.length;
  for (let i = Math.max(0, text.length - LONGEST_PLACEHOLDER); i < text.length; i++) {
    const previous = i > 0 ? text[i - 1] : shownBefore.slice(-1);
    const startsWord = /\p{L}/u.test(text[i]) && !/[\p{L}\p{N}_]/u.test(previous);
    if ((text[i] === "[" || startsWord) && couldBecomePlaceholder(text.slice(i))) return i;
  }
  return text.length;
}

export function createRestoringStream(restoreAfter: RestoreAfter): RestoringStream {
  let pending = "";
  // The last raw character shown: a placeholder without brackets must start a word.
  let shownBefore = "";
  let unresolved = 0;
  const release = (upTo: number): string => {
    const ready = pending.slice(0, upTo);
    pending = pending.slice(upTo);
    if (ready.length === 0) return "";
    const restored = restoreAfter(ready, shownBefore);
    shownBefore = ready.slice(-1);
    unresolved += restored.unresolved;
    return restored.text;
  };
  return {
    push(chunk) {
      pending += chunk;
      return release(heldFrom(pending, shownBefore));
    },
    end() {
      return release(pending.length);
    },
    get unresolved() {
      return unresolved;
    },
  };
}
