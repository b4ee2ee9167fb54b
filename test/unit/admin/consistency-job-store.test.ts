/**
 * ConsistencyJobStore adapters (contract suite), and what the cluster needs from the runner on top of the
 * SQLite store: a check started in one process is polled from another (two runners on one cluster-state.db,
 * as two HTTP workers have), and a check whose process died reads as failed instead of running forever.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConsistencyRunner } from '../../../src/admin/api/consistency-check.js';
import { createMemoryConsistencyJobStore } from '../../../src/admin/api/consistency-job-store.js';
import { createSqliteConsistencyJobStore } from '../../../src/storage/sqlite/consistency-job-store.js';
import { openWalDatabase } from '../../../src/storage/sqlite/wal-database.js';
import { openSqliteStores, type SqliteStores } from '../../../src/storage/sqlite/index.js';
import { FsDocumentStore } from '../../../src/storage/fs/fs-document-store.js';
import { describeConsistencyJobStoreContract, job } from '../../contract/consistency-job-store.contract.js';

describeConsistencyJobStoreContract('memory', (maxJobs) => ({ store: createMemoryConsistencyJobStore(maxJobs), cleanup: () => undefined }));

describeConsistencyJobStoreContract('SQLite', (maxJobs) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xds-jobs-'));
  const db = openWalDatabase(path.join(dir, 'cluster-state.db'));
  return {
    store: createSqliteConsistencyJobStore(db, maxJobs),
    cleanup: () => {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('consistency checks across the processes of a cluster', () => {
  let dir: string;
  let dbs: Database.Database[];
  let stores: SqliteStores;
  let documents: FsDocumentStore;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xds-jobs-'));
    dbs = [0, 1].map(() => openWalDatabase(path.join(dir, 'cluster-state.db')));
    stores = openSqliteStores(path.join(dir, 'registry.db'));
    documents = await FsDocumentStore.open(path.join(dir, 'documents'));
    await documents.put('orphan-1', Buffer.from('bytes without an entry'));
  });
  afterEach(async () => {
    for (const db of dbs) db.close();
    await stores.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const runner = (db: Database.Database) =>
    createConsistencyRunner({ metadata: stores.metadata, documents, repositoryUniqueId: '1.2.3', jobs: createSqliteConsistencyJobStore(db) });

  it('a check started through one connection is listed and polled to its result through the other', async () => {
    const a = runner(dbs[0]!);
    const b = runner(dbs[1]!);
    const started = a.start('admin');
    expect(b.get(started.id)?.startedBy).toBe('admin');
    await a.wait(started.id);
    const seen = b.get(started.id)!;
    expect(seen.state).toBe('done');
    expect(seen.summary.orphanBytes).toBe(1);
    expect(seen.findings).toEqual([{ kind: 'orphanBytes', uniqueId: 'orphan-1' }]);
    expect(b.list().map((j) => j.id)).toEqual([started.id]);
  });

  it("a running check of a process that is gone reads as failed; one of a live process as running", () => {
    const store = createSqliteConsistencyJobStore(dbs[0]!);
    // pid 2^22 + 1 is above Linux's pid_max limit (4 194 304): no such process can exist.
    store.save(job('orphaned'), 4_194_305);
    store.save(job('alive'), process.ppid);
    const b = runner(dbs[1]!);
    const orphaned = b.get('orphaned')!;
    expect(orphaned.state).toBe('failed');
    expect(orphaned.error).toContain('pid 4194305');
    expect(b.get('alive')!.state).toBe('running');
    expect(b.list().find((j) => j.id === 'orphaned')!.state).toBe('failed');
  });
});
