/**
 * Moves transactional-outbox rows (written by MetadataStore.commit with the metadata) into the JobQueue
 * and acknowledges them. Backend-neutral: any MetadataStore, any JobQueue.
 *
 * Delivery is at-least-once towards the queue and exactly-once per key in it: a pass hands its rows to the
 * queue in one `enqueueMany` (one write transaction / one pipeline instead of one per row) and acknowledges
 * them with one `ackOutbox` only after that succeeded. Every row carries its key as the idempotency key, so
 * a crash or a queue outage between enqueue and ack — or a batch that failed half-way — re-sends the rows
 * of that pass later and the queue drops the ones it already has. (MinLog registration and BRS follow-up
 * therefore never happen twice for one outbox key.) Rows go out in `seq` order: `enqueueMany` keeps array
 * order per queue, and a failed pass acknowledges nothing, so the next pass starts again at its first row
 * and later rows never overtake it.
 */
import type { JobQueue, MetadataStore } from './ports.js';

export interface OutboxDispatcherOptions {
  /** rows read per pass (default 100). */
  batchSize?: number;
  /** pause between passes when the outbox is empty (default 500 ms). */
  idleMs?: number;
  /**
   * How long a sleeping dispatcher waits after notify() before its pass (default 20 ms; 0 = at once), so one
   * pass carries the accesses of many reads: each pass costs an enqueue batch and an ack write whatever its
   * size, which per read was a sixth of the hub's CPU on the DGWS read path (issue #3). MinLog and BRS are
   * not on the read's critical path; the rows are durable in the outbox meanwhile.
   */
  lingerMs?: number;
  /** first pause after a failure; doubles up to maxBackoffMs (default 200 ms, 10 s). */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** told about each failed pass (the dispatcher keeps going). */
  onError?: (error: unknown) => void;
}

export class OutboxDispatcher {
  private readonly batchSize: number;
  private readonly idleMs: number;
  private readonly lingerMs: number;
  private lingering?: NodeJS.Timeout;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly onError: (error: unknown) => void;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly store: MetadataStore,
    private readonly queue: JobQueue,
    options: OutboxDispatcherOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 100;
    this.idleMs = options.idleMs ?? 500;
    this.lingerMs = options.lingerMs ?? 20;
    this.backoffMs = options.backoffMs ?? 200;
    this.maxBackoffMs = options.maxBackoffMs ?? 10_000;
    this.onError = options.onError ?? (() => undefined);
  }

  /**
   * One pass: reads up to batchSize pending rows, enqueues them in order with one `enqueueMany` and then
   * acknowledges them all with one `ackOutbox`. When the enqueue fails nothing is acknowledged and the error
   * is rethrown: the next pass re-sends the same rows, and the queue drops those that already got in.
   * Returns how many were dispatched.
   */
  async dispatchOnce(): Promise<number> {
    const rows = await this.store.readOutbox(this.batchSize);
    if (rows.length === 0) return 0;
    await this.queue.enqueueMany(rows.map((row) => ({ queue: row.queue, payload: row.payload, key: row.key })));
    await this.store.ackOutbox(rows.map((row) => row.seq));
    return rows.length;
  }

  /** Starts dispatching in the background until stop(). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Makes a sleeping dispatcher look at the outbox within lingerMs (e.g. right after a commit). */
  notify(): void {
    if (!this.wake || this.lingering) return;
    if (this.lingerMs <= 0) {
      this.wake();
      return;
    }
    this.lingering = setTimeout(() => {
      this.lingering = undefined;
      this.wake?.();
    }, this.lingerMs);
  }

  /** Stops after the current pass (graceful shutdown: call before closing the store and the queue). */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearTimeout(this.lingering);
    this.lingering = undefined;
    this.wake?.();
    await this.loop;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(this.timer);
        this.wake = undefined;
        resolve();
      };
      this.wake = done;
      this.timer = setTimeout(done, ms);
    });
  }

  private async run(): Promise<void> {
    let backoff = this.backoffMs;
    while (this.running) {
      try {
        const n = await this.dispatchOnce();
        backoff = this.backoffMs;
        if (n < this.batchSize && this.running) await this.sleep(this.idleMs);
      } catch (err) {
        this.onError(err);
        if (this.running) await this.sleep(backoff);
        backoff = Math.min(backoff * 2, this.maxBackoffMs);
      }
    }
  }
}
