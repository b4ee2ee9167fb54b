/**
 * OutboxDispatcher lingerMs: commits notified within the linger window are carried by ONE pass (one
 * enqueueMany, one ack); lingerMs 0 dispatches on each notify.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { OutboxDispatcher } from '../../../src/storage/outbox-dispatcher.js';
import type { JobQueue, MetadataStore } from '../../../src/storage/ports.js';

interface Row {
  seq: number;
  queue: string;
  key: string;
  payload: unknown;
}

function fakes() {
  const pending: Row[] = [];
  const batches: string[][] = [];
  const acks: number[][] = [];
  let seq = 0;
  const store = {
    async readOutbox(limit: number) {
      return pending.slice(0, limit);
    },
    async ackOutbox(seqs: number[]) {
      acks.push(seqs);
      for (const s of seqs) pending.splice(pending.findIndex((r) => r.seq === s), 1);
    },
  } as unknown as MetadataStore;
  const queue = {
    async enqueueMany(items: { key: string }[]) {
      batches.push(items.map((i) => i.key));
    },
  } as unknown as JobQueue;
  return { store, queue, batches, acks, commit: (key: string) => pending.push({ seq: ++seq, queue: 'q', key, payload: {} }) };
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
let dispatcher: OutboxDispatcher | undefined;
afterEach(async () => {
  await dispatcher?.stop();
  dispatcher = undefined;
});

describe('OutboxDispatcher lingerMs', () => {
  it('carries the commits notified within the linger window in one pass', async () => {
    const f = fakes();
    dispatcher = new OutboxDispatcher(f.store, f.queue, { idleMs: 10_000, lingerMs: 80 });
    dispatcher.start();
    await wait(20); // the first (empty) pass is done: the dispatcher sleeps
    for (const key of ['a', 'b', 'c']) {
      f.commit(key);
      dispatcher.notify();
      await wait(5);
    }
    expect(f.batches).toEqual([]); // still lingering
    await wait(150);
    expect(f.batches).toEqual([['a', 'b', 'c']]);
    expect(f.acks).toEqual([[1, 2, 3]]);
  });

  it('dispatches on each notify with lingerMs 0', async () => {
    const f = fakes();
    dispatcher = new OutboxDispatcher(f.store, f.queue, { idleMs: 10_000, lingerMs: 0 });
    dispatcher.start();
    await wait(20);
    f.commit('a');
    dispatcher.notify();
    await wait(20);
    f.commit('b');
    dispatcher.notify();
    await wait(20);
    expect(f.batches).toEqual([['a'], ['b']]);
  });

  it('stop() does not wait for a pending linger', async () => {
    const f = fakes();
    dispatcher = new OutboxDispatcher(f.store, f.queue, { idleMs: 10_000, lingerMs: 60_000 });
    dispatcher.start();
    await wait(20);
    f.commit('a');
    dispatcher.notify();
    const started = Date.now();
    await dispatcher.stop();
    dispatcher = undefined;
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
