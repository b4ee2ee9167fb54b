import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openEmbeddedJobQueue, type SqliteJobQueue } from '../../../src/storage/queue-embedded/index.js';

const WAIT = { timeout: 15_000, interval: 20 };
const here = path.dirname(fileURLToPath(import.meta.url));

describe('embedded job queue: leases and crashes', () => {
  let dir: string;
  let file: string;
  const opened: SqliteJobQueue[] = [];
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xds-queue-'));
    file = path.join(dir, 'queue.db');
  });
  afterEach(async () => {
    for (const q of opened.splice(0)) await q.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const open = (leaseMs: number) => {
    const q = openEmbeddedJobQueue(file, { pollIntervalMs: 20, backoffBaseMs: 20, leaseMs });
    opened.push(q);
    return q;
  };

  /** Runs the crash child until it has claimed the job, then kills it with SIGKILL. */
  async function crashWhileActive(): Promise<void> {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'fixtures/queue-crash-child.ts'), file], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('started') && resolve());
      child.on('exit', (code) => reject(new Error(`child exited early (${code})`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
  }

  it('retries a job that was active when its process died, after the lease ran out', async () => {
    await crashWhileActive();
    const q = open(5_000);
    expect((await q.counts('crash')).active).toBe(1);
    const seen: number[] = [];
    q.process('crash', async (job) => {
      seen.push(job.attempts);
    }, { maxAttempts: 3 });
    await vi.waitFor(async () => expect((await q.counts('crash')).completed).toBe(1), WAIT);
    expect(seen).toEqual([2]);
  }, 30_000);

  it('a job whose process died on its last allowed attempt becomes a dead letter without running again', async () => {
    await crashWhileActive();
    const q = open(5_000);
    let runs = 0;
    q.process('crash', async () => {
      runs++;
    }, { maxAttempts: 1 });
    await vi.waitFor(async () => expect((await q.counts('crash')).failed).toBe(1), WAIT);
    expect(runs).toBe(0);
    const [dead] = await q.deadLetters('crash');
    expect(dead).toMatchObject({ key: 'crash-1', payload: { n: 1 } });
    expect((dead as { lastError?: string }).lastError).toMatch(/lease expired/);
  }, 30_000);

  it('the heartbeat keeps a long job leased: a second instance does not run it again', async () => {
    // lease 600 ms, renewed every 200 ms; the job runs 2.5 leases long
    const a = open(600);
    const b = open(600);
    let runs = 0;
    const slow = async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 1_500));
    };
    a.process('long', slow);
    await a.enqueue('long', null, { key: 'x' });
    await vi.waitFor(() => expect(runs).toBe(1), WAIT);
    b.process('long', slow);
    await vi.waitFor(async () => expect((await b.counts('long')).completed).toBe(1), WAIT);
    expect(runs).toBe(1);
  }, 30_000);

  it('purges completed jobs after the retention; then their key is new again', async () => {
    let now = 1_000_000;
    const q = openEmbeddedJobQueue(file, { pollIntervalMs: 20, completedRetentionMs: 3_600_000, now: () => now });
    opened.push(q);
    const seen: unknown[] = [];
    q.process('audit', async (job) => {
      seen.push(job.payload);
    });
    await q.enqueue('audit', 'first', { key: 'k' });
    await vi.waitFor(() => expect(seen).toEqual(['first']), WAIT);
    now += 1_800_000;
    await q.enqueue('audit', 'within retention', { key: 'k' });
    await new Promise((r) => setTimeout(r, 100));
    expect(seen).toEqual(['first']);
    now += 3_600_000;
    await vi.waitFor(async () => expect((await q.counts('audit')).completed).toBe(0), WAIT);
    await q.enqueue('audit', 'after retention', { key: 'k' });
    await vi.waitFor(() => expect(seen).toEqual(['first', 'after retention']), WAIT);
  });

  it('rejects work after close and an enqueue without key', async () => {
    const q = open(1_000);
    await expect(q.enqueue('x', 1, { key: '' })).rejects.toThrow(/key/);
    await q.close();
    await expect(q.enqueue('x', 1, { key: 'k' })).rejects.toThrow(/closed/);
    expect(() => q.process('x', async () => undefined)).toThrow(/closed/);
  });
});
