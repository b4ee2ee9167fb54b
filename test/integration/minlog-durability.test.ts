/**
 * Issue #5 durability: accesses are written to the registry's transactional outbox by the access recorder;
 * a separate worker process (outbox dispatcher + MinLog worker on the durable embedded JobQueue) is killed
 * mid-batch twice — once by itself right after a MinLog write and before the job's acknowledgement, once by
 * SIGKILL from outside while deliveries are in flight — and restarted. In the end the number of MinLog
 * entries equals the number of accesses, every access is registered exactly once, and the trace shows that
 * deliveries really were repeated (so the idempotency was exercised, not just never needed).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccessOutboxRecorder } from '../../src/hooks/minlog/access-outbox-recorder.js';
import type { SecurityContext } from '../../src/security/context.js';
import { SqliteMinLogStore } from '../../src/services/minlog/sqlite-minlog-store.js';
import { openEmbeddedJobQueue } from '../../src/storage/queue-embedded/index.js';
import { openSqliteStores, type SqliteStores } from '../../src/storage/sqlite/index.js';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), '../unit/hooks/support/minlog-worker-process.ts');
const CITIZENS = 20;
const PER_CITIZEN = 15;
const ACCESSES = CITIZENS * PER_CITIZEN;

const security: SecurityContext = {
  tokenType: 'dgws-system',
  authLevel: 3,
  hsuid: { userType: 'HEALTHCAREPROFESSIONAL', actingUserCpr: '1111111118', orgUsingId: { type: 'sor', id: '100002' }, systemName: 'EPJ' },
};

let dir: string;
let files: { registry: string; queue: string; minlog: string; trace: string };

function startWorker(env: Record<string, string> = {}): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, files.registry, files.queue, files.minlog, files.trace], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (b: Buffer) => {
      if (b.toString().includes('started')) resolve(child);
    });
    child.once('error', reject);
  });
}

const exited = (c: ChildProcess) => new Promise<NodeJS.Signals | number | null>((r) => (c.exitCode !== null || c.signalCode !== null ? r(c.signalCode ?? c.exitCode) : c.once('exit', (code, sig) => r(sig ?? code))));

async function until(check: () => Promise<boolean>, what: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'minlog-durability-'));
  files = { registry: path.join(dir, 'registry.db'), queue: path.join(dir, 'queue.db'), minlog: path.join(dir, 'minlog.db'), trace: path.join(dir, 'trace.txt') };
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('MinLog delivery survives a worker killed mid-batch', () => {
  it('registers every access exactly once across two crashes and restarts', async () => {
    // 1. The accesses: one outbox commit each, as the read recorder does on every professional read.
    const stores: SqliteStores = openSqliteStores(files.registry);
    const recorder = createAccessOutboxRecorder({ store: stores.metadata, minlog: { systemName: 'DDS' } });
    const cprs = Array.from({ length: CITIZENS }, (_, i) => String(2000000000 + i));
    for (let n = 0; n < ACCESSES; n++) {
      const cpr = cprs[n % CITIZENS]!;
      await recorder.record({
        context: { requestId: `req-${n}`, receivedAt: new Date(Date.UTC(2026, 10, 28, 9, 0, n % 60)), transaction: 'ITI-18', security },
        patientIds: [`${cpr}^^^&1.2.208.176.1.2&ISO`],
        documents: [],
        outcome: 'success',
      });
    }
    const minlog = new SqliteMinLogStore(files.minlog);

    // 2. First run: the worker kills itself right after the 60th write, before acknowledging that job.
    const first = await startWorker({ CRASH_AFTER: '60' });
    expect(await exited(first)).toBe('SIGKILL');
    const afterFirst = await minlog.count();
    expect(afterFirst).toBeGreaterThanOrEqual(60);
    expect(afterFirst).toBeLessThan(ACCESSES);

    // 3. Second run: killed from outside with SIGKILL while deliveries are in flight.
    const second = await startWorker({ DELAY_MS: '10' });
    await until(async () => (await minlog.count()) >= afterFirst + 60, 'the second worker to make progress');
    second.kill('SIGKILL');
    expect(await exited(second)).toBe('SIGKILL');
    expect(await minlog.count()).toBeLessThan(ACCESSES);

    // 4. Third run to completion; then a graceful stop.
    const queue = openEmbeddedJobQueue(files.queue, { onError: () => undefined });
    const third = await startWorker();
    await until(async () => {
      const c = await queue.counts('minlog.registration');
      return (await minlog.count()) === ACCESSES && c.waiting === 0 && c.active === 0;
    }, 'all registrations');
    third.kill('SIGTERM');
    expect(await exited(third)).toBe(0);

    // 5. Exactly once per access; nothing left in the outbox, nothing dead.
    expect(await minlog.count()).toBe(ACCESSES);
    for (const cpr of cprs) {
      const entries = await minlog.extract(cpr);
      expect(entries).toHaveLength(PER_CITIZEN);
      expect(new Set(entries.map((e) => e.correlationId)).size).toBe(PER_CITIZEN);
    }
    expect((await queue.counts('minlog.registration')).completed).toBe(ACCESSES);
    expect(await queue.deadLetters('minlog.registration')).toEqual([]);
    expect(await stores.metadata.readOutbox(10)).toEqual([]);
    const attempts = fs.readFileSync(files.trace, 'utf8').trim().split('\n');
    expect(new Set(attempts).size).toBe(ACCESSES);
    expect(attempts.length).toBeGreaterThan(ACCESSES); // at least one delivery was repeated after a crash

    await queue.close();
    await minlog.close();
    await stores.close();
  }, 120_000);
});
