import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteDatabase } from '../../../src/storage/sqlite/database.js';
import { openSqliteStores } from '../../../src/storage/sqlite/index.js';
import { likeToGlob } from '../../../src/storage/sqlite/query.js';
import { emptyWrite } from '../../../src/storage/ports.js';
import { Status } from '../../../src/xds/model/types.js';
import { code, documentEntry, PATIENT } from '../../support/domain-builders.js';

describe('likeToGlob', () => {
  it('maps % and _ and escapes GLOB metacharacters', () => {
    expect(likeToGlob('%Smith%')).toBe('*Smith*');
    expect(likeToGlob('^Sm_th^')).toBe('^Sm?th^');
    expect(likeToGlob('a*b?c[d]')).toBe('a[*]b[?]c[[]d]');
  });
});

describe('SqliteMetadataStore bulk load', () => {
  it('loads entries in batches, reports progress, and they are found like committed ones', async () => {
    const stores = openSqliteStores(':memory:');
    try {
      const entries = Array.from({ length: 25 }, (_, i) =>
        documentEntry({ classCode: code(i % 2 ? 'odd' : 'even', 'cls'), eventCodes: [code('E', 'ev'), code('E', 'ev')] }),
      );
      const progress: number[] = [];
      const n = stores.metadata.bulkLoadDocumentEntries(entries, { batchSize: 10, onProgress: (x) => progress.push(x) });
      expect(n).toBe(25);
      expect(progress).toEqual([10, 20, 25]);
      const odd = await stores.metadata.findDocumentEntries({
        patientIds: [PATIENT],
        statuses: [Status.Approved],
        classCode: [[{ code: 'odd', scheme: 'cls' }]],
        eventCode: [[{ code: 'E' }]],
      });
      expect(odd.map((d) => d.entryUuid).sort()).toEqual(entries.filter((_, i) => i % 2).map((d) => d.entryUuid).sort());
      // the unique indexes still hold on the bulk path; the failing batch is rolled back whole
      expect(() => stores.metadata.bulkLoadDocumentEntries([documentEntry(), entries[0]])).toThrow(/UNIQUE/);
      const sameLidAndVersion = documentEntry({ logicalId: entries[1].logicalId });
      expect(() => stores.metadata.bulkLoadDocumentEntries([sameLidAndVersion])).toThrow(/UNIQUE/);
      expect((await stores.metadata.countObjects()).DocumentEntry).toBe(25);
      // and the normal commit path works afterwards (synchronous mode restored, no open transaction)
      await stores.metadata.commit({ ...emptyWrite(), insert: [documentEntry()] });
      expect((await stores.metadata.countObjects()).DocumentEntry).toBe(26);
    } finally {
      await stores.close();
    }
  });
});

describe('SqliteMetadataStore access paths', () => {
  it('answers the stored-query access paths from indexes, never by scanning a table', async () => {
    const stores = openSqliteStores(':memory:');
    try {
      const db = (stores.metadata as unknown as { db: import('better-sqlite3').Database }).db;
      const plans: string[] = [];
      const original = db.prepare.bind(db);
      // record the plan of every statement the store prepares for these queries
      (db as unknown as { prepare: typeof db.prepare }).prepare = ((sql: string) => {
        if (/^\s*SELECT/i.test(sql)) {
          const plan = original(`EXPLAIN QUERY PLAN ${sql}`);
          const params = (sql.match(/\?/g) ?? []).map(() => 'x');
          plans.push(
            (plan.all(...params) as { detail: string }[]).map((r) => r.detail).join(' | '),
          );
        }
        return original(sql);
      }) as typeof db.prepare;
      const m = stores.metadata;
      await m.findDocumentEntries({ patientIds: [PATIENT], statuses: [Status.Approved], classCode: [[{ code: 'a', scheme: 's' }]] });
      await m.findDocumentEntries({ uniqueIds: ['1.2.3'] });
      await m.findDocumentEntries({ logicalIds: ['urn:uuid:x'] });
      await m.findDocumentEntries({ entryUuids: ['urn:uuid:x'] });
      await m.findDocumentEntries({ classCode: [[{ code: 'a', scheme: 's' }]] }); // multi-patient: code-driven
      await m.findAssociations({ sourceOrTarget: ['urn:uuid:x'] });
      await m.findSubmissionSets({ patientIds: [PATIENT], statuses: [Status.Approved] });
      await m.findFolders({ patientIds: [PATIENT], statuses: [Status.Approved] });
      await m.findFolders({ codeList: [[{ code: 'r' }]] }); // multi-patient: code-driven
      expect(plans).toHaveLength(9);
      for (const plan of plans) expect(plan).not.toMatch(/SCAN (x|objects|codes)\b/);
      expect(plans[0]).toMatch(/de_patient_latest \(patient_id=\? AND status=\? AND is_latest=\?\)/);
      expect(plans[1]).toMatch(/de_unique/);
      expect(plans[2]).toMatch(/de_lid_version_u/);
      expect(plans[5]).toMatch(/as_source/);
      expect(plans[5]).toMatch(/as_target/);
      expect(plans[4]).toMatch(/SEARCH codes USING/);
      expect(plans[8]).toMatch(/SEARCH codes USING/);
    } finally {
      await stores.close();
    }
  });
});

describe('openSqliteDatabase', () => {
  it('opens a file in WAL mode with synchronous=NORMAL and foreign keys, and refuses a newer schema', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xds-sqlite-'));
    const file = path.join(dir, 'registry.db');
    try {
      const db = openSqliteDatabase(file);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(1);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      db.pragma('user_version = 99');
      db.close();
      expect(() => openSqliteDatabase(file)).toThrow(/schema version 99/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('adds and backfills is_latest on a database of an earlier development build', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xds-sqlite-'));
    const file = path.join(dir, 'registry.db');
    try {
      const first = openSqliteStores(file);
      const v1 = documentEntry();
      const v2 = documentEntry({ logicalId: v1.logicalId, version: 2 });
      await first.metadata.commit({ ...emptyWrite(), insert: [v1, v2] });
      await first.close();
      const raw = openSqliteDatabase(file);
      raw.exec('DROP INDEX de_patient_latest; ALTER TABLE document_entries DROP COLUMN is_latest');
      raw.close();
      const second = openSqliteStores(file);
      const found = await second.metadata.findDocumentEntries({ patientIds: [PATIENT] });
      expect(found.map((d) => d.entryUuid)).toEqual([v2.entryUuid]);
      await second.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SqliteMetadataStore outbox retention', () => {
  it('purges dispatched messages older than the retention; until then a repeated key is dropped', async () => {
    let now = new Date('2026-11-28T08:00:00Z');
    const stores = openSqliteStores(':memory:', { clock: () => now, outboxRetentionMs: 3600_000 });
    const m = stores.metadata;
    try {
      const send = (key: string) => m.commit({ ...emptyWrite(), outbox: [{ queue: 'audit', key, payload: key }] });
      await send('a');
      await m.ackOutbox((await m.readOutbox(10)).map((r) => r.seq));
      now = new Date('2026-11-28T08:30:00Z');
      await send('a');
      expect(await m.readOutbox(10)).toEqual([]);
      await send('b');
      // two hours later: acking b purges a (dispatched 2 h ago), so a is new again
      now = new Date('2026-11-28T10:00:00Z');
      await m.ackOutbox((await m.readOutbox(10)).map((r) => r.seq));
      await send('a');
      expect((await m.readOutbox(10)).map((r) => r.key)).toEqual(['a']);
      await send('b');
      expect((await m.readOutbox(10)).map((r) => r.key)).toEqual(['a']);
    } finally {
      await stores.close();
    }
  });
});
