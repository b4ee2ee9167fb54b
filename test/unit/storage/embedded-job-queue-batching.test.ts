/**
 * The embedded JobQueue batches its bookkeeping (issue #3: one SQLite write transaction per enqueue, per
 * claim and per completion dominated the hub's CPU profile). These tests count the write transactions a
 * batch of jobs costs, by watching every statement better-sqlite3 runs: a transaction is one COMMIT, and
 * a write statement run outside a transaction is one autocommit transaction of its own. (The same count
 * on the previous one-by-one implementation, 40 jobs enqueued one by one, concurrency 4: 125.) They also check
 * that the deferred completions are never lost: counts() sees them at once and close() writes them.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openEmbeddedJobQueue, type SqliteJobQueue } from '../../../src/storage/queue-embedded/index.js';

const WAIT = { timeout: 15_000, interval: 10 };
const tick = () => new Promise((r) => setImmediate(r));

type Statement = Database.Statement & { readonly: boolean; source: string; database: Database.Database };

/** Counts write transactions of every better-sqlite3 connection while `counting` is on. */
function watchWriteTransactions() {
  const probe = new Database(':memory:');
  const proto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<'run' | 'get' | 'all', (...args: unknown[]) => unknown>;
  probe.close();
  const state = { counting: false, transactions: 0 };
  const count = (stmt: Statement) => {
    if (!state.counting) return;
    if (stmt.source === 'COMMIT') state.transactions++;
    // `readonly` is SQLite's own verdict (sqlite3_stmt_readonly): UPDATE … RETURNING is a write, BEGIN is not
    else if (!stmt.readonly && !stmt.database.inTransaction) state.transactions++;
  };
  const spies = (['run', 'get', 'all'] as const).map((method) => {
    const original = proto[method];
    return vi.spyOn(proto, method).mockImplementation(function (this: Statement, ...args: unknown[]) {
      count(this);
      return original.apply(this, args);
    });
  });
  return { state, restore: () => spies.forEach((s) => s.mockRestore()) };
}

describe('embedded job queue: batched bookkeeping', () => {
  let dir: string;
  let file: string;
  const opened: SqliteJobQueue[] = [];
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xds-queue-batch-'));
    file = path.join(dir, 'queue.db');
  });
  afterEach(async () => {
    for (const q of opened.splice(0)) await q.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  // polls far apart: every pump in these tests is caused by an enqueue or a finished job
  const open = () => {
    const q = openEmbeddedJobQueue(file, { pollIntervalMs: 60_000 });
    opened.push(q);
    return q;
  };

  it('a batch of N jobs costs about N/concurrency write transactions, not 3 per job', async () => {
    const N = 40;
    const concurrency = 4;
    const q = open();
    const ran: string[] = [];
    const watch = watchWriteTransactions();
    try {
      watch.state.counting = true;
      await q.enqueueMany(Array.from({ length: N }, (_, i) => ({ queue: 'minlog', payload: i, key: `k${i}` })));
      expect(watch.state.transactions).toBe(1);
      q.process('minlog', async (job) => {
        ran.push(job.key);
      }, { concurrency });
      await vi.waitFor(() => expect(ran).toHaveLength(N), WAIT);
      await tick();
      await tick();
      watch.state.counting = false;
    } finally {
      watch.restore();
    }
    // one enqueue transaction, then one per round of `concurrency` jobs (recording the previous round's
    // completions and claiming the next), plus the last round's completions: 12 here. One enqueue, claim
    // and completion transaction per job (plus empty claims) was 125.
    expect(watch.state.transactions).toBeLessThanOrEqual(1 + Math.ceil(N / concurrency) + 2);
    expect(ran).toEqual(Array.from({ length: N }, (_, i) => `k${i}`));
    expect(await q.counts('minlog')).toEqual({ waiting: 0, active: 0, failed: 0, completed: N });
  });

  it('counts() includes completions not yet written by a pump', async () => {
    const q = open();
    let finished = 0;
    q.process('audit', async () => {
      finished++;
    });
    await q.enqueue('audit', 1, { key: 'a' });
    await vi.waitFor(() => expect(finished).toBe(1), WAIT);
    // no tick in between: the completion is still pending in memory
    expect(await q.counts('audit')).toEqual({ waiting: 0, active: 0, failed: 0, completed: 1 });
  });

  it('close() writes the completions of the jobs it waited for', async () => {
    const q = openEmbeddedJobQueue(file, { pollIntervalMs: 60_000 });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const started: number[] = [];
    q.process('brs', async (job) => {
      started.push(job.payload as number);
      await gate;
    }, { concurrency: 3 });
    await q.enqueueMany([1, 2, 3].map((n) => ({ queue: 'brs', payload: n, key: `b${n}` })));
    await vi.waitFor(() => expect(started).toHaveLength(3), WAIT);
    const closing = q.close();
    release();
    await closing;
    const again = open();
    expect(await again.counts('brs')).toEqual({ waiting: 0, active: 0, failed: 0, completed: 3 });
  });

  it('a payload that cannot be parsed fails like a throwing handler and ends as a dead letter', async () => {
    const q = open();
    await q.enqueue('audit', 'ok', { key: 'good' });
    await q.enqueue('audit', 'will be broken', { key: 'bad' });
    const raw = new Database(file);
    raw.prepare(`UPDATE jobs SET payload = '{not json' WHERE key = 'bad'`).run();
    raw.close();
    const seen: unknown[] = [];
    q.process('audit', async (job) => {
      seen.push(job.payload);
    }, { maxAttempts: 1 });
    await vi.waitFor(async () => expect(await q.counts('audit')).toEqual({ waiting: 0, active: 0, failed: 1, completed: 1 }), WAIT);
    expect(seen).toEqual(['ok']);
    const check = new Database(file, { readonly: true });
    const row = check.prepare(`SELECT state, attempts, last_error FROM jobs WHERE key = 'bad'`).get() as { state: string; attempts: number; last_error: string };
    check.close();
    expect(row).toMatchObject({ state: 'failed', attempts: 1 });
    expect(row.last_error).toMatch(/^SyntaxError/);
  });
});
