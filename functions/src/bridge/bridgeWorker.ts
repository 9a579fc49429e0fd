import { setTimeout as delay } from "node:timers/promises";
import { FieldValue, Firestore, QueryDocumentSnapshot, Timestamp } from "firebase-admin/firestore";
import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import type { Env } from "../config/envValues";
import { parseRuntimeConfig, RuntimeConfig } from "../config/runtimeConfig";
import type { ErrorCode } from "../core/errorCodes";
import { paths } from "../core/paths";
import type { LlmJob } from "../queue/jobQueue";
import { probeProviders } from "../health/probeProviders";
import { log } from "../observability/log";
import { isHeld, takeJob } from "../queue/jobQueue";
import { QueuedJobResult, runQueuedJob } from "./runQueuedJob";
import { BridgePeer, leaveToHomeMs } from "./bridgeAffinity";

/*
 * The bridge: runs beside LM Studio on the office PC, dials out to Firestore, and runs the
 * queued jobs there with the same engine as the triggers. Nothing on the PC listens for the
 * internet. Several bridges share the queue, each within its own LM Studio's concurrency.
 */

export interface JobReport {
  jobId: string;
  task: string;
  run: number;
  result?: QueuedJobResult;
  error?: unknown;
  ms: number;
}

/** A lease lasts three heartbeats: one missed beat is not a death. */
export const LEASE_HEARTBEATS = 3;

/** The LM Studio beside a bridge: it answers with a language model, or why not. */
export type LmStudioState = { ready: true } | { ready: false; code: ErrorCode; message: string };

/** The message of a server that answers but lists no language model (no error to classify). */
export const NO_LANGUAGE_MODEL = "LM Studio lists no language model.";

export class BridgeWorker {
  readonly bridgeId: string;
  private readonly config: RuntimeConfig;
  private readonly inFlight = new Map<
    string,
    { runNumber: number; abort: AbortController; done: Promise<void> }
  >();
  private timers: NodeJS.Timeout[] = [];
  private unsubscribe: () => void = () => undefined;
  private stopped = false;
  private models: { id: string; state: string; type?: string }[] = [];
  /**
   * Whether the LM Studio beside this bridge answers with a language model. Until it does, the
   * bridge takes no job: another bridge may answer it, or the sweep ends it.
   */
  private lmStudio: LmStudioState = {
    ready: false,
    code: "provider_unreachable",
    message: "LM Studio has not been asked yet.",
  };
  /** The queue as last seen: looked at again whenever a slot frees. */
  private queued: QueryDocumentSnapshot[] = [];
  /**
   * Runs another bridge won (`jobId#run`): the queue as last seen still shows them queued until
   * the next snapshot, and trying them again would keep this bridge from the jobs nobody holds.
   */
  private lost = new Set<string>();
  private beats = 0;
  /** The bridges' presence as last seen: where each conversation's home is. */
  private peers: BridgePeer[] = [];
  private stopWatchingPeers: () => void = () => undefined;
  /** One look again when the first job left to its home bridge is this bridge's to take. */
  private recheck: NodeJS.Timeout | undefined;
  private recheckAt = 0;

  constructor(
    private readonly db: Firestore,
    private readonly env: Env,
    private readonly onJob: (report: JobReport) => void = () => undefined,
    bridgeId?: string,
    /** Told when LM Studio starts or stops answering (and once at start). */
    private readonly onLmStudio: (state: LmStudioState) => void = () => undefined,
  ) {
    this.config = parseRuntimeConfig(env);
    this.bridgeId = bridgeId ?? `${hostname()}-${randomUUID().slice(0, 6)}`;
  }

  private get leaseMs(): number {
    return this.config.bridge.heartbeatMs * LEASE_HEARTBEATS;
  }

  /** Presence first, then work: new jobs as they are queued, expired leases on every beat. */
  async start(): Promise<void> {
    await this.beat();
    this.timers.push(setInterval(() => void this.beat(), this.config.bridge.heartbeatMs));
    this.unsubscribe = this.db
      .collection(paths.llmJobs())
      .where("status", "==", "queued")
      .onSnapshot(
        (snapshot) => {
          this.queued = snapshot.docs;
          const present = new Set(snapshot.docs.map((d) => d.id));
          for (const key of this.lost) if (!present.has(key.split("#")[0])) this.lost.delete(key);
          this.lookForWork(this.queued);
        },
        (err) => log.error("bridge: watching the queue failed", { error: String(err) }),
      );
    this.stopWatchingPeers = this.db.collection(paths.bridges()).onSnapshot(
      (snapshot) => {
        this.peers = snapshot.docs.map((doc) => presenceOf(doc));
        // A home that stopped or fell silent hands its conversations over now, not after the grace.
        this.lookForWork(this.queued);
      },
      (err) => log.warn("bridge: watching the other bridges failed", { error: String(err) }),
    );
  }

  /** What the last look at the local LM Studio found. */
  get lmStudioState(): LmStudioState {
    return this.lmStudio;
  }

  private lookForWork(docs: QueryDocumentSnapshot[]): void {
    if (!this.lmStudio.ready) return;
    for (const doc of docs) {
      if (this.stopped || this.inFlight.size >= this.config.concurrency) return;
      if (this.inFlight.has(doc.id)) continue;
      const job = doc.data() as LlmJob;
      if (job.status === "done" || isHeld(job.status, job.leaseUntil)) continue;
      if (this.lost.has(`${doc.id}#${(job.runs ?? 0) + 1}`)) continue;
      if (job.status === "queued") {
        const queuedAtMs = job.createdAt instanceof Timestamp ? job.createdAt.toMillis() : 0;
        const wait = leaveToHomeMs(
          { affinity: job.affinity, queuedAtMs },
          this.bridgeId,
          this.peers,
          Date.now(),
          this.config.bridge.homeGraceMs,
        );
        if (wait > 0) {
          this.lookAgainIn(wait);
          continue;
        }
      }
      this.take(doc.id, job);
    }
  }

  /** The soonest of the looks asked for wins: a later one would hold the earlier job up. */
  private lookAgainIn(ms: number): void {
    const at = Date.now() + ms;
    if (this.recheck && this.recheckAt <= at) return;
    clearTimeout(this.recheck);
    this.recheckAt = at;
    this.recheck = setTimeout(() => {
      this.recheck = undefined;
      this.lookForWork(this.queued);
    }, ms);
  }

  private take(jobId: string, job: LlmJob): void {
    const abort = new AbortController();
    const slot = { runNumber: 0, abort, done: Promise.resolve() };
    // The slot is held from here, so one snapshot cannot start the same job twice.
    this.inFlight.set(jobId, slot);
    slot.done = (async () => {
      const started = Date.now();
      try {
        const runNumber = await takeJob(this.db, jobId, job, this.bridgeId, this.leaseMs);
        if (runNumber === undefined) {
          this.lost.add(`${jobId}#${(job.runs ?? 0) + 1}`);
          return;
        }
        slot.runNumber = runNumber;
        const result = await runQueuedJob(this.db, jobId, job, {
          env: this.env,
          signal: abort.signal,
        });
        this.onJob({ jobId, task: job.task, run: runNumber, result, ms: Date.now() - started });
      } catch (error) {
        // The lease runs out and another run (here or on another bridge) takes the job over.
        log.error("bridge: job failed", { jobId, error: String(error) });
        this.onJob({ jobId, task: job.task, run: slot.runNumber, error, ms: Date.now() - started });
      } finally {
        this.inFlight.delete(jobId);
        // A slot is free: queued jobs the last snapshot showed may still be waiting.
        this.lookForWork(this.queued);
      }
    })();
  }

  /** Presence, lease renewals, and a look for jobs whose bridge stopped beating. */
  private async beat(): Promise<void> {
    if (this.stopped) return;
    this.beats += 1;
    try {
      // Every sixth beat, or every beat while LM Studio does not answer (to take jobs soon).
      if (this.beats === 1 || this.beats % 6 === 0 || !this.lmStudio.ready) {
        await this.refreshModels();
      }
      const renewals = [...this.inFlight].map(async ([jobId, slot]) => {
        if (slot.runNumber === 0) return;
        const job = (await this.db.doc(paths.llmJob(jobId)).get()).data() as LlmJob | undefined;
        if (job?.runs !== slot.runNumber) {
          // Someone took the job over: this run's answer would be a second one.
          slot.abort.abort();
          return;
        }
        await this.db
          .doc(paths.llmJob(jobId))
          .update({ leaseUntil: new Date(Date.now() + this.leaseMs) });
      });
      await Promise.all([
        ...renewals,
        this.db.doc(paths.bridge(this.bridgeId)).set({
          bridgeId: this.bridgeId,
          host: hostname(),
          lastSeen: FieldValue.serverTimestamp(),
          heartbeatMs: this.config.bridge.heartbeatMs,
          inFlight: this.inFlight.size,
          concurrency: this.config.concurrency,
          models: this.models,
          lmStudio: this.lmStudio,
          stoppedAt: null,
        }),
      ]);
      const expired = await this.db
        .collection(paths.llmJobs())
        .where("status", "==", "running")
        .where("leaseUntil", "<", new Date())
        .get();
      this.lookForWork([...expired.docs, ...this.queued]);
    } catch (err) {
      log.warn("bridge: heartbeat failed", { error: String(err) });
    }
  }

  /**
   * What the local LM Studio has loaded, for the presence document and the health endpoint, and
   * whether it answers at all: the bridge takes jobs only while it does.
   */
  private async refreshModels(): Promise<void> {
    const probe = await probeProviders(this.config);
    this.models = probe.lmStudio.servers.flatMap((s) =>
      // The type too (llm, embeddings): the console and health show it beside each model.
      s.models.map((m) => ({ id: m.id, state: m.state, ...(m.type ? { type: m.type } : {}) })),
    );
    const failure = probe.lmStudio.servers.find((s) => s.error)?.error;
    const now: LmStudioState =
      probe.lmStudio.status === "healthy"
        ? { ready: true }
        : {
            ready: false,
            code: failure?.code ?? "provider_unreachable",
            message: failure?.message ?? NO_LANGUAGE_MODEL,
          };
    const changed = now.ready !== this.lmStudio.ready || this.beats === 1;
    this.lmStudio = now;
    if (changed) this.onLmStudio(now);
    if (now.ready && changed) this.lookForWork(this.queued);
  }

  /** Stops taking jobs; waits up to `graceMs` for those in flight (the rest are taken over). */
  async stop(graceMs = 5_000): Promise<void> {
    this.stopped = true;
    this.unsubscribe();
    this.stopWatchingPeers();
    clearTimeout(this.recheck);
    this.timers.forEach(clearInterval);
    // The grace is a bound on waiting for the jobs, cancelled as soon as they have ended.
    const graceOver = new AbortController();
    await Promise.race([
      Promise.allSettled([...this.inFlight.values()].map((s) => s.done)),
      delay(graceMs, undefined, { signal: graceOver.signal }).catch(() => undefined),
    ]);
    graceOver.abort();
    await this.db
      .doc(paths.bridge(this.bridgeId))
      .update({ stoppedAt: FieldValue.serverTimestamp(), inFlight: this.inFlight.size })
      .catch(() => undefined);
  }
}

/** A bridge's presence document as the home rule reads it. */
function presenceOf(doc: QueryDocumentSnapshot): BridgePeer {
  const data = doc.data();
  const num = (v: unknown, fallback: number) => (typeof v === "number" ? v : fallback);
  return {
    bridgeId: doc.id,
    lastSeenMs: data.lastSeen instanceof Timestamp ? data.lastSeen.toMillis() : 0,
    heartbeatMs: num(data.heartbeatMs, 10_000),
    stopped: Boolean(data.stoppedAt),
    ready: (data.lmStudio as { ready?: boolean } | undefined)?.ready !== false,
    inFlight: num(data.inFlight, 0),
    concurrency: num(data.concurrency, 1),
  };
}
