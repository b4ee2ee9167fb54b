/**
 * ReplayStore adapters: the contract suite for the in-process and the SQLite store, then what only the
 * SQLite store promises: worker processes sharing one file share the replay window (dk-nsp.md §1.4).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryReplayStore } from '../../../src/security/replay-store.js';
import { createSecurityFromEnv } from '../../../src/security/setup.js';
import { createSqliteReplayStore } from '../../../src/storage/sqlite/replay-store.js';
import { openWalDatabase } from '../../../src/storage/sqlite/wal-database.js';
import { describeReplayStoreContract } from '../../contract/replay-store.contract.js';
import { dgwsXml, expectAccepted, expectFault, makeCa, request, userCard } from '../../security/support.js';

const here = path.dirname(fileURLToPath(import.meta.url));

describeReplayStoreContract('memory', ({ clock, maxEntries }) => ({
  store: createMemoryReplayStore(maxEntries, clock),
  slack: 0,
  cleanup: () => undefined,
}));

describeReplayStoreContract('SQLite', ({ clock, maxEntries }) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xds-replay-'));
  const db = openWalDatabase(path.join(dir, 'cluster-state.db'));
  const purgeEvery = 10;
  return {
    store: createSqliteReplayStore(db, { clock, maxEntries, purgeEvery }),
    slack: purgeEvery,
    cleanup: () => {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SQLite replay store shared by processes', () => {
  let dir: string;
  let file: string;
  const dbs: Database.Database[] = [];
  const connect = () => {
    const db = openWalDatabase(file);
    dbs.push(db);
    return db;
  };
  const rows = (db: Database.Database) => db.prepare('SELECT count(*) FROM security_replay_messages').pluck().get() as number;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xds-replay-'));
    file = path.join(dir, 'cluster-state.db');
  });
  afterEach(() => {
    for (const db of dbs.splice(0)) db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a key remembered through one connection is a replay through another (two workers)', () => {
    let now = 1_000_000;
    const clock = () => now;
    const a = createSqliteReplayStore(connect(), { clock });
    const b = createSqliteReplayStore(connect(), { clock });
    expect(a.remember('dgws:sts:card\u0000m1', now + 1_000)).toBe(true);
    expect(b.remember('dgws:sts:card\u0000m1', now + 1_000)).toBe(false);
    expect(b.remember('dgws:sts:card\u0000m2', now + 1_000)).toBe(true);
    expect(a.remember('dgws:sts:card\u0000m2', now + 1_000)).toBe(false);
    expect(a.size()).toBe(2);
    expect(b.size()).toBe(2);
    now += 1_000; // expired for both
    expect(b.remember('dgws:sts:card\u0000m1', now + 1_000)).toBe(true);
    expect(a.remember('dgws:sts:card\u0000m1', now + 1_000)).toBe(false);
  });

  it('survives a restart: the replay window is in the file, not in the process', () => {
    const clock = () => 1_000_000;
    const first = connect();
    expect(createSqliteReplayStore(first, { clock }).remember('k', 2_000_000)).toBe(true);
    first.close();
    dbs.splice(dbs.indexOf(first), 1);
    expect(createSqliteReplayStore(connect(), { clock }).remember('k', 2_000_000)).toBe(false);
  });

  it('purges expired rows every purgeEvery inserts and when opened, without a count bound being reached', () => {
    let now = 1_000_000;
    const clock = () => now;
    const db = connect();
    const store = createSqliteReplayStore(db, { clock, purgeEvery: 5, maxEntries: 1_000 });
    for (let i = 0; i < 4; i++) store.remember(`short-${i}`, now + 10);
    store.remember('long', now + 100_000);
    expect(rows(db)).toBe(5); // the 5th insert purged, but nothing had expired yet
    now += 10;
    for (let i = 0; i < 4; i++) store.remember(`next-${i}`, now + 100_000);
    expect(rows(db)).toBe(9); // 4 expired rows still there: only 4 inserts since the last purge
    store.remember('next-4', now + 100_000);
    expect(rows(db)).toBe(6); // 5th insert: the 4 expired rows are gone
    for (let i = 0; i < 3; i++) store.remember(`brief-${i}`, now + 5);
    now += 5;
    createSqliteReplayStore(connect(), { clock }); // another worker starting up
    expect(rows(db)).toBe(6);
  });

  it('beyond maxEntries drops the rows that expire soonest (the least left to protect)', () => {
    const now = 1_000_000;
    const db = connect();
    const store = createSqliteReplayStore(db, { clock: () => now, purgeEvery: 4, maxEntries: 2 });
    store.remember('late', now + 4_000);
    store.remember('soon', now + 1_000);
    store.remember('mid', now + 2_000);
    store.remember('later', now + 3_000);
    expect(db.prepare('SELECT key FROM security_replay_messages ORDER BY key').pluck().all()).toEqual(['late', 'later']);
  });

  it('refuses a bound that is not a positive integer', () => {
    const db = connect();
    expect(() => createSqliteReplayStore(db, { clock: Date.now, maxEntries: 0 })).toThrow(/maxEntries must be a positive integer, got 0/);
    expect(() => createSqliteReplayStore(db, { clock: Date.now, purgeEvery: 1.5 })).toThrow(/purgeEvery must be a positive integer/);
  });

  it('two processes remembering the same keys at once: each key is accepted exactly once', async () => {
    const n = 3_000;
    const expiresAt = Date.now() + 600_000;
    const store = createSqliteReplayStore(connect(), { clock: Date.now });
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'fixtures/replay-race-child.ts'), file, String(n), String(expiresAt)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let out = '';
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('ready\n')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`child exited before it was ready (${code})`)));
    });
    child.stdin.write('go\n');
    const mine: number[] = [];
    for (let i = 0; i < n; i++) if (store.remember(`race-${i}`, expiresAt)) mine.push(i);
    expect(await exited).toBe(0);
    const theirs = JSON.parse(out.slice(out.indexOf('ready\n') + 6)) as number[];
    expect(mine.length + theirs.length).toBe(n);
    expect(new Set([...mine, ...theirs]).size).toBe(n);
    expect(store.size()).toBe(n);
  }, 30_000);
});

describe('security stacks of two workers sharing the SQLite replay store', () => {
  it('a DGWS message accepted by one worker is refused as a replay by the other', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xds-replay-'));
    const file = path.join(dir, 'cluster-state.db');
    const dbs = [openWalDatabase(file), openWalDatabase(file)];
    try {
      const ca = makeCa();
      const worker = (db: Database.Database) =>
        createSecurityFromEnv(
          { dataDir: dir, insecureDevelopment: false, replay: createSqliteReplayStore(db, { clock: Date.now }) },
          { XDS_TRUSTED_STS_CERTS: ca.sts.certPem },
        ).stack;
      const [one, two] = dbs.map(worker);
      const card = userCard(ca);
      const xml = dgwsXml(card, { medcom: { securityLevel: 4, messageId: 'msg-1' } });
      await expectAccepted(one.authenticate(request(xml), 'xds-read'));
      const fault = await expectFault(two.authenticate(request(xml), 'xds-read'), 'not_authorized');
      expect(fault.message).toMatch(/replay/);
      await expectAccepted(two.authenticate(request(dgwsXml(card, { medcom: { securityLevel: 4, messageId: 'msg-2' } })), 'xds-read'));
      expect(one.stats().replayEntries).toBe(2);
    } finally {
      for (const db of dbs) db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
