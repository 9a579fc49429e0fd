import { DocumentReference, FieldValue } from "firebase-admin/firestore";
import { log } from "../observability/log";

/**
 * Writes a streaming answer into its result document: `status: "streaming"` with the visible
 * text so far, at most once per `flushMs` and at least once in each such interval while text
 * arrives (the first text at once). One document takes about one sustained write a second, and
 * an agent reads a few words at a time anyway.
 *
 * `text` only ever holds the running attempt's text: when a retry or fallback begins after text
 * was shown, the next write clears it. Writes go one at a time, in order; close() waits for the
 * last one, so no streaming write can land after the terminal outcome. A failed streaming write
 * is logged, not fatal: the terminal write is what counts.
 */
export class StreamWriter {
  private pending: string | undefined;
  private shown = false;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  private lastWriteAt = 0;
  private queue: Promise<void> = Promise.resolve();
  /** When the first visible text arrived (epoch ms). */
  firstTextAt: number | undefined;

  constructor(
    private readonly ref: DocumentReference,
    private readonly flushMs: number,
    private readonly logFields: Record<string, string>,
  ) {}

  /** The running attempt's visible text so far. */
  text(visibleSoFar: string): void {
    if (this.closed) return;
    this.firstTextAt ??= Date.now();
    this.pending = visibleSoFar;
    if (this.timer) return;
    const wait = Math.max(this.lastWriteAt + this.flushMs - Date.now(), 0);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, wait);
  }

  /** A new attempt begins: text of a failed one must not stay on screen. */
  newAttempt(): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = undefined;
    if (!this.shown) return;
    this.shown = false;
    this.enqueue({ status: "generating", text: FieldValue.delete() });
  }

  /** No more streaming writes; resolves once the last one has landed. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.queue;
  }

  private flush(): void {
    if (this.closed || this.pending === undefined) return;
    const text = this.pending;
    this.pending = undefined;
    this.lastWriteAt = Date.now();
    this.shown = true;
    this.enqueue({ status: "streaming", text });
  }

  private enqueue(fields: Record<string, unknown>): void {
    this.queue = this.queue
      .then(async () => {
        await this.ref.update({ ...fields, updatedAt: FieldValue.serverTimestamp() });
      })
      .catch((err) =>
        log.warn("streaming write failed", { ...this.logFields, error: String(err) }),
      );
  }
}
