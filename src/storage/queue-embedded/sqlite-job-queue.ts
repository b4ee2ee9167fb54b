/**
 * Durable JobQueue on SQLite (the embedded default for `queue:embedded`), used by the audit/MinLog outbox
 * dispatcher and BRS follow-ups (architecture.md "Hooks").
 *
 * Own database file (default `<dataDir>/queue.db`), not the registry's: workers poll and write leases all the
 * time, and SQLite allows one writer per file, so sharing it would put queue bookkeeping in the way of
 * registry commits. Atomicity with the metadata is not needed here: the transactional outbox of the
 * MetadataStore carries messages durably until the dispatcher has enqueued them, and enqueue is idempotent.
 *
 * Semantics:
 * - enqueue: one job per (queue, key) (a repeated key is ignored, also after completion, until the completed
 *   job is purged after `completedRetentionMs`); enqueueMany inserts a whole batch in one transaction;
 * - workers claim the oldest due job with an atomic UPDATE … RETURNING, holding a lease that a heartbeat
 *   renews while the handler runs. A job whose lease ran out (its process died) is claimed again;
 * - a failure is retried after min(backoffMaxMs, backoffBaseMs · 2^(attempts-1)); after maxAttempts the job
 *   is failed (dead letter) and kept with its last error;
 * - close(): stop claiming, wait for the running handlers, record their outcomes, close the file.
 *
 * Write transactions are what a job costs here (each commit is a WAL append, and SQLite serialises
 * them), so the bookkeeping is batched: all pump requests of one event-loop turn (finished jobs, enqueues,
 * poll ticks, of every queue) are served by ONE transaction that records the completions of the jobs
 * finished since the last one and claims jobs for every free worker slot. A completion therefore reaches
 * the file one turn after its handler returned (until then its lease keeps other instances off the job; a
 * process killed in between runs the job again after the lease, which at-least-once allows). counts(),
 * deadLetters() and close() record pending completions first. Failures (retry / dead letter) and heartbeat
 * renewals are rare and stay single statements.
 */
import type Database from 'better-sqlite3';
import type { EnqueueItem, EnqueueOptions, Job, JobHandler, JobQueue } from '../ports.js';
import { openWalDatabase } from '../sqlite/wal-database.js';

export interface EmbeddedJobQueueOptions {
  /** how often idle workers look for due jobs (default 250 ms). */
  pollIntervalMs?: number;
  /** lease of a running job, renewed every third of it (default 30 s). */
  leaseMs?: number;
  /** first retry delay (default 1 s), doubled per attempt up to backoffMaxMs (default 5 min). */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** where worker-internal errors go (default: console.error). */
  onError?: (err: unknown) => void;
  /**
   * How long completed jobs are kept (default 7 days): within this window their idempotency key still
   * turns a repeated enqueue into a no-op; older completed jobs are purged. Dead letters are kept.
   */
  completedRetentionMs?: number;
  /** time source in ms (tests). */
  now?: () => number;
}

const PURGE_INTERVAL_MS = 60_000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS jobs (
  id          INTEGER PRIMARY KEY,
  queue       TEXT NOT NULL,
  key         TEXT NOT NULL,
  payload     TEXT NOT NULL,
  state       TEXT NOT NULL CHECK (state IN ('waiting', 'active', 'completed', 'failed')),
  attempts    INTEGER NOT NULL DEFAULT 0,
  run_at      INTEGER NOT NULL,
  lease_until INTEGER,
  last_error  TEXT,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  UNIQUE (queue, key)
);
CREATE INDEX IF NOT EXISTS jobs_due ON jobs (queue, state, run_at);
CREATE INDEX IF NOT EXISTS jobs_lease ON jobs (queue, state, lease_until);
CREATE INDEX IF NOT EXISTS jobs_done ON jobs (updated_at) WHERE state = 'completed';
`;

interface JobRow {
  id: number;
  queue: string;
  key: string;
  payload: string;
  attempts: number;
  last_error?: string | null;
}

function toJob<T>(row: JobRow): Job<T> & { lastError?: string } {
  const job: Job<T> & { lastError?: string } = {
    id: String(row.id),
    queue: row.queue,
    key: row.key,
    payload: JSON.parse(row.payload) as T,
    attempts: row.attempts,
  };
  if (row.last_error) job.lastError = row.last_error;
  return job;
}

/** A finished job whose completion is not written yet (the token guards against a re-claimed job). */
interface Completion {
  id: number;
  attempts: number;
  now: number;
}

class Worker {
  readonly running = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  stopped = false;

  constructor(
    readonly queue: string,
    private readonly concurrency: number,
    readonly maxAttempts: number,
    private readonly owner: SqliteJobQueue,
    private readonly handler: JobHandler<unknown>,
  ) {}

  /** Slots a pump may fill now. */
  get free(): number {
    return this.stopped ? 0 : this.concurrency - this.running.size;
  }

  /** Runs a job claimed for this worker; when it ends the owner is asked for the next pump. */
  start(row: JobRow): void {
    const run = this.owner.execute(row, this.handler, this.maxAttempts).finally(() => {
      this.running.delete(run);
      this.owner.requestPump(this);
    });
    this.running.add(run);
  }

  /** Idle workers look for due jobs (delays, retries, expired leases, other processes' enqueues) each poll. */
  schedulePoll(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.owner.requestPump(this), this.owner.pollIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}

export class SqliteJobQueue implements JobQueue {
  readonly pollIntervalMs: number;
  private readonly leaseMs: number;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  private readonly now: () => number;
  private readonly completedRetentionMs: number;
  private lastPurge = 0;
  private readonly onError: (err: unknown) => void;
  private readonly db: Database.Database;
  private readonly workers: Worker[] = [];
  private closing = false;
  /** workers that asked for a pump in this event-loop turn, served together by one setImmediate. */
  private readonly pumpRequests = new Set<Worker>();
  private pumpScheduled = false;
  private completions: Completion[] = [];
  private readonly pumpTx: Database.Transaction<(done: Completion[], workers: Worker[]) => [Worker, JobRow][]>;
  private readonly completeTx: Database.Transaction<(done: Completion[]) => void>;
  private readonly insertTx: Database.Transaction<(items: readonly EnqueueItem[], now: number) => void>;
  private readonly stmt: Record<
    'insert' | 'claim' | 'expire' | 'renew' | 'complete' | 'retry' | 'fail' | 'counts' | 'dead' | 'purge',
    Database.Statement
  >;

  constructor(file: string, options: EmbeddedJobQueueOptions = {}) {
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.backoffBaseMs = options.backoffBaseMs ?? 1_000;
    this.backoffMaxMs = options.backoffMaxMs ?? 300_000;
    this.now = options.now ?? Date.now;
    this.completedRetentionMs = options.completedRetentionMs ?? 7 * 24 * 3600_000;
    this.onError = options.onError ?? ((err) => console.error('[job-queue]', err));
    this.db = openWalDatabase(file, SCHEMA);
    const db = this.db;
    this.stmt = {
      insert: db.prepare(
        `INSERT OR IGNORE INTO jobs (queue, key, payload, state, run_at, created_at, updated_at)
         VALUES (@queue, @key, @payload, 'waiting', @runAt, @now, @now)`,
      ),
      claim: db.prepare(
        `UPDATE jobs SET state = 'active', attempts = attempts + 1, lease_until = @leaseUntil, updated_at = @now
         WHERE id = coalesce(
           (SELECT id FROM jobs WHERE queue = @queue AND state = 'active' AND lease_until < @now
            ORDER BY lease_until LIMIT 1),
           (SELECT id FROM jobs WHERE queue = @queue AND state = 'waiting' AND run_at <= @now
            ORDER BY run_at, id LIMIT 1))
         RETURNING id, queue, key, payload, attempts`,
      ),
      expire: db.prepare(
        `UPDATE jobs SET state = 'failed', lease_until = NULL, updated_at = @now,
           last_error = 'lease expired on the last attempt (worker stopped while running it)' WHERE id = @id`,
      ),
      renew: db.prepare(
        `UPDATE jobs SET lease_until = @leaseUntil WHERE id = @id AND state = 'active' AND attempts = @attempts`,
      ),
      complete: db.prepare(
        `UPDATE jobs SET state = 'completed', lease_until = NULL, last_error = NULL, updated_at = @now
         WHERE id = @id AND state = 'active' AND attempts = @attempts`,
      ),
      retry: db.prepare(
        `UPDATE jobs SET state = 'waiting', lease_until = NULL, run_at = @runAt, last_error = @error, updated_at = @now
         WHERE id = @id AND state = 'active' AND attempts = @attempts`,
      ),
      fail: db.prepare(
        `UPDATE jobs SET state = 'failed', lease_until = NULL, last_error = @error, updated_at = @now
         WHERE id = @id AND state = 'active' AND attempts = @attempts`,
      ),
      counts: db.prepare('SELECT state, count(*) AS n FROM jobs WHERE queue = ? GROUP BY state'),
      dead: db.prepare(
        `SELECT id, queue, key, payload, attempts, last_error FROM jobs WHERE queue = ? AND state = 'failed'
         ORDER BY updated_at DESC, id DESC LIMIT ?`,
      ),
      purge: db.prepare(`DELETE FROM jobs WHERE state = 'completed' AND updated_at < ?`),
    };
    this.completeTx = db.transaction((done: Completion[]) => this.recordCompletions(done));
    this.insertTx = db.transaction((items: readonly EnqueueItem[], now: number) => {
      for (const item of items) this.insert(item.queue, item.payload, item.key, item.delayMs, now);
    });
    this.pumpTx = db.transaction((done: Completion[], workers: Worker[]) => {
      this.recordCompletions(done);
      const claimed: [Worker, JobRow][] = [];
      if (workers.length) this.purgeCompleted();
      for (const w of workers) {
        for (let free = w.free; free > 0; free--) {
          const row = this.claimRow(w.queue, w.maxAttempts);
          if (!row) break;
          claimed.push([w, row]);
        }
      }
      return claimed;
    });
  }

  private insert(queue: string, payload: unknown, key: string, delayMs: number | undefined, now: number): void {
    this.stmt.insert.run({
      queue,
      key,
      payload: JSON.stringify(payload ?? null),
      runAt: now + Math.max(0, delayMs ?? 0),
      now,
    });
  }

  private recordCompletions(done: Completion[]): void {
    for (const c of done) this.stmt.complete.run(c);
  }

  private assertOpen(): void {
    if (this.closing) throw new Error('job queue is closed');
  }

  async enqueue<T>(queue: string, payload: T, options: EnqueueOptions): Promise<void> {
    this.assertOpen();
    if (!options?.key) throw new TypeError('enqueue needs an idempotency key');
    this.insert(queue, payload, options.key, options.delayMs, this.now());
    this.wakeWorkers(new Set([queue]));
  }

  /** One transaction for the whole batch; INSERT OR IGNORE drops known keys and repeats within it. */
  async enqueueMany(items: readonly EnqueueItem[]): Promise<void> {
    this.assertOpen();
    for (const item of items) if (!item?.key) throw new TypeError('enqueueMany: every item needs an idempotency key');
    if (items.length === 0) return;
    this.insertTx(items, this.now());
    this.wakeWorkers(new Set(items.map((item) => item.queue)));
  }

  private wakeWorkers(queues: Set<string>): void {
    for (const w of this.workers) if (queues.has(w.queue)) this.requestPump(w);
  }

  process<T>(queue: string, handler: JobHandler<T>, options: { concurrency?: number; maxAttempts?: number } = {}): void {
    this.assertOpen();
    const worker = new Worker(
      queue,
      Math.max(1, options.concurrency ?? 1),
      Math.max(1, options.maxAttempts ?? 5),
      this,
      handler as JobHandler<unknown>,
    );
    this.workers.push(worker);
    this.requestPump(worker);
  }

  /**
   * @internal asks for a pump of `worker`. Every request of this event-loop turn is served by the same
   * transaction (setImmediate runs after the turn's I/O callbacks, so a burst of finished jobs or enqueues
   * costs one commit).
   */
  requestPump(worker: Worker): void {
    if (worker.stopped) return;
    this.pumpRequests.add(worker);
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  /** Records pending completions and fills every free slot of the requesting workers, in one transaction. */
  private pump(): void {
    const workers = [...this.pumpRequests].filter((w) => !w.stopped);
    this.pumpRequests.clear();
    if (this.closing) return; // close() records the completions itself
    const done = this.completions;
    let claimed: [Worker, JobRow][] = [];
    if (done.length || workers.some((w) => w.free > 0)) {
      try {
        claimed = this.pumpTx(done, workers);
        // only after the commit: on a failed transaction the completions are kept for the next pump
        this.completions = this.completions.slice(done.length);
      } catch (err) {
        this.reportError(err);
      }
    }
    for (const [w, row] of claimed) w.start(row);
    for (const w of workers) w.schedulePoll();
  }

  /** Writes the completions not yet recorded (one transaction). */
  private flushCompletions(): void {
    const done = this.completions;
    if (!done.length) return;
    this.completeTx(done);
    this.completions = this.completions.slice(done.length);
  }

  /**
   * Claims the next due job of `queue` (inside the pump transaction). A job whose worker died during its
   * last allowed attempt is not run a further time: it becomes a dead letter and the next one is taken.
   */
  private claimRow(queue: string, maxAttempts: number): JobRow | undefined {
    for (;;) {
      const now = this.now();
      const row = this.stmt.claim.get({ queue, now, leaseUntil: now + this.leaseMs }) as JobRow | undefined;
      if (!row) return undefined;
      if (row.attempts > maxAttempts) {
        this.stmt.expire.run({ id: row.id, now });
        continue;
      }
      return row;
    }
  }

  /**
   * @internal runs one claimed job. Success is queued for the next pump transaction; a failure is recorded
   * at once. The payload is parsed here, so an unreadable one fails like a throwing handler (retries, then
   * dead letter) instead of breaking the shared claim transaction.
   */
  async execute(row: JobRow, handler: JobHandler<unknown>, maxAttempts: number): Promise<void> {
    const token = { id: row.id, attempts: row.attempts };
    const heartbeat = setInterval(() => {
      try {
        this.stmt.renew.run({ ...token, leaseUntil: this.now() + this.leaseMs });
      } catch (err) {
        this.reportError(err);
      }
    }, Math.max(10, Math.floor(this.leaseMs / 3)));
    heartbeat.unref();
    try {
      await Promise.resolve().then(() => handler(toJob(row)));
      clearInterval(heartbeat);
      this.completions.push({ ...token, now: this.now() });
    } catch (err) {
      clearInterval(heartbeat);
      const now = this.now();
      const error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      try {
        if (row.attempts >= maxAttempts) {
          this.stmt.fail.run({ ...token, now, error });
        } else {
          const delay = Math.min(this.backoffMaxMs, this.backoffBaseMs * 2 ** (row.attempts - 1));
          this.stmt.retry.run({ ...token, now, error, runAt: now + delay });
        }
      } catch (dbErr) {
        // the lease runs out and the job is claimed again (at-least-once)
        this.reportError(dbErr);
      }
    }
  }

  /** Removes completed jobs older than the retention, at most once a minute (called by the workers). */
  private purgeCompleted(): void {
    const now = this.now();
    if (now - this.lastPurge < PURGE_INTERVAL_MS) return;
    this.lastPurge = now;
    this.stmt.purge.run(now - this.completedRetentionMs);
  }

  /** @internal */
  reportError(err: unknown): void {
    this.onError(err);
  }

  async counts(queue: string): Promise<{ waiting: number; active: number; failed: number; completed: number }> {
    this.assertOpen();
    this.flushCompletions();
    const out = { waiting: 0, active: 0, failed: 0, completed: 0 };
    for (const r of this.stmt.counts.all(queue) as { state: keyof typeof out; n: number }[]) out[r.state] = r.n;
    return out;
  }

  async deadLetters(queue: string, limit = 100): Promise<Job[]> {
    this.assertOpen();
    this.flushCompletions();
    return (this.stmt.dead.all(queue, Math.max(0, Math.floor(limit))) as JobRow[]).map((r) => toJob(r));
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    for (const w of this.workers) w.stop();
    await Promise.allSettled(this.workers.flatMap((w) => [...w.running]));
    try {
      this.flushCompletions();
    } catch (err) {
      // not recorded: those jobs run again after their lease (at-least-once), nothing is lost
      this.reportError(err);
    }
    this.db.close();
  }
}
