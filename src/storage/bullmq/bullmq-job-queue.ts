/**
 * JobQueue on Redis with BullMQ: one BullMQ queue per concern (MinLog shipping, BRS follow-up,
 * notifications ...), exponential backoff between attempts, a dead-letter queue per concern, and
 * idempotent enqueue.
 *
 * - Idempotency: the BullMQ jobId is derived from the EnqueueOptions key, and BullMQ ignores an add whose
 *   jobId exists. Completed jobs are kept `completedRetentionSeconds` (default 24 h) so that a key
 *   re-enqueued after completion (an outbox row dispatched twice after a crash) is still recognised.
 * - Attempts: jobs are added with a generous BullMQ attempts ceiling; the worker decides. When a handler
 *   fails on its `maxAttempts`-th attempt the job is copied to `<queue>.dead-letter` (jobId = same key, so
 *   a crash between the two steps cannot duplicate it) and ended with UnrecoverableError, so BullMQ does
 *   not retry it. Earlier failures are retried after base·2^(attempt-1) ms.
 * - close(): workers first (they finish their active jobs), then queues, each closing its own connection.
 */
import { Queue, UnrecoverableError, Worker, type ConnectionOptions, type Job as BullJob, type JobsOptions } from 'bullmq';
import type { EnqueueItem, EnqueueOptions, Job, JobHandler, JobQueue } from '../ports.js';

export interface BullmqJobQueueOptions {
  /** ioredis options: host, port, db, username, password, tls. */
  connection: { host: string; port: number; db?: number; username?: string; password?: string; tls?: object };
  /** Redis key prefix (default 'xds'). */
  prefix?: string;
  /** maxAttempts when process() does not give one (default 5). */
  defaultMaxAttempts?: number;
  /** first retry delay; doubles each attempt (default 1000 ms). */
  backoffMs?: number;
  /** how long completed jobs (and so their idempotency keys) are kept (default 86 400 s). */
  completedRetentionSeconds?: number;
  /**
   * How long a worker's lock on an active job lasts (renewed at half-time while the handler runs) and how
   * often workers look for stalled jobs: a job whose worker died or lost Redis goes back to waiting after
   * about lock + interval (BullMQ defaults 30 s each).
   */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** called with worker / connection errors (they are retried by BullMQ; default: ignored). */
  onError?: (error: Error, queue: string) => void;
}

/** What one BullMQ job carries: the port's key and payload. */
interface JobData {
  key: string;
  payload: unknown;
}

interface DeadLetterData extends JobData {
  error: string;
  attempts: number;
  failedAt: string;
}

const ATTEMPTS_CEILING = 1000;
const DEAD_LETTER_SUFFIX = '.dead-letter';

/**
 * BullMQ forbids ':' in queue names and job ids and integer-looking job ids; the port allows any string.
 * Percent-encode '%' and ':' (reversible, readable) and prefix job ids with 'k-'.
 */
export function encodeName(name: string): string {
  return name.replace(/%/g, '%25').replace(/:/g, '%3A');
}
export function jobIdForKey(key: string): string {
  return `k-${encodeName(key)}`;
}

export class BullmqJobQueue implements JobQueue {
  private readonly queues = new Map<string, Queue>();
  private readonly workers: Worker[] = [];
  private readonly connection: ConnectionOptions;
  private readonly workerConnection: ConnectionOptions;
  private readonly prefix: string;
  private readonly defaultMaxAttempts: number;
  private readonly backoffMs: number;
  private readonly retention: number;
  private readonly onError: (error: Error, queue: string) => void;
  private readonly lockDurationMs?: number;
  private readonly stalledIntervalMs?: number;
  private closing = false;

  constructor(options: BullmqJobQueueOptions) {
    // Producers fail fast while Redis is unreachable (the outbox dispatcher then retries the rows later)
    // instead of queueing commands in memory; workers retry forever, as BullMQ requires.
    this.connection = { ...options.connection, maxRetriesPerRequest: 1, enableOfflineQueue: false };
    this.workerConnection = { ...options.connection, maxRetriesPerRequest: null };
    this.prefix = options.prefix ?? 'xds';
    this.defaultMaxAttempts = options.defaultMaxAttempts ?? 5;
    this.backoffMs = options.backoffMs ?? 1000;
    this.retention = options.completedRetentionSeconds ?? 86_400;
    this.onError = options.onError ?? (() => undefined);
    this.lockDurationMs = options.lockDurationMs;
    this.stalledIntervalMs = options.stalledIntervalMs;
  }

  private queue(name: string): Queue {
    if (this.closing) throw new Error('JobQueue is closed');
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(encodeName(name), { connection: this.connection, prefix: this.prefix });
      q.on('error', (err: Error) => this.onError(err, name));
      this.queues.set(name, q);
    }
    return q;
  }

  /** The options every job gets: the jobId from the key is what makes enqueue idempotent. */
  private jobOptions(key: string, delayMs: number | undefined): JobsOptions {
    return {
      jobId: jobIdForKey(key),
      delay: delayMs,
      attempts: ATTEMPTS_CEILING,
      backoff: { type: 'exponential', delay: this.backoffMs },
      removeOnComplete: { age: this.retention },
      removeOnFail: false,
    };
  }

  async enqueue<T>(queue: string, payload: T, options: EnqueueOptions): Promise<void> {
    if (!options?.key) throw new TypeError('enqueue needs an idempotency key');
    const data: JobData = { key: options.key, payload };
    await this.queue(queue).add(encodeName(queue), data, this.jobOptions(options.key, options.delayMs));
  }

  /**
   * One `addBulk` per queue (queues in order of first appearance), each a single pipeline to Redis that
   * adds the queue's items in array order. A key already in the queue, or repeated within the batch, is
   * dropped by BullMQ's jobId check exactly as in `enqueue`. Not atomic (a pipeline, not MULTI): when
   * Redis fails mid-way some items are in and the call throws; the caller re-sends the batch.
   */
  async enqueueMany(items: readonly EnqueueItem[]): Promise<void> {
    if (this.closing) throw new Error('JobQueue is closed');
    for (const item of items) if (!item.key) throw new TypeError('enqueueMany: every item needs an idempotency key');
    const byQueue = new Map<string, { name: string; data: JobData; opts: JobsOptions }[]>();
    for (const item of items) {
      let jobs = byQueue.get(item.queue);
      if (!jobs) byQueue.set(item.queue, (jobs = []));
      jobs.push({
        name: encodeName(item.queue),
        data: { key: item.key, payload: item.payload },
        opts: this.jobOptions(item.key, item.delayMs),
      });
    }
    for (const [queue, jobs] of byQueue) await this.queue(queue).addBulk(jobs);
  }

  process<T>(queue: string, handler: JobHandler<T>, options: { concurrency?: number; maxAttempts?: number } = {}): void {
    if (this.closing) throw new Error('JobQueue is closed');
    const maxAttempts = Math.min(Math.max(1, options.maxAttempts ?? this.defaultMaxAttempts), ATTEMPTS_CEILING);
    const deadLetters = this.queue(queue + DEAD_LETTER_SUFFIX);
    const worker = new Worker<JobData>(
      encodeName(queue),
      async (bullJob: BullJob<JobData>) => {
        const attempt = bullJob.attemptsMade + 1;
        const job: Job<T> = {
          id: bullJob.id ?? jobIdForKey(bullJob.data.key),
          queue,
          key: bullJob.data.key,
          payload: bullJob.data.payload as T,
          attempts: attempt,
        };
        const deadLetter = async (message: string, attempts: number): Promise<never> => {
          const dead: DeadLetterData = { key: job.key, payload: job.payload, error: message, attempts, failedAt: new Date().toISOString() };
          // Never processed: dead letters wait for an operator (admin UI) in the waiting list.
          await deadLetters.add(encodeName(queue + DEAD_LETTER_SUFFIX), dead, {
            jobId: jobIdForKey(job.key),
            removeOnComplete: false,
            removeOnFail: false,
          });
          throw new UnrecoverableError(`dead-lettered after ${attempts} attempts: ${message}`);
        };
        // The last attempt failed but its dead-lettering did not get through (Redis hiccup): finish that
        // without running the handler a (maxAttempts+1)-th time.
        if (attempt > maxAttempts) return deadLetter(bullJob.failedReason ?? 'failed', maxAttempts);
        try {
          await handler(job);
        } catch (err) {
          if (attempt < maxAttempts) throw err;
          return deadLetter(err instanceof Error ? err.message : String(err), attempt);
        }
      },
      {
        connection: this.workerConnection,
        prefix: this.prefix,
        concurrency: options.concurrency ?? 1,
        ...(this.lockDurationMs !== undefined ? { lockDuration: this.lockDurationMs } : {}),
        ...(this.stalledIntervalMs !== undefined ? { stalledInterval: this.stalledIntervalMs } : {}),
      },
    );
    worker.on('error', (err: Error) => this.onError(err, queue));
    this.workers.push(worker);
  }

  async counts(queue: string): Promise<{ waiting: number; active: number; failed: number; completed: number }> {
    const c = await this.queue(queue).getJobCounts('waiting', 'delayed', 'prioritized', 'waiting-children', 'active', 'failed', 'completed');
    return {
      // Jobs waiting for a retry (delayed by backoff) are still waiting to be done.
      waiting: (c.waiting ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0) + (c['waiting-children'] ?? 0),
      active: c.active ?? 0,
      failed: c.failed ?? 0,
      completed: c.completed ?? 0,
    };
  }

  async deadLetters(queue: string, limit = 100): Promise<Job[]> {
    if (limit <= 0) return [];
    const jobs = await this.queue(queue + DEAD_LETTER_SUFFIX).getJobs(['waiting', 'prioritized'], 0, limit - 1, true);
    return jobs.slice(0, limit).map((j) => {
      const data = j.data as DeadLetterData;
      return { id: j.id ?? jobIdForKey(data.key), queue, key: data.key, payload: data.payload, attempts: data.attempts };
    });
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    // Workers first: each waits for its active jobs, so nothing in flight is lost.
    await Promise.all(this.workers.map((w) => w.close()));
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
