/**
 * MongoMetadataStore.bulkLoadDocumentEntries on the in-memory driver fake (fake-mongo.ts, mingo): loaded
 * entries must be stored and found exactly as if each had been committed, and a uniqueness violation must
 * roll back its batch with the ConflictError commit() gives. Not run against a live MongoDB here (see
 * src/storage/mongodb/README.md).
 */
import type { Db, MongoClient } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { ensureIndexes, MongoMetadataStore, mongoUrlWithDatabase } from '../../../src/storage/mongodb/index.js';
import { openSqliteStores } from '../../../src/storage/sqlite/index.js';
import { benchPatientId, CLASS_CODES, CLASS_SCHEME, syntheticEntries } from '../../../bench/store-finddocuments.js';
import { ConflictError, emptyWrite, type DocumentEntryFilter } from '../../../src/storage/ports.js';
import { Status, type DocumentEntry } from '../../../src/xds/model/types.js';
import { author, code, documentEntry, folder, OTHER_PATIENT, PATIENT, uuid } from '../../support/domain-builders.js';
import { FakeClient, FakeDb } from './fake-mongo.js';

async function fakeStore() {
  const db = new FakeDb();
  const client = new FakeClient(db);
  await ensureIndexes(db as unknown as Db);
  return { db, client, metadata: new MongoMetadataStore(client as unknown as MongoClient, db as unknown as Db) };
}

/** A registry's documentEntries and uniqueKeys as stored, without `_o` (an ObjectId made at write time). */
function storedState(db: FakeDb) {
  const rows = (name: string) =>
    [...db.collection(name).docs.values()]
      .map(({ _o, ...rest }) => {
        expect(name !== 'documentEntries' || _o !== undefined).toBe(true);
        return rest;
      })
      .sort((a, b) => String(a._id).localeCompare(String(b._id)));
  return { documentEntries: rows('documentEntries'), uniqueKeys: rows('uniqueKeys') };
}

/** Varied entries: two patients, codes, statuses, authors, referenceIds, and several versions per logicalID. */
function sampleEntries(preloaded: DocumentEntry): DocumentEntry[] {
  const out: DocumentEntry[] = [];
  for (let i = 0; i < 13; i++) {
    out.push(
      documentEntry({
        patientId: i % 3 === 0 ? OTHER_PATIENT : PATIENT,
        status: i % 5 === 0 ? Status.Deprecated : Status.Approved,
        classCode: code(i % 2 ? 'odd' : 'even', 'cls'),
        eventCodes: i % 4 === 0 ? [code('E1', 'ev'), code('E2', 'ev')] : [],
        creationTime: `2024010${1 + (i % 9)}101500`,
        authors: [author(`^Hansen${i % 3}^Hans^^^`)],
        referenceIds: i % 6 === 0 ? [`R${i}^^^&1.2.3&ISO^urn:ihe:iti:xds:2013:accession`] : [],
      }),
    );
  }
  // logicalID with versions 1 and 2 inside one batch (entries 13, 14 with batchSize 4: batch 3)
  const lidA = uuid();
  out.push(documentEntry({ entryUuid: lidA, logicalId: lidA, version: 1, classCode: code('odd', 'cls') }));
  out.push(documentEntry({ logicalId: lidA, version: 2, classCode: code('odd', 'cls') }));
  // versions 1 and 2 of another logicalID in different batches (entries 15 and 16), 3 in the last (20)
  const lidB = uuid();
  out.push(documentEntry({ entryUuid: lidB, logicalId: lidB, version: 1, classCode: code('even', 'cls') }));
  out.push(documentEntry({ logicalId: lidB, version: 2, classCode: code('even', 'cls') }));
  // version 2 of an entry stored before the load (its version 1 must lose `_latest`)
  out.push(documentEntry({ logicalId: preloaded.logicalId, version: 2, classCode: code('odd', 'cls') }));
  out.push(documentEntry({ patientId: OTHER_PATIENT, classCode: code('even', 'cls') }));
  out.push(documentEntry({ classCode: code('odd', 'cls') }));
  out.push(documentEntry({ logicalId: lidB, version: 3, classCode: code('even', 'cls') }));
  return out;
}

const QUERIES: DocumentEntryFilter[] = [
  { patientIds: [PATIENT], statuses: [Status.Approved] },
  { patientIds: [PATIENT], statuses: [Status.Approved], allVersions: true },
  { patientIds: [PATIENT], statuses: [Status.Approved, Status.Deprecated], classCode: [[{ code: 'odd', scheme: 'cls' }]] },
  { patientIds: [OTHER_PATIENT], statuses: [Status.Approved, Status.Deprecated], eventCode: [[{ code: 'E1' }], [{ code: 'E2', scheme: 'ev' }]] },
  { patientIds: [PATIENT, OTHER_PATIENT], statuses: [Status.Approved], creationTime: { from: '20240103', to: '20240107' } },
  { patientIds: [PATIENT, OTHER_PATIENT], statuses: [Status.Approved, Status.Deprecated], authorPersons: ['%Hansen1%'] },
  { patientIds: [OTHER_PATIENT], statuses: [Status.Approved, Status.Deprecated], referenceIds: [['R6^^^&1.2.3&ISO^urn:ihe:iti:xds:2013:accession', 'R12^^^&1.2.3&ISO^urn:ihe:iti:xds:2013:accession']] },
  { classCode: [[{ code: 'even', scheme: 'cls' }]], statuses: [Status.Approved] },
];

describe('MongoMetadataStore.bulkLoadDocumentEntries (on the fake)', () => {
  it('stores and finds loaded entries exactly as after one commit per entry', async () => {
    const preloaded = documentEntry({ classCode: code('odd', 'cls') });
    const entries = sampleEntries(preloaded);

    const bulk = await fakeStore();
    await bulk.metadata.commit({ ...emptyWrite(), insert: [preloaded] });
    const progress: number[] = [];
    const n = await bulk.metadata.bulkLoadDocumentEntries(entries, { batchSize: 4, onProgress: (x) => progress.push(x) });
    expect(n).toBe(entries.length);
    expect(progress).toEqual([4, 8, 12, 16, 20, 21]);
    // one transaction per batch, every session ended
    expect(bulk.client.transactions).toEqual({ committed: 1 + 6, aborted: 0 });
    expect(bulk.client.sessionsOpen).toBe(0);

    const committed = await fakeStore();
    await committed.metadata.commit({ ...emptyWrite(), insert: [preloaded] });
    for (const e of entries) await committed.metadata.commit({ ...emptyWrite(), insert: [e] });

    // same stored form: _codes, _n, _latest and the uniqueKeys rows
    expect(storedState(bulk.db)).toEqual(storedState(committed.db));
    const latest = (db: FakeDb) =>
      [...db.collection('documentEntries').docs.values()].filter((d) => d._latest).map((d) => d._id).sort();
    expect(latest(bulk.db)).not.toContain(preloaded.entryUuid);
    expect(latest(bulk.db)).toHaveLength(entries.length + 1 - 4); // lidA v1, lidB v1 and v2, preloaded v1 superseded

    // same answers, in the same (insertion) order
    for (const q of QUERIES) {
      const got = await bulk.metadata.findDocumentEntries(q);
      expect(got, JSON.stringify(q)).toEqual(await committed.metadata.findDocumentEntries(q));
    }
    expect((await bulk.metadata.findDocumentEntries(QUERIES[0])).length).toBeGreaterThan(3);
    expect(await bulk.metadata.getObjects(entries.map((e) => e.entryUuid))).toEqual(entries);
    expect(await bulk.metadata.countObjects()).toEqual(await committed.metadata.countObjects());
  });

  it("gives the core benchmark's FindDocuments the same answers as the SQLite bulk load (bench/core-xds.ts --backends mongodb)", async () => {
    const [entries, patients] = [600, 60];
    const mongo = await fakeStore();
    const progress: number[] = [];
    expect(await mongo.metadata.bulkLoadDocumentEntries(syntheticEntries(entries, patients), { onProgress: (n) => progress.push(n) })).toBe(entries);
    expect(progress).toEqual([500, 600]);
    const sqlite = openSqliteStores(':memory:');
    try {
      sqlite.metadata.bulkLoadDocumentEntries(syntheticEntries(entries, patients));
      let hits = 0;
      for (let i = 0; i < 100; i++) {
        // the bench's bare-store query: patient + Approved + one classCode, capped like the registry does
        const filter: DocumentEntryFilter = {
          patientIds: [benchPatientId(i % patients)],
          statuses: [Status.Approved],
          classCode: [[{ code: CLASS_CODES[i % CLASS_CODES.length], scheme: CLASS_SCHEME }]],
        };
        const got = await mongo.metadata.findDocumentEntries(filter, { limit: 10_001 });
        expect(got).toEqual(await sqlite.metadata.findDocumentEntries(filter, { limit: 10_001 }));
        hits += got.length;
      }
      expect(hits).toBeGreaterThan(20);
    } finally {
      await sqlite.close();
    }
  });

  it('keeps loaded entries before later commits, and a later version committed takes over `_latest`', async () => {
    const { metadata } = await fakeStore();
    const loaded = [documentEntry(), documentEntry(), documentEntry()];
    await metadata.bulkLoadDocumentEntries(loaded);
    const later = documentEntry();
    const v2 = documentEntry({ logicalId: loaded[1].logicalId, version: 2 });
    await metadata.commit({ ...emptyWrite(), insert: [later, v2] });
    const found = await metadata.findDocumentEntries({ patientIds: [PATIENT], statuses: [Status.Approved] });
    expect(found.map((d) => d.entryUuid)).toEqual([loaded[0].entryUuid, loaded[2].entryUuid, later.entryUuid, v2.entryUuid]);
  });

  it('refuses a duplicate entryUUID within a batch before writing anything of it; earlier batches stay', async () => {
    const { metadata, client } = await fakeStore();
    const first = [documentEntry(), documentEntry()];
    const dup = documentEntry();
    const entries = [...first, documentEntry(), dup, documentEntry({ entryUuid: dup.entryUuid, logicalId: uuid() })];
    const err = await metadata.bulkLoadDocumentEntries(entries, { batchSize: 3 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect(err).toMatchObject({ reason: 'duplicateEntryUuid', subject: dup.entryUuid });
    expect((err as Error).message).toBe(`bulk load, entry 4: entryUUID ${dup.entryUuid} is already in use by entry 3`);
    // batch [0, 1, 2] loaded; batch [3, 4] was refused before it was sent (no transaction, nothing written)
    expect((await metadata.countObjects()).DocumentEntry).toBe(3);
    expect(client.transactions).toEqual({ committed: 1, aborted: 0 });
  });

  it('rolls back a batch whose entryUUID is already stored, with the ConflictError commit() gives', async () => {
    const { metadata, client, db } = await fakeStore();
    const stored = documentEntry();
    await metadata.commit({ ...emptyWrite(), insert: [stored] });
    const fresh = documentEntry();
    const again = documentEntry({ entryUuid: stored.entryUuid, logicalId: uuid() });
    await expect(metadata.bulkLoadDocumentEntries([documentEntry(), fresh, again], { batchSize: 2 })).rejects.toMatchObject({
      name: 'ConflictError',
      reason: 'duplicateEntryUuid',
      subject: stored.entryUuid,
      message: `bulk load, entry 2: entryUUID ${stored.entryUuid} is already in use`,
    });
    expect(client.transactions).toEqual({ committed: 2, aborted: 1 });
    expect((await metadata.countObjects()).DocumentEntry).toBe(3);
    expect(db.collection('uniqueKeys').docs.size).toBe(6); // uuid| and dl| of the three entries stored
    expect(client.sessionsOpen).toBe(0);
  });

  it('refuses an entryUUID used by another kind and a second entry for a logicalID and version', async () => {
    const { metadata } = await fakeStore();
    const f = folder();
    const de = documentEntry();
    await metadata.commit({ ...emptyWrite(), insert: [f, de] });
    await expect(metadata.bulkLoadDocumentEntries([documentEntry({ entryUuid: f.entryUuid, logicalId: uuid() })])).rejects.toMatchObject({
      reason: 'duplicateEntryUuid',
      subject: f.entryUuid,
    });
    await expect(metadata.bulkLoadDocumentEntries([documentEntry({ logicalId: de.logicalId })])).rejects.toMatchObject({
      reason: 'precondition',
      subject: de.logicalId,
      message: `bulk load, entry 0: DocumentEntry logicalID ${de.logicalId} already has a version 1`,
    });
    expect((await metadata.countObjects()).DocumentEntry).toBe(1);
  });

  it('takes DocumentEntries only, loads nothing from an empty input, and refuses after close', async () => {
    const { metadata } = await fakeStore();
    await expect(metadata.bulkLoadDocumentEntries([folder() as unknown as DocumentEntry])).rejects.toThrow(
      'bulk load takes DocumentEntries only; entry 0 is a Folder',
    );
    const progress: number[] = [];
    expect(await metadata.bulkLoadDocumentEntries([], { onProgress: (x) => progress.push(x) })).toBe(0);
    expect(progress).toEqual([]);
    async function* lazily() {
      yield documentEntry();
      yield documentEntry();
    }
    expect(await metadata.bulkLoadDocumentEntries(lazily())).toBe(2);
    await metadata.close();
    await expect(metadata.bulkLoadDocumentEntries([documentEntry()])).rejects.toThrow(/closed/);
  });
});

describe('mongoUrlWithDatabase', () => {
  it('puts the database in the path and keeps the options', () => {
    expect(mongoUrlWithDatabase('mongodb://127.0.0.1:27017/?replicaSet=rs0', 'xds_bench_1')).toBe(
      'mongodb://127.0.0.1:27017/xds_bench_1?replicaSet=rs0',
    );
    expect(mongoUrlWithDatabase('mongodb://a:1,b:2/xds?replicaSet=rs0&w=majority', 'other')).toBe(
      'mongodb://a:1,b:2/other?replicaSet=rs0&w=majority',
    );
    expect(mongoUrlWithDatabase('mongodb://h', 'x')).toBe('mongodb://h/x');
    expect(mongoUrlWithDatabase('mongodb://h?replicaSet=rs0', 'x')).toBe('mongodb://h/x?replicaSet=rs0');
  });

  it('keeps SCRAM users authenticating where they did before', () => {
    expect(mongoUrlWithDatabase('mongodb://u:p%40ss@h/?replicaSet=rs0', 'x')).toBe('mongodb://u:p%40ss@h/x?replicaSet=rs0&authSource=admin');
    expect(mongoUrlWithDatabase('mongodb://u:p@h/registry', 'x')).toBe('mongodb://u:p@h/x?authSource=registry');
    expect(mongoUrlWithDatabase('mongodb://u:p@h/registry?authSource=admin', 'x')).toBe('mongodb://u:p@h/x?authSource=admin');
    // X.509 authenticates against $external; +srv may take authSource from DNS: left alone
    expect(mongoUrlWithDatabase('mongodb://CN%3Dme@h/?authMechanism=MONGODB-X509', 'x')).toBe('mongodb://CN%3Dme@h/x?authMechanism=MONGODB-X509');
    expect(mongoUrlWithDatabase('mongodb+srv://u:p@cluster.example.org/', 'x')).toBe('mongodb+srv://u:p@cluster.example.org/x');
  });

  it('refuses a URL or database name the hub would refuse', () => {
    expect(() => mongoUrlWithDatabase('postgres://h/db', 'x')).toThrow(/mongodb:\/\//);
    expect(() => mongoUrlWithDatabase('mongodb://h/', 'a.b')).toThrow(/not a valid MongoDB database name/);
    expect(() => mongoUrlWithDatabase('mongodb://h/', '')).toThrow(/not a valid MongoDB database name/);
  });
});
