/**
 * Contract suite of the JobQueue port (src/storage/ports.ts): every adapter runs it.
 * The factory prepares a backing store and returns `open()`, which may be called again after close() to
 * prove durability. Adapters should be configured with short poll and backoff intervals (tens of ms).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JobQueue } from '../../src/storage/ports.js';

export type JobQueueFactory = () => Promise<{ open(): Promise<JobQueue>; cleanup(): Promise<void> }>;

const WAIT = { timeout: 15_000, interval: 20 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

export function describeJobQueueContract(name: string, factory: JobQueueFactory): void {
  describe(`JobQueue contract: ${name}`, () => {
    let open: () => Promise<JobQueue>;
    let cleanup: () => Promise<void>;
    const opened: JobQueue[] = [];
    const openQueue = async () => {
      const q = await open();
      opened.push(q);
      return q;
    };
    beforeEach(async () => {
      ({ open, cleanup } = await factory());
    });
    afterEach(async () => {
      for (const q of opened.splice(0)) await q.close();
      await cleanup();
    });

    it('runs an enqueued job once with its payload, queue, key and attempt number', async () => {
      const q = await openQueue();
      const seen: unknown[] = [];
      q.process('audit', async (job) => {
        seen.push({ queue: job.queue, key: job.key, payload: job.payload, attempts: job.attempts });
      });
      await q.enqueue('audit', { event: 'ITI-41', n: 1 }, { key: 'msg-1' });
      await vi.waitFor(async () => expect((await q.counts('audit')).completed).toBe(1), WAIT);
      expect(seen).toEqual([{ queue: 'audit', key: 'msg-1', payload: { event: 'ITI-41', n: 1 }, attempts: 1 }]);
      expect(await q.counts('audit')).toEqual({ waiting: 0, active: 0, failed: 0, completed: 1 });
    });

    it('an idempotency key yields one job per queue (also after it completed)', async () => {
      const q = await openQueue();
      await q.enqueue('audit', 'first', { key: 'same' });
      await q.enqueue('audit', 'second', { key: 'same' });
      await q.enqueue('minlog', 'other queue', { key: 'same' });
      expect((await q.counts('audit')).waiting).toBe(1);
      expect((await q.counts('minlog')).waiting).toBe(1);
      const payloads: unknown[] = [];
      q.process('audit', async (job) => {
        payloads.push(job.payload);
      });
      await vi.waitFor(async () => expect((await q.counts('audit')).completed).toBe(1), WAIT);
      await q.enqueue('audit', 'third', { key: 'same' });
      await sleep(150);
      expect(payloads).toEqual(['first']);
      expect(await q.counts('audit')).toEqual({ waiting: 0, active: 0, failed: 0, completed: 1 });
    });

    it('retries a failing job with backoff, then moves it to the dead letters after maxAttempts', async () => {
      const q = await openQueue();
      const attempts: { n: number; at: number }[] = [];
      q.process(
        'brs',
        async (job) => {
          attempts.push({ n: job.attempts, at: Date.now() });
          throw new Error(`boom ${job.attempts}`);
        },
        { maxAttempts: 3 },
      );
      await q.enqueue('brs', { cpr: '0101011234' }, { key: 'b-1' });
      await vi.waitFor(async () => expect((await q.counts('brs')).failed).toBe(1), WAIT);
      expect(attempts.map((a) => a.n)).toEqual([1, 2, 3]);
      // backoff: each retry waits at least as long as the previous one
      const gaps = attempts.slice(1).map((a, i) => a.at - attempts[i].at);
      expect(gaps[1]).toBeGreaterThanOrEqual(gaps[0] * 0.8);
      const dead = await q.deadLetters('brs');
      expect(dead).toHaveLength(1);
      expect(dead[0]).toMatchObject({ queue: 'brs', key: 'b-1', payload: { cpr: '0101011234' }, attempts: 3 });
      expect(await q.counts('brs')).toEqual({ waiting: 0, active: 0, failed: 1, completed: 0 });
      expect(await q.deadLetters('other')).toEqual([]);
    });

    it('a job that fails once and then succeeds completes', async () => {
      const q = await openQueue();
      q.process(
        'audit',
        async (job) => {
          if (job.attempts === 1) throw new Error('transient');
        },
        { maxAttempts: 3 },
      );
      await q.enqueue('audit', 1, { key: 'flaky' });
      await vi.waitFor(async () => expect((await q.counts('audit')).completed).toBe(1), WAIT);
      expect(await q.deadLetters('audit')).toEqual([]);
    });

    it('runs up to `concurrency` jobs at once, never more', async () => {
      const q = await openQueue();
      let running = 0;
      let peak = 0;
      const gate = deferred();
      q.process(
        'work',
        async () => {
          running++;
          peak = Math.max(peak, running);
          await gate.promise;
          running--;
        },
        { concurrency: 3 },
      );
      for (let i = 0; i < 8; i++) await q.enqueue('work', i, { key: `k${i}` });
      await vi.waitFor(() => expect(running).toBe(3), WAIT);
      await sleep(100);
      expect(running).toBe(3);
      expect((await q.counts('work')).active).toBe(3);
      gate.resolve();
      await vi.waitFor(async () => expect((await q.counts('work')).completed).toBe(8), WAIT);
      expect(peak).toBe(3);
    });

    it('a delayed job waits for its delay', async () => {
      const q = await openQueue();
      const ran: number[] = [];
      q.process('later', async () => {
        ran.push(Date.now());
      });
      const t0 = Date.now();
      await q.enqueue('later', null, { key: 'd', delayMs: 400 });
      await vi.waitFor(() => expect(ran).toHaveLength(1), WAIT);
      expect(ran[0] - t0).toBeGreaterThanOrEqual(380);
    });

    it('close() stops taking jobs and waits for the active ones', async () => {
      const q = await open();
      const gate = deferred();
      let finished = 0;
      const started: number[] = [];
      q.process('slow', async (job) => {
        started.push(job.payload as number);
        await gate.promise;
        finished++;
      });
      await q.enqueue('slow', 1, { key: 'one' });
      await q.enqueue('slow', 2, { key: 'two' });
      await vi.waitFor(() => expect(started).toEqual([1]), WAIT);
      let closed = false;
      const closing = q.close().then(() => (closed = true));
      await sleep(100);
      expect(closed).toBe(false);
      gate.resolve();
      await closing;
      expect(finished).toBe(1);
      expect(started).toEqual([1]);

      const again = await openQueue();
      expect(await again.counts('slow')).toEqual({ waiting: 1, active: 0, failed: 0, completed: 1 });
    });

    it('enqueueMany runs a batch in array order within each queue', async () => {
      const q = await openQueue();
      const seen: string[] = [];
      q.process('audit', async (job) => {
        seen.push(`audit:${String(job.payload)}`);
      });
      q.process('minlog', async (job) => {
        seen.push(`minlog:${String(job.payload)}`);
      });
      const items = Array.from({ length: 12 }, (_, i) => ({
        queue: i % 3 === 0 ? 'minlog' : 'audit',
        payload: i,
        key: `batch-${i}`,
      }));
      await q.enqueueMany(items);
      await vi.waitFor(async () => expect((await q.counts('audit')).completed + (await q.counts('minlog')).completed).toBe(12), WAIT);
      const order = (queue: string) => seen.filter((s) => s.startsWith(`${queue}:`));
      expect(order('minlog')).toEqual(items.filter((i) => i.queue === 'minlog').map((i) => `minlog:${i.payload}`));
      expect(order('audit')).toEqual(items.filter((i) => i.queue === 'audit').map((i) => `audit:${i.payload}`));
      expect(await q.counts('audit')).toEqual({ waiting: 0, active: 0, failed: 0, completed: 8 });
      expect(await q.counts('minlog')).toEqual({ waiting: 0, active: 0, failed: 0, completed: 4 });
    });

    it('enqueueMany drops keys seen earlier in the batch or enqueued before, per queue (the first one wins)', async () => {
      const q = await openQueue();
      await q.enqueue('audit', 'enqueued before', { key: 'old' });
      await q.enqueueMany([
        { queue: 'audit', payload: 'first', key: 'dup' },
        { queue: 'audit', payload: 'repeat of old', key: 'old' },
        { queue: 'audit', payload: 'second', key: 'dup' },
        { queue: 'minlog', payload: 'same key, other queue', key: 'dup' },
        { queue: 'audit', payload: 'fresh', key: 'new' },
      ]);
      expect((await q.counts('audit')).waiting).toBe(3);
      expect((await q.counts('minlog')).waiting).toBe(1);
      const payloads: unknown[] = [];
      q.process('audit', async (job) => {
        payloads.push(job.payload);
      });
      await vi.waitFor(async () => expect((await q.counts('audit')).completed).toBe(3), WAIT);
      // re-sending the whole batch after completion (a dispatcher retry) adds nothing
      await q.enqueueMany([
        { queue: 'audit', payload: 'again', key: 'dup' },
        { queue: 'audit', payload: 'again', key: 'new' },
      ]);
      await sleep(150);
      expect(payloads).toEqual(['enqueued before', 'first', 'fresh']);
      expect(await q.counts('audit')).toEqual({ waiting: 0, active: 0, failed: 0, completed: 3 });
    });

    it('enqueueMany of an empty array does nothing; an item without key is rejected before anything is written', async () => {
      const q = await openQueue();
      await expect(q.enqueueMany([])).resolves.toBeUndefined();
      expect(await q.counts('audit')).toEqual({ waiting: 0, active: 0, failed: 0, completed: 0 });
      await expect(
        q.enqueueMany([
          { queue: 'audit', payload: 1, key: 'ok' },
          { queue: 'audit', payload: 2, key: '' },
        ]),
      ).rejects.toThrow(TypeError);
      await expect(q.enqueue('audit', 3, { key: '' })).rejects.toThrow(TypeError);
      expect(await q.counts('audit')).toEqual({ waiting: 0, active: 0, failed: 0, completed: 0 });
    });

    it('enqueueMany honours delayMs per item', async () => {
      const q = await openQueue();
      const ran: { payload: unknown; at: number }[] = [];
      q.process('later', async (job) => {
        ran.push({ payload: job.payload, at: Date.now() });
      });
      const t0 = Date.now();
      await q.enqueueMany([
        { queue: 'later', payload: 'delayed', key: 'd', delayMs: 400 },
        { queue: 'later', payload: 'now', key: 'n' },
      ]);
      await vi.waitFor(() => expect(ran).toHaveLength(2), WAIT);
      expect(ran.map((r) => r.payload)).toEqual(['now', 'delayed']);
      expect(ran[1].at - t0).toBeGreaterThanOrEqual(380);
    });

    it('jobs survive close and reopen', async () => {
      const first = await open();
      await first.enqueue('audit', { durable: true }, { key: 'persist' });
      await first.close();
      const second = await openQueue();
      expect((await second.counts('audit')).waiting).toBe(1);
      const payloads: unknown[] = [];
      second.process('audit', async (job) => {
        payloads.push(job.payload);
      });
      await vi.waitFor(() => expect(payloads).toEqual([{ durable: true }]), WAIT);
      await second.enqueue('audit', { durable: 'again' }, { key: 'persist' });
      await sleep(100);
      expect(payloads).toHaveLength(1);
    });
  });
}
