/**
 * BullMQ JobQueue against a private redis-server: retries with backoff, dead letters, idempotent keys
 * (also after completion), keys and queue names BullMQ would reject, graceful close.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BullmqJobQueue, jobIdForKey, encodeName } from '../../../src/storage/bullmq/index.js';
import type { Job } from '../../../src/storage/ports.js';
import { redisUnavailable, startRedisServer, type RunningRedis } from '../../support/redis-server.js';

const unavailable = redisUnavailable();
if (unavailable) console.warn(`\n*** SKIPPING BullMQ JobQueue tests: ${unavailable} ***\n`);
const suite = unavailable ? describe.skip : describe;

async function until(check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('BullMQ name encoding', () => {
  it('makes any key a valid, distinct BullMQ job id', () => {
    expect(jobIdForKey('12345')).toBe('k-12345');
    expect(jobIdForKey('minlog:urn:uuid:1')).toBe('k-minlog%3Aurn%3Auuid%3A1');
    expect(jobIdForKey('a%3Ab')).not.toBe(jobIdForKey('a:b'));
    expect(encodeName('brs:follow-up')).toBe('brs%3Afollow-up');
  });
});

suite(`BullmqJobQueue on redis-server${unavailable ? ` (SKIPPED: ${unavailable})` : ''}`, () => {
  let redis: RunningRedis;
  let queue: BullmqJobQueue;

  beforeAll(async () => {
    redis = await startRedisServer();
    queue = new BullmqJobQueue({ connection: { host: '127.0.0.1', port: redis.port }, prefix: 'unit', backoffMs: 20 });
  });
  afterAll(async () => {
    await queue?.close();
    await redis?.dispose();
  });

  it('retries a failing job with backoff and then succeeds, reporting the attempt number', async () => {
    const seen: Job[] = [];
    const times: number[] = [];
    queue.process<{ n: number }>('retry', async (job) => {
      seen.push(job);
      times.push(Date.now());
      if (job.attempts < 3) throw new Error(`transient ${job.attempts}`);
    }, { maxAttempts: 5 });
    await queue.enqueue('retry', { n: 1 }, { key: 'r1' });
    await until(async () => (await queue.counts('retry')).completed === 1);
    expect(seen.map((j) => j.attempts)).toEqual([1, 2, 3]);
    expect(seen[0]).toMatchObject({ queue: 'retry', key: 'r1', payload: { n: 1 } });
    // exponential: the second gap (≈40 ms) is not shorter than the first (≈20 ms).
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(15);
    expect(times[2] - times[1]).toBeGreaterThanOrEqual(35);
    expect(await queue.deadLetters('retry')).toEqual([]);
  });

  it('moves a job that fails maxAttempts times to the dead letters, once', async () => {
    let calls = 0;
    queue.process('doomed', async () => {
      calls++;
      throw new Error('permanent');
    }, { maxAttempts: 3 });
    await queue.enqueue('doomed', { x: 'y' }, { key: 'minlog:urn:uuid:9' });
    await until(async () => (await queue.counts('doomed')).failed === 1);
    expect(calls).toBe(3);
    const dead = await queue.deadLetters('doomed');
    expect(dead).toEqual([
      { id: jobIdForKey('minlog:urn:uuid:9'), queue: 'doomed', key: 'minlog:urn:uuid:9', payload: { x: 'y' }, attempts: 3 },
    ]);
    expect(await queue.deadLetters('doomed', 0)).toEqual([]);
  });

  it('finishes a dead-lettering that failed without running the handler again', async () => {
    let calls = 0;
    queue.process('dlq-retry', async () => {
      calls++;
      throw new Error('always');
    }, { maxAttempts: 2 });
    // the dead-letter queue exists once process() ran; make its first add fail like a Redis hiccup
    const dlq = (queue as unknown as { queues: Map<string, { add: (...a: unknown[]) => Promise<unknown> }> }).queues.get('dlq-retry.dead-letter')!;
    const realAdd = dlq.add.bind(dlq);
    let failures = 0;
    dlq.add = async (...args: unknown[]) => {
      if (failures++ === 0) throw new Error('connection lost');
      return realAdd(...args);
    };
    await queue.enqueue('dlq-retry', 'p', { key: 'x1' });
    await until(async () => (await queue.counts('dlq-retry')).failed === 1);
    expect(calls).toBe(2);
    expect(await queue.deadLetters('dlq-retry')).toMatchObject([{ key: 'x1', payload: 'p', attempts: 2 }]);
  });

  it('keeps one job per key: before processing and after completion', async () => {
    await queue.enqueue('idem', { v: 1 }, { key: 'same' });
    await queue.enqueue('idem', { v: 2 }, { key: 'same' });
    await queue.enqueue('idem', { v: 3 }, { key: '42' });
    expect(await queue.counts('idem')).toEqual({ waiting: 2, active: 0, failed: 0, completed: 0 });
    const payloads: unknown[] = [];
    queue.process('idem', async (job) => {
      payloads.push(job.payload);
    }, { concurrency: 4 });
    await until(async () => (await queue.counts('idem')).completed === 2);
    await queue.enqueue('idem', { v: 4 }, { key: 'same' });
    await new Promise((r) => setTimeout(r, 200));
    expect(payloads).toHaveLength(2);
    expect(payloads).toContainEqual({ v: 1 });
    expect(payloads).toContainEqual({ v: 3 });
    expect(await queue.counts('idem')).toEqual({ waiting: 0, active: 0, failed: 0, completed: 2 });
  });

  it('counts a delayed job as waiting until it runs', async () => {
    await queue.enqueue('later', 'p', { key: 'd1', delayMs: 60_000 });
    expect(await queue.counts('later')).toEqual({ waiting: 1, active: 0, failed: 0, completed: 0 });
  });

  it('accepts queue names with a colon', async () => {
    const got: string[] = [];
    queue.process<string>('brs:follow-up', async (job) => {
      got.push(job.payload);
    });
    await queue.enqueue('brs:follow-up', 'hello', { key: 'c1' });
    await until(() => got.length === 1);
    expect(got).toEqual(['hello']);
  });

  it('close() waits for the active job to finish and then refuses new work', async () => {
    const q2 = new BullmqJobQueue({ connection: { host: '127.0.0.1', port: redis.port }, prefix: 'unit-close' });
    let finished = false;
    let started = false;
    q2.process('slow', async () => {
      started = true;
      await new Promise((r) => setTimeout(r, 300));
      finished = true;
    });
    await q2.enqueue('slow', {}, { key: 's1' });
    await until(() => started);
    await q2.close();
    expect(finished).toBe(true);
    await expect(q2.enqueue('slow', {}, { key: 's2' })).rejects.toThrow('closed');
  });
});
