/**
 * Moves transactional-outbox rows (written by MetadataStore.commit with the metadata) into the JobQueue
 * and acknowledges them. Backend-neutral: any MetadataStore, any JobQueue.
 *
 * Delivery is at-least-once towards the queue and exactly-once per key in it: a row is acknowledged only
 * after its enqueue succeeded, and it is enqueued with the row's key as the idempotency key, so a crash or
 * a queue outage between enqueue and ack re-sends the row later and the queue drops the repeat. (MinLog
 * registration and BRS follow-up therefore never happen twice for one outbox key.) Rows go out in `seq`
 * order; a failing enqueue stops the pass so later rows never overtake it.
 */
import type { JobQueue, MetadataStore } from './ports.js';

export interface OutboxDispatcherOptions {
  /** rows read per pass (default 100). */
  batchSize?: number;
  /** pause between passes when the outbox is empty (default 500 ms). */
  idleMs?: number;
  /** first pause after a failure; doubles up to maxBackoffMs (default 200 ms, 10 s). */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** told about each failed pass (the dispatcher keeps going). */
  onError?: (error: unknown) => void;
}

export class OutboxDispatcher {
  private readonly batchSize: number;
  private readonly idleMs: number;
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
    this.backoffMs = options.backoffMs ?? 200;
    this.maxBackoffMs = options.maxBackoffMs ?? 10_000;
    this.onError = options.onError ?? (() => undefined);
  }

  /**
   * One pass: reads up to batchSize pending rows, enqueues them in order and acknowledges those that were
   * enqueued (also when a later one fails, which is then rethrown). Returns how many were dispatched.
   */
  async dispatchOnce(): Promise<number> {
    const rows = await this.store.readOutbox(this.batchSize);
    const done: number[] = [];
    try {
      for (const row of rows) {
        await this.queue.enqueue(row.queue, row.payload, { key: row.key });
        done.push(row.seq);
      }
    } finally {
      if (done.length) await this.store.ackOutbox(done);
    }
    return done.length;
  }

  /** Starts dispatching in the background until stop(). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Makes a sleeping dispatcher look at the outbox now (e.g. right after a commit). */
  notify(): void {
    this.wake?.();
  }

  /** Stops after the current pass (graceful shutdown: call before closing the store and the queue). */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
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
