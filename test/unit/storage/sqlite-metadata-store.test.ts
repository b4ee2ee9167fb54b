import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteDatabase } from '../../../src/storage/sqlite/database.js';
import { openSqliteStores } from '../../../src/storage/sqlite/index.js';
import { likeToGlob } from '../../../src/storage/sqlite/query.js';
import { emptyWrite, type DocumentEntryFilter } from '../../../src/storage/ports.js';
import { Status } from '../../../src/xds/model/types.js';
import { code, CONNECTATHON, documentEntry, LOINC, OTHER_PATIENT, PATIENT } from '../../support/domain-builders.js';

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
      const sqls: string[] = [];
      const original = db.prepare.bind(db);
      // record the plan of every statement the store prepares for these queries
      (db as unknown as { prepare: typeof db.prepare }).prepare = ((sql: string) => {
        if (/^\s*SELECT/i.test(sql)) {
          sqls.push(sql);
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
      expect(plans[0]).toMatch(/de_patient_codes \(patient_id=\? AND status=\? AND is_latest=\?\)/);
      // patient-driven: the classCode is tested on the candidate row (code_keys), not probed in codes
      // (one SEARCH only: the candidates' index entries carry code_keys, no codes probe per candidate)
      expect(plans[0].split(' | ').filter((step) => step.startsWith('SEARCH'))).toHaveLength(1);
      expect(sqls[0]).toMatch(/instr\(x\.code_keys, \?\) > 0/);
      expect(sqls[0]).not.toMatch(/FROM codes/);
      // without patient the codes key still drives and filters
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
      raw.exec('DROP INDEX de_patient_codes; ALTER TABLE document_entries DROP COLUMN is_latest');
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

describe('SqliteMetadataStore code_keys (patient-driven code filters)', () => {
  type Db = import('better-sqlite3').Database;
  const dbOf = (stores: ReturnType<typeof openSqliteStores>) => (stores.metadata as unknown as { db: Db }).db;
  const keysByUuid = (db: Db) =>
    new Map(
      (
        db
          .prepare('SELECT o.uuid, d.code_keys FROM document_entries d JOIN objects o ON o.id = d.id')
          .all() as { uuid: string; code_keys: string }[]
      ).map((r) => [r.uuid, r.code_keys]),
    );
  /** A token list independent of order (the SQL backfill concatenates in codes-table order). */
  const tokens = (keys: string) => keys.split('\u001f').filter((t) => t !== '').sort();

  const entries = () => [
    documentEntry({ classCode: code('A', 'cls'), eventCodes: [code('E1', 'ev'), code('E2', 'ev2')] }),
    documentEntry({ classCode: code('A', 'cls2'), confidentialityCodes: [code('R', 'conf'), code('N', 'conf')] }),
    documentEntry({ classCode: code('B', 'cls'), eventCodes: [code('E1', 'other'), code('E1', 'other')] }),
    // a code that is a prefix of another and a scheme that is a prefix of another: tokens must not confuse them
    documentEntry({ classCode: code('AB', 'cls'), typeCode: code('T', 'cls2x') }),
    documentEntry({ classCode: code('A', 'cls'), patientId: OTHER_PATIENT }),
  ];
  const conditions: Partial<DocumentEntryFilter>[] = [
    { classCode: [[{ code: 'A', scheme: 'cls' }]] },
    { classCode: [[{ code: 'A' }]] },
    { classCode: [[{ code: 'A', scheme: 'cls' }, { code: 'B' }]] },
    { classCode: [[{ code: 'A' }, { code: 'AB' }]], eventCode: [[{ code: 'E1' }]] },
    { eventCode: [[{ code: 'E1' }], [{ code: 'E2', scheme: 'ev2' }]] },
    { eventCode: [[{ code: 'E1', scheme: 'ev' }], [{ code: 'E2', scheme: 'ev' }]] },
    { confidentialityCode: [[{ code: 'N' }], [{ code: 'R', scheme: 'conf' }]] },
    { classCode: [[{ code: 'A' }], []] },
    { typeCode: [[{ code: 'T', scheme: 'cls2' }]] },
    { typeCode: [[{ code: 'T', scheme: 'cls2x' }]] },
    { classCode: [[{ code: 'AB', scheme: 'cls' }]], formatCode: [[{ code: 'urn:ihe:pcc:xphr:2007' }]] },
    { healthcareFacilityTypeCode: [[{ code: 'Outpatient', scheme: CONNECTATHON }]], practiceSettingCode: [[{ code: 'x' }]] },
  ];

  /** Each condition's answer, patient-driven (code_keys) and code-driven (codes probes) side by side. */
  async function answers(m: ReturnType<typeof openSqliteStores>['metadata']) {
    const out: { byPatient: string[]; byCode: string[] }[] = [];
    for (const c of conditions) {
      const byPatient = (await m.findDocumentEntries({ ...c, patientIds: [PATIENT] })).map((d) => d.entryUuid);
      const byCode = (await m.findDocumentEntries(c))
        .filter((d) => d.patientId === PATIENT)
        .map((d) => d.entryUuid);
      out.push({ byPatient, byCode });
    }
    return out;
  }

  it('answers code conditions on the row exactly as the codes probes do (AND of ORs, any scheme, empty group)', async () => {
    const stores = openSqliteStores(':memory:');
    try {
      const es = entries();
      await stores.metadata.commit({ ...emptyWrite(), insert: es });
      const got = await answers(stores.metadata);
      for (const { byPatient, byCode } of got) expect(byPatient).toEqual(byCode);
      const [e0, e1, e2, e3] = es.map((e) => e.entryUuid);
      expect(got.map((g) => g.byPatient)).toEqual([
        [e0],
        [e0, e1],
        [e0, e2],
        [e0],
        [e0],
        [],
        [e1],
        [],
        [],
        [e3],
        [e3],
        [],
      ]);
      // a query code containing a separator equals no stored code; it matches nothing and is not an error
      expect(
        await stores.metadata.findDocumentEntries({ patientIds: [PATIENT], classCode: [[{ code: 'A\u001e' }]] }),
      ).toEqual([]);
      expect(
        await stores.metadata.findDocumentEntries({
          patientIds: [PATIENT],
          classCode: [[{ code: 'A', scheme: 'cls\u001f' }, { code: 'B', scheme: 'cls' }]],
        }),
      ).toHaveLength(1);
    } finally {
      await stores.close();
    }
  });

  it('gives bulk-loaded and committed entries identical code_keys', async () => {
    const es = entries();
    const committed = openSqliteStores(':memory:');
    const bulk = openSqliteStores(':memory:');
    try {
      await committed.metadata.commit({ ...emptyWrite(), insert: es });
      expect(bulk.metadata.bulkLoadDocumentEntries(es)).toBe(es.length);
      const a = keysByUuid(dbOf(committed));
      const b = keysByUuid(dbOf(bulk));
      expect(a.size).toBe(es.length);
      expect(b).toEqual(a);
      // one token per distinct (kind, code, scheme), in the order of rows.ts sideRows
      expect(a.get(es[2].entryUuid)).toBe(
        '\u001f1\u001eB\u001ecls\u001f' +
          `\u001f2\u001e11488-4\u001e${LOINC}\u001f` +
          `\u001f3\u001eGeneral Medicine\u001e${CONNECTATHON}\u001f` +
          `\u001f4\u001eOutpatient\u001e${CONNECTATHON}\u001f` +
          '\u001f7\u001eurn:ihe:pcc:xphr:2007\u001e1.3.6.1.4.1.19376.1.2.3\u001f' +
          '\u001f5\u001eE1\u001eother\u001f' +
          '\u001f6\u001eN\u001e2.16.840.1.113883.5.25\u001f',
      );
    } finally {
      await committed.close();
      await bulk.close();
    }
  });

  it('refuses to store a code or scheme containing U+001E or U+001F, on both write paths', async () => {
    const stores = openSqliteStores(':memory:');
    try {
      const m = stores.metadata;
      const bad = documentEntry({ classCode: code('A\u001eB', 'cls') });
      await expect(m.commit({ ...emptyWrite(), insert: [documentEntry(), bad] })).rejects.toThrow(
        /code "A\\u001eB" \(scheme "cls"\) contains U\+001E or U\+001F/,
      );
      const badScheme = documentEntry({ eventCodes: [code('E', 'ev\u001f')] });
      expect(() => m.bulkLoadDocumentEntries([badScheme])).toThrow(/contains U\+001E or U\+001F/);
      // the whole write was refused: nothing of it is stored
      expect((await m.countObjects()).DocumentEntry).toBe(0);
      expect(dbOf(stores).prepare('SELECT count(*) AS n FROM codes').get()).toEqual({ n: 0 });
    } finally {
      await stores.close();
    }
  });

  it('adds and backfills code_keys on a database of an earlier development build', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xds-sqlite-'));
    const file = path.join(dir, 'registry.db');
    try {
      const first = openSqliteStores(file);
      await first.metadata.commit({ ...emptyWrite(), insert: entries() });
      const before = await answers(first.metadata);
      const keysBefore = keysByUuid(dbOf(first));
      await first.close();
      const raw = openSqliteDatabase(file);
      raw.exec(
        'DROP INDEX de_patient_codes; ALTER TABLE document_entries DROP COLUMN code_keys; ' +
          'CREATE INDEX de_patient_latest ON document_entries (patient_id, status, is_latest)',
      );
      raw.close();
      const second = openSqliteStores(file);
      try {
        const keysAfter = keysByUuid(dbOf(second));
        expect([...keysAfter.keys()].sort()).toEqual([...keysBefore.keys()].sort());
        for (const [uuid, keys] of keysBefore) expect(tokens(keysAfter.get(uuid)!)).toEqual(tokens(keys));
        expect(await answers(second.metadata)).toEqual(before);
        // and writes after the migration keep it
        const later = documentEntry({ classCode: code('Z', 'cls') });
        await second.metadata.commit({ ...emptyWrite(), insert: [later] });
        const found = await second.metadata.findDocumentEntries({ patientIds: [PATIENT], classCode: [[{ code: 'Z' }]] });
        expect(found.map((d) => d.entryUuid)).toEqual([later.entryUuid]);
      } finally {
        await second.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
