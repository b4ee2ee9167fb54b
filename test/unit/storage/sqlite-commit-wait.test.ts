/**
 * SqliteMetadataStore.commit() while another process holds the registry's write lock (the HTTP workers of a
 * cluster all commit to one file): it waits on a timer, so the event loop — every other request of the
 * process — keeps running, and commits once the lock is free; past commitWaitMs it fails with SQLITE_BUSY
 * and writes nothing. (SQLite's own busy handler would sleep in the thread: the release below, scheduled
 * on a timer, could then never run and the commit would fail after the busy timeout.)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyWrite } from '../../../src/storage/ports.js';
import { openSqliteStores, type SqliteStores } from '../../../src/storage/sqlite/index.js';
import { openWalDatabase } from '../../../src/storage/sqlite/wal-database.js';

const row = (key: string) => ({ ...emptyWrite(), outbox: [{ queue: 'minlog.registration', key, payload: { key } }] });

describe('commit while another process holds the write lock', () => {
  let dir: string;
  let stores: SqliteStores;
  let other: Database.Database;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xds-commit-wait-'));
    stores = openSqliteStores(path.join(dir, 'registry.db'), { commitWaitMs: 2000 });
    other = openWalDatabase(path.join(dir, 'registry.db'));
  });
  afterEach(async () => {
    if (other.inTransaction) other.exec('ROLLBACK');
    other.close();
    await stores.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('waits without stopping the event loop and commits when the lock is released', async () => {
    other.exec('BEGIN IMMEDIATE');
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    let done = false;
    const commit = stores.metadata.commit(row('k1')).then(() => (done = true));
    try {
      await new Promise((r) => setTimeout(r, 80));
      expect(done).toBe(false);
      expect(ticks).toBeGreaterThanOrEqual(5);
      other.exec('COMMIT');
      await commit;
    } finally {
      clearInterval(ticker);
    }
    expect((await stores.metadata.readOutbox(10)).map((r) => r.key)).toEqual(['k1']);
  });

  it('gives up after commitWaitMs with SQLITE_BUSY, having written nothing; later commits work', async () => {
    await stores.close();
    stores = openSqliteStores(path.join(dir, 'registry.db'), { commitWaitMs: 60 });
    other.exec('BEGIN IMMEDIATE');
    const started = Date.now();
    await expect(stores.metadata.commit(row('k2'))).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(60);
    other.exec('COMMIT');
    expect(await stores.metadata.readOutbox(10)).toEqual([]);
    await stores.metadata.commit(row('k3'));
    expect((await stores.metadata.readOutbox(10)).map((r) => r.key)).toEqual(['k3']);
  });

  it('other errors are not retried', async () => {
    await stores.metadata.commit(row('k4'));
    const bad = { ...emptyWrite(), statusChanges: [{ entryUuid: 'urn:uuid:not-there', status: 'urn:oasis:names:tc:ebxml-regrep:StatusType:Deprecated' }] };
    const started = Date.now();
    await expect(stores.metadata.commit(bad as never)).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
