/**
 * The SQLite admin stores (several hub processes on one data directory) against the contracts of their
 * ports, then as they are used in a cluster: two connections on one file are one store, concurrent
 * processes lose no failure and keep the ring bounded, and the session ids are not in the file.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createActivityLog } from '../../src/admin/activity-log.js';
import { createLoginGuard } from '../../src/admin/auth/login-guard.js';
import { createSqliteActivityStore } from '../../src/storage/sqlite/activity-log-store.js';
import { createSqliteLoginFailureStore } from '../../src/storage/sqlite/admin-login-guard-store.js';
import { createSqliteSessionStore } from '../../src/storage/sqlite/admin-session-store.js';
import { openWalDatabase } from '../../src/storage/sqlite/wal-database.js';
import { createLogger } from '../../src/util/logger.js';
import { describeActivityStoreContract } from './activity-store.contract.js';
import { describeLoginFailureStoreContract } from './admin-login-guard-store.contract.js';
import { describeSessionStoreContract } from './admin-session-store.contract.js';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'admin-stores-child.ts');
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** a throw-away database; a store whose options are refused still gets its connection closed. */
function withMemoryDb<T>(build: (db: Database.Database) => T): { store: T; cleanup(): void } {
  const db = openWalDatabase(':memory:');
  try {
    return { store: build(db), cleanup: () => db.close() };
  } catch (err) {
    db.close();
    throw err;
  }
}

describeSessionStoreContract('sqlite', (options) => withMemoryDb((db) => createSqliteSessionStore(db, options)));
describeLoginFailureStoreContract('sqlite', (options) => withMemoryDb((db) => createSqliteLoginFailureStore(db, options)));
describeActivityStoreContract('sqlite', (options) => withMemoryDb((db) => createSqliteActivityStore(db, options)));

describe('SQLite admin stores shared by several processes (one file, one connection each)', () => {
  let dir: string;
  let file: string;
  let dbs: Database.Database[];
  const connect = () => {
    const db = openWalDatabase(file);
    dbs.push(db);
    return db;
  };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xds-admin-stores-'));
    file = path.join(dir, 'cluster-state.db');
    dbs = [];
  });
  afterEach(() => {
    for (const db of dbs) db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a session made through one connection is live through the other, touched, bounded and destroyed in both', () => {
    let now = 1000;
    const options = { idleMs: 100, maxSessions: 2, now: () => now };
    const a = createSqliteSessionStore(connect(), options);
    const b = createSqliteSessionStore(connect(), options);
    const s = a.create('alice', '0101701234');
    expect(b.get(s.id)).toEqual({ ...s });
    now = 1090;
    expect(b.get(s.id)?.lastSeenAt).toBe(1090); // touched through b...
    now = 1150;
    expect(a.get(s.id)?.user).toBe('alice'); // ...so still live through a (idle since 1090, not 1000)
    const t = b.create('bob');
    a.get(s.id); // alice is now the most recent
    a.create('carol'); // drops bob, the least recently used across both
    expect(b.get(t.id)).toBeUndefined();
    expect(b.size()).toBe(2);
    b.destroy(s.id);
    expect(a.get(s.id)).toBeUndefined();
  });

  it('stores the SHA-256 of the session id, never the id itself', () => {
    const db = connect();
    const s = createSqliteSessionStore(db).create('alice');
    const stored = db.prepare('SELECT * FROM admin_sessions').all() as Record<string, unknown>[];
    expect(stored).toHaveLength(1);
    expect(stored[0].id_sha256).toEqual(createHash('sha256').update(s.id).digest());
    expect(JSON.stringify(stored)).not.toContain(s.id);
    db.close();
    dbs.length = 0;
    // and the file holds no copy either (WAL folded in by the close)
    const bytes = Buffer.concat([file, `${file}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
    expect(bytes.includes(Buffer.from(s.id))).toBe(false);
    expect(bytes.includes(Buffer.from(s.csrfToken))).toBe(true);
  });

  it('failures counted through both connections lock the name out in both', async () => {
    let now = 0;
    const options = { maxFailures: 3, lockMs: 1000, failureDelayMs: 0, now: () => now };
    const a = createLoginGuard(options, createSqliteLoginFailureStore(connect()));
    const b = createLoginGuard(options, createSqliteLoginFailureStore(connect()));
    await a.failed('admin');
    await b.failed('admin');
    expect(a.lockedFor('admin')).toBe(0);
    await a.failed('admin');
    expect(b.lockedFor('admin')).toBe(1000);
    now = 1000;
    await b.failed('admin');
    a.succeeded('admin');
    await b.failed('admin');
    expect(a.lockedFor('admin')).toBe(0);
  });

  it('activity recorded through one connection is listed through the other, in one ring and one count', async () => {
    const a = createActivityLog({ store: createSqliteActivityStore(connect(), { capacity: 3 }) });
    const b = createActivityLog({ store: createSqliteActivityStore(connect(), { capacity: 3 }) });
    const la = a.logger(createLogger('silent'));
    const lb = b.logger(createLogger('silent'));
    // one request finishing per event-loop turn, alternating between the processes
    la.info('soap request', { requestId: 'a1', transaction: 'ITI-18', status: 200, outcome: 'Failure', errorCodes: ['XDSRegistryError'] });
    await nextTurn();
    lb.info('soap request', { requestId: 'b1', transaction: 'ITI-41', status: 200 });
    await nextTurn();
    la.info('soap request', { requestId: 'a2', transaction: 'ITI-43', status: 500, errorCodes: ['SOAP:s:Receiver'] });
    await nextTurn();
    lb.info('soap request', { requestId: 'b2', transaction: 'ITI-18', status: 200, outcome: 'Failure', errorCodes: ['XDSRegistryError'] });
    // a process writes its entries at the end of the turn, but its own reads see them at once
    expect(b.recent().map((e) => e.requestId)).toEqual(['b2', 'a2', 'b1']);
    la.info('soap request', { requestId: 'a3', transaction: 'ITI-18', status: 200 });
    expect(b.recent(1).map((e) => e.requestId)).toEqual(['b2']);
    await nextTurn();
    expect(b.recent(1).map((e) => e.requestId)).toEqual(['a3']);
    a.record({ time: 't', requestId: 'a4', outcome: 'Failure', errorCodes: ['XDSRegistryError'] });
    a.record({ time: 't', requestId: 'a5', outcome: 'Failure', errorCodes: ['XDSRegistryError'] });
    a.record({ time: 't', requestId: 'a6', outcome: 'Failure', errorCodes: ['XDSRegistryError'] });
    expect(a.recent().map((e) => e.requestId)).toEqual(['a6', 'a5', 'a4']);
    expect(b.errorsByCode().map((e) => [e.code, e.count])).toEqual([
      ['XDSRegistryError', 5],
      ['SOAP:s:Receiver', 1],
    ]);
    a.record({ time: 't', requestId: 'a7', outcome: 'Success', errorCodes: [] });
    await nextTurn();
    expect(b.recent().map((e) => e.requestId)).toEqual(['a7', 'a6', 'a5']);
    await nextTurn();
    expect(a.recent(1).map((e) => e.requestId)).toEqual(['a7']);
    const c = createActivityLog({ store: createSqliteActivityStore(connect(), { capacity: 3 }) });
    expect(c.recent(10).map((e) => e.requestId)).toEqual(['a7', 'a6', 'a5']);
    expect(c.errorsByCode()).toEqual([
      { code: 'XDSRegistryError', count: 5, lastSeen: 't', lastTransaction: undefined },
      { code: 'SOAP:s:Receiver', count: 1, lastSeen: expect.any(String), lastTransaction: 'ITI-43' },
    ]);
  });

  it('activity through the logger: errors counted across processes with the last transaction', async () => {
    const a = createActivityLog({ store: createSqliteActivityStore(connect(), { capacity: 3 }) });
    const b = createActivityLog({ store: createSqliteActivityStore(connect(), { capacity: 3 }) });
    const la = a.logger(createLogger('silent'));
    const lb = b.logger(createLogger('silent'));
    la.info('soap request', { requestId: 'a1', transaction: 'ITI-18', status: 200, outcome: 'Failure', errorCodes: ['XDSRegistryError'] });
    lb.info('soap request', { requestId: 'b1', transaction: 'ITI-41', status: 200 });
    la.info('soap request', { requestId: 'a2', transaction: 'ITI-43', status: 500, errorCodes: ['SOAP:s:Receiver'] });
    await nextTurn();
    lb.info('soap request', { requestId: 'b2', transaction: 'ITI-18', status: 200, outcome: 'Failure', errorCodes: ['XDSRegistryError'] });
    await nextTurn();
    // newest first in commit order: a's batch of the first turn (a1, a2) went in before b's (b1)
    expect(b.recent().map((e) => e.requestId)).toEqual(['b2', 'b1', 'a2']);
    expect(a.recent().map((e) => e.requestId)).toEqual(['b2', 'b1', 'a2']);
    expect(a.errorsByCode()).toEqual([
      { code: 'XDSRegistryError', count: 2, lastSeen: expect.any(String), lastTransaction: 'ITI-18' },
      { code: 'SOAP:s:Receiver', count: 1, lastSeen: expect.any(String), lastTransaction: 'ITI-43' },
    ]);
  });

  it('shares the file with other tables and opens again without losing anything', () => {
    const db = connect();
    db.exec('CREATE TABLE replay_messages (id TEXT PRIMARY KEY, expires_at INTEGER)');
    const sessions = createSqliteSessionStore(db);
    const s = sessions.create('alice');
    const activity = createSqliteActivityStore(db);
    activity.add({ time: 't', outcome: 'Success', errorCodes: [] });
    activity.flush();
    createSqliteLoginFailureStore(db).recordFailure('x', 0, { maxFailures: 1, windowMs: 1, lockMs: 5 });
    const again = connect();
    expect(createSqliteSessionStore(again).get(s.id)?.user).toBe('alice');
    expect(createSqliteActivityStore(again).recent(5)).toHaveLength(1);
    expect(createSqliteLoginFailureStore(again).lockedUntil('x')).toBe(5);
    const tables = (again.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[]).filter((n) => n !== 'replay_messages');
    expect(tables.every((n) => n.startsWith('admin_'))).toBe(true);
  });

  it('writes the activity of one event-loop turn in one transaction, reports a failed write, drops entries after close', async () => {
    const db = connect();
    const errors: unknown[] = [];
    const store = createSqliteActivityStore(db, { capacity: 10, onError: (err) => errors.push(err) });
    const other = connect();
    const changes = () => other.prepare('SELECT count(*) FROM admin_activity').pluck().get();
    for (let n = 1; n <= 3; n++) store.add({ time: `t${n}`, requestId: `r${n}`, outcome: 'Success', errorCodes: [] });
    expect(changes()).toBe(0);
    await nextTurn();
    expect(changes()).toBe(3);
    store.add({ time: 't4', outcome: 'Success', errorCodes: [] });
    store.flush();
    expect(changes()).toBe(4);
    for (let n = 0; n < 200; n++) store.add({ time: 't', requestId: `bulk${n}`, outcome: 'Success', errorCodes: [] });
    store.flush();
    expect(changes()).toBeGreaterThanOrEqual(10);
    expect(changes()).toBeLessThan(10 + 64); // trimmed at least every 64 inserts
    expect(store.recent(100).map((e) => e.requestId)).toEqual(Array.from({ length: 10 }, (_, i) => `bulk${199 - i}`));
    other.exec('DROP TABLE admin_activity');
    store.add({ time: 't5', outcome: 'Success', errorCodes: [] });
    await nextTurn();
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toMatch(/admin_activity/);
    db.close();
    store.add({ time: 't6', outcome: 'Success', errorCodes: [] });
    await nextTurn(); // nothing thrown, nothing reported: the hub closed the file on shutdown
    expect(errors).toHaveLength(1);
  });

  const runChild = (mode: string, count: number, tag: string) =>
    new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', CHILD, file, mode, String(count), tag], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`child ${tag} exited ${code}: ${stderr}`))));
    });

  it('processes failing logins at the same time lose no failure', async () => {
    // The file exists (in WAL mode, with the table) before the children start, as the cluster primary should
    // leave it: once, with children creating a brand-new file themselves, one failed at once with "database
    // is locked" (not reproduced since; suspected: SQLite's busy timeout does not cover the switch of a
    // brand-new file to WAL mode).
    createSqliteLoginFailureStore(connect());
    await Promise.all([runChild('failures', 400, 'p1'), runChild('failures', 400, 'p2'), runChild('failures', 400, 'p3')]);
    const row = dbs[0].prepare("SELECT failures FROM admin_login_failures WHERE user = 'shared-user'").pluck().get();
    expect(row).toBe(1200);
  });

  it('processes recording at the same time keep one bounded ring and exact counts', async () => {
    const store = createSqliteActivityStore(connect(), { capacity: 50 }); // the file exists first (see above)
    await Promise.all([runChild('activity', 300, 'p1'), runChild('activity', 300, 'p2')]);
    const recent = store.recent(1000);
    expect(recent).toHaveLength(50);
    expect(recent.filter((e) => e.requestId === 'p1-299' || e.requestId === 'p2-299').length).toBeGreaterThan(0);
    expect(store.errorsByCode()).toEqual([{ code: 'XDSRegistryError', count: 600, lastSeen: expect.any(String), lastTransaction: undefined }]);
    // the rows past the ring are deleted every 64 inserts
    expect(dbs[0].prepare('SELECT count(*) FROM admin_activity').pluck().get()).toBeLessThan(50 + 64);
  });
});
