/**
 * Benchmark: per-call cost of the admin UI's shared state (sessions, login failure counters, activity log)
 * in SQLite — what a hub process pays for sharing them with the other workers of a node cluster — beside
 * the in-memory stores of one process.
 *
 *   npx tsx bench/admin-stores.ts [--calls 20000] [--file /tmp/x.db]
 * The file is opened as the hub opens it (openWalDatabase: WAL, synchronous=NORMAL). Prints one line per
 * operation: mean wall µs and CPU µs per call (CPU stays meaningful on a busy machine), then a JSON line.
 * Activity records are timed with 1 and with 4 records per event-loop turn (the SQLite store writes one
 * transaction per turn), including the setImmediate that ends each turn.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createActivityLog, createMemoryActivityStore, type ActivityEntry, type ActivityLog } from '../src/admin/activity-log.js';
import { createLoginGuard, createMemoryLoginFailureStore, type LoginFailureStore } from '../src/admin/auth/login-guard.js';
import { createSessionStore, type SessionStore } from '../src/admin/auth/sessions.js';
import { createSqliteActivityStore } from '../src/storage/sqlite/activity-log-store.js';
import { createSqliteLoginFailureStore } from '../src/storage/sqlite/admin-login-guard-store.js';
import { createSqliteSessionStore } from '../src/storage/sqlite/admin-session-store.js';
import { openWalDatabase } from '../src/storage/sqlite/wal-database.js';
import { createLogger } from '../src/util/logger.js';

const { values } = parseArgs({ options: { calls: { type: 'string', default: '20000' }, file: { type: 'string' } } });
const calls = Number(values.calls);
if (!Number.isSafeInteger(calls) || calls < 1) throw new Error(`--calls must be a positive integer, got ${values.calls}`);
const dir = values.file ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'xds-admin-bench-'));
const file = values.file ?? path.join(dir!, 'cluster-state.db');

interface Row {
  op: string;
  store: 'memory' | 'sqlite';
  calls: number;
  wallUs: number;
  cpuUs: number;
}
const rows: Row[] = [];

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

function measure(op: string, store: Row['store'], n: number, fn: (i: number) => void): void {
  for (let i = 0; i < Math.min(200, n); i++) fn(i); // warm-up (JIT, statement caches, pages)
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn(i);
  report(op, store, n, t0, cpu0);
}

/** `perTurn` calls per event-loop turn, as that many SOAP requests finishing together would make them. */
async function measureTurns(op: string, store: Row['store'], n: number, perTurn: number, fn: (i: number) => void): Promise<void> {
  for (let i = 0; i < Math.min(200, n); i++) fn(i);
  await nextTurn();
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    fn(i);
    if ((i + 1) % perTurn === 0) await nextTurn();
  }
  await nextTurn();
  report(`${op}, ${perTurn}/turn`, store, n, t0, cpu0);
}

function report(op: string, store: Row['store'], n: number, t0: bigint, cpu0: NodeJS.CpuUsage): void {
  const wall = Number(process.hrtime.bigint() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const row = { op, store, calls: n, wallUs: +(wall / n).toFixed(2), cpuUs: +((cpu.user + cpu.system) / n).toFixed(2) };
  rows.push(row);
  console.log(`${op.padEnd(44)} ${store.padEnd(7)} ${String(row.wallUs).padStart(8)} µs wall ${String(row.cpuUs).padStart(8)} µs CPU  (${n} calls)`);
}

const db = openWalDatabase(file);
const stores = {
  memory: {
    sessions: createSessionStore(),
    failures: createMemoryLoginFailureStore(),
    activity: createActivityLog({ store: createMemoryActivityStore() }),
  },
  sqlite: {
    sessions: createSqliteSessionStore(db),
    failures: createSqliteLoginFailureStore(db),
    activity: createActivityLog({ store: createSqliteActivityStore(db) }),
  },
} satisfies Record<Row['store'], { sessions: SessionStore; failures: LoginFailureStore; activity: ActivityLog }>;

const policy = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };
const entry = (i: number, codes: string[]): ActivityEntry => ({
  time: new Date().toISOString(),
  requestId: `req-${i}`,
  endpoint: 'registry',
  path: '/xds/registry',
  transaction: 'ITI-18',
  httpStatus: 200,
  outcome: codes.length ? 'Failure' : 'Success',
  caller: 'Læge Hansen (sor:123456789012345)',
  errorCodes: codes,
  ms: 4.2,
});

for (const kind of ['memory', 'sqlite'] as const) {
  const s = stores[kind];
  // sessions: 1000 live (the bound), so create sweeps and evicts each time — the worst case
  const ids = Array.from({ length: 1000 }, (_, i) => s.sessions.create(`user${i}`).id);
  measure('session get (every admin request)', kind, calls, (i) => s.sessions.get(ids[i % ids.length]));
  measure('session get, unknown id', kind, calls, (i) => s.sessions.get(`nope-${i}`));
  measure('session create at the 1000 bound (login)', kind, Math.min(calls, 5000), () => s.sessions.create('u'));
  // login failures: 10 000 names tracked (the bound)
  for (let i = 0; i < 10_000; i++) s.failures.recordFailure(`name${i}`, Date.now(), policy);
  measure('guard lockedFor (every login)', kind, calls, (i) => s.failures.lockedUntil(`name${i % 10_000}`));
  measure('guard failure, known name', kind, calls, (i) => s.failures.recordFailure(`name${i % 10_000}`, Date.now(), policy));
  measure('guard failure, new name at the bound', kind, Math.min(calls, 5000), (i) => s.failures.recordFailure(`new${i}`, Date.now(), policy));
  measure('guard clear (successful login)', kind, calls, (i) => s.failures.clear(`name${i % 10_000}`));
  // activity: through the logger, as the SOAP endpoint feeds it; ring full (500)
  const log = s.activity.logger(createLogger('silent'));
  const fields = (e: ActivityEntry) => ({ requestId: e.requestId, endpoint: e.endpoint, path: e.path, transaction: e.transaction, status: e.httpStatus, outcome: e.outcome, caller: e.caller, errorCodes: e.errorCodes, ms: e.ms });
  for (const perTurn of [1, 4]) {
    await measureTurns('activity record, no error code', kind, calls, perTurn, (i) => log.info('soap request', fields(entry(i, []))));
    await measureTurns('activity record, 2 error codes', kind, calls, perTurn, (i) => log.info('soap request', fields(entry(i, ['XDSRegistryError', `XDSCode${i % 20}`]))));
  }
  measure('activity recent(100) (admin view)', kind, Math.min(calls, 2000), () => s.activity.recent(100));
  measure('activity errorsByCode (admin view)', kind, Math.min(calls, 2000), () => s.activity.errorsByCode());
}

db.close();
console.log(JSON.stringify({ file, calls, rows }));
if (dir) fs.rmSync(dir, { recursive: true, force: true });
