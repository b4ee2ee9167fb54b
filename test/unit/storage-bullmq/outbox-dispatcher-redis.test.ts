/**
 * The outbox dispatcher between the SQLite MetadataStore and the BullMQ JobQueue, with Redis killed in the
 * middle of the stream and started again (AOF persistence, as production runs it): every outbox row ends
 * up as exactly one job, and the consumer registers each key once (issue #7: nothing lost, nothing
 * registered twice in MinLog).
 *
 * Delivery to the handler is at-least-once: a job that was running when Redis died is run again once its
 * lock expires (stalled-job recovery). The MinLog registration is therefore idempotent by the job key,
 * which this test's sink models; it also checks that such re-runs are limited to the jobs in flight.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BullmqJobQueue } from '../../../src/storage/bullmq/index.js';
import { OutboxDispatcher } from '../../../src/storage/outbox-dispatcher.js';
import { emptyWrite } from '../../../src/storage/ports.js';
import { openSqliteStores, type SqliteStores } from '../../../src/storage/sqlite/index.js';
import { redisUnavailable, startRedisServer, type RunningRedis } from '../../support/redis-server.js';

const unavailable = redisUnavailable();
if (unavailable) console.warn(`\n*** SKIPPING outbox → BullMQ tests: ${unavailable} ***\n`);
const suite = unavailable ? describe.skip : describe;

async function until(check: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

suite(`OutboxDispatcher → BullMQ across a Redis outage${unavailable ? ` (SKIPPED: ${unavailable})` : ''}`, () => {
  let redis: RunningRedis;
  let stores: SqliteStores;
  let queue: BullmqJobQueue;

  beforeAll(async () => {
    redis = await startRedisServer({ durable: true });
    stores = openSqliteStores(':memory:');
    queue = new BullmqJobQueue({
      connection: { host: '127.0.0.1', port: redis.port },
      prefix: 'outbox',
      backoffMs: 20,
      lockDurationMs: 1_000,
      stalledIntervalMs: 500,
    });
  });
  afterAll(async () => {
    await queue?.close();
    await stores?.close();
    await redis?.dispose();
  });

  it('dispatches every row exactly once although Redis dies and comes back mid-stream', async () => {
    const concurrency = 4;
    // the MinLog register: one record per key (an upsert by idempotency key)
    const registered = new Map<string, { n: number }>();
    const runs = new Map<string, number>();
    queue.process<{ n: number }>('minlog', async (job) => {
      runs.set(job.key, (runs.get(job.key) ?? 0) + 1);
      registered.set(job.key, job.payload);
    }, { concurrency });

    const errors: unknown[] = [];
    const dispatcher = new OutboxDispatcher(stores.metadata, queue, { batchSize: 10, idleMs: 20, backoffMs: 20, maxBackoffMs: 200, onError: (e) => errors.push(e) });
    const total = 300;
    const commit = (n: number) =>
      stores.metadata.commit({ ...emptyWrite(), outbox: [{ queue: 'minlog', key: `minlog:${n}`, payload: { n } }] });

    dispatcher.start();
    for (let n = 0; n < 100; n++) await commit(n);
    await until(() => registered.size >= 50);

    await redis.stop();
    // the registry keeps committing while the queue is down; rows wait in the outbox
    for (let n = 100; n < 200; n++) await commit(n);
    await until(() => errors.length > 0);
    const pendingDuringOutage = (await stores.metadata.readOutbox(1000)).length;
    expect(pendingDuringOutage).toBeGreaterThan(0);

    await redis.start();
    for (let n = 200; n < total; n++) await commit(n);

    await until(async () => (await stores.metadata.readOutbox(1)).length === 0 && registered.size === total, 30_000);
    await until(async () => (await queue.counts('minlog')).completed === total);
    await dispatcher.stop();

    // nothing lost: every row registered, with its own payload
    expect([...registered.keys()].sort()).toEqual(Array.from({ length: total }, (_, n) => `minlog:${n}`).sort());
    for (const [key, payload] of registered) expect(`minlog:${payload.n}`).toBe(key);
    // nothing twice: one job per outbox key in the queue, each completed once
    expect(await queue.counts('minlog')).toEqual({ waiting: 0, active: 0, failed: 0, completed: total });
    expect(await queue.deadLetters('minlog')).toEqual([]);
    // re-runs only for jobs that were in flight when Redis died
    const rerun = [...runs.values()].filter((count) => count > 1);
    expect(rerun.length).toBeLessThanOrEqual(concurrency);
    expect(rerun.every((count) => count === 2)).toBe(true);
  }, 60_000);

  it('a pass is one enqueueMany and one ack; a failing batch acknowledges nothing and is re-sent whole, the queue drops the repeats', async () => {
    const calls: string[][] = [];
    let failNext = true;
    // the real BullMQ queue behind a wrapper whose first batch gets only its first item in, then fails
    const flaky = {
      async enqueueMany(items: { queue: string; payload: unknown; key: string }[]) {
        calls.push(items.map((i) => i.key));
        if (failNext) {
          failNext = false;
          await queue.enqueueMany(items.slice(0, 1));
          throw new Error('queue down');
        }
        await queue.enqueueMany(items);
      },
    } as unknown as BullmqJobQueue;
    const local = openSqliteStores(':memory:');
    const acks: number[][] = [];
    const ackOutbox = local.metadata.ackOutbox.bind(local.metadata);
    local.metadata.ackOutbox = async (seqs: number[]) => {
      acks.push([...seqs]);
      return ackOutbox(seqs);
    };
    try {
      await local.metadata.commit({
        ...emptyWrite(),
        outbox: ['a', 'b', 'c'].map((key) => ({ queue: 'partial', key, payload: key })),
      });
      const d = new OutboxDispatcher(local.metadata, flaky);
      await expect(d.dispatchOnce()).rejects.toThrow('queue down');
      // nothing acknowledged although 'a' got in: the next pass starts again at 'a'
      expect(acks).toEqual([]);
      expect((await local.metadata.readOutbox(10)).map((r) => r.key)).toEqual(['a', 'b', 'c']);
      expect(await queue.counts('partial')).toMatchObject({ waiting: 1 });

      expect(await d.dispatchOnce()).toBe(3);
      expect(calls).toEqual([['a', 'b', 'c'], ['a', 'b', 'c']]);
      expect(acks).toHaveLength(1);
      expect(acks[0]).toHaveLength(3);
      expect(await local.metadata.readOutbox(10)).toEqual([]);
      expect(await d.dispatchOnce()).toBe(0);

      // the repeat of 'a' was dropped: three jobs, run once each, in outbox order
      expect(await queue.counts('partial')).toEqual({ waiting: 3, active: 0, failed: 0, completed: 0 });
      const ran: string[] = [];
      queue.process('partial', async (job) => {
        ran.push(job.key);
      });
      await until(async () => (await queue.counts('partial')).completed === 3);
      expect(ran).toEqual(['a', 'b', 'c']);
    } finally {
      await local.close();
    }
  });
});
