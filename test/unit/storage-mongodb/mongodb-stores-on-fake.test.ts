/**
 * The MetadataStore and PatientStore contract suites against the MongoDB adapter, run on an in-memory
 * driver fake with MongoDB query semantics (fake-mongo.ts, mingo). This exercises the adapter's
 * commit logic, uniqueKeys, latest-version bookkeeping, outbox and the filter translation end to end
 * without a server; test/contract/mongodb-metadata-store.test.ts runs the same suites on a live MongoDB.
 */
import type { Db, MongoClient } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/config.js';
import { ensureIndexes, MongoMetadataStore, MongoPatientStore } from '../../../src/storage/mongodb/index.js';
import { assertTransactionsSupported, mongoDbName } from '../../../src/storage/mongodb/index.js';
import { prefixRegExp } from '../../../src/storage/mongodb/patient-store.js';
import { duplicateKeyOf } from '../../../src/storage/mongodb/metadata-store.js';
import { duplicateKeyConflict } from '../../../src/storage/mongodb/commit.js';
import { emptyWrite } from '../../../src/storage/ports.js';
import { describeMetadataStoreContract } from '../../contract/metadata-store.contract.js';
import { describePatientStoreContract } from '../../contract/patient-store.contract.js';
import { documentEntry } from '../../support/domain-builders.js';
import { FakeClient, FakeDb } from './fake-mongo.js';

async function fakeStores() {
  const db = new FakeDb();
  const client = new FakeClient(db);
  await ensureIndexes(db as unknown as Db);
  return {
    db,
    client,
    metadata: new MongoMetadataStore(client as unknown as MongoClient, db as unknown as Db),
    patients: new MongoPatientStore(db as unknown as Db),
  };
}

describeMetadataStoreContract('mongodb adapter on the in-memory driver fake', async () => {
  const { metadata, client } = await fakeStores();
  return {
    store: metadata,
    cleanup: async () => {
      await metadata.close();
      expect(client.sessionsOpen).toBe(0);
    },
  };
});

describePatientStoreContract('mongodb adapter on the in-memory driver fake', async () => {
  const { patients } = await fakeStores();
  return { store: patients, cleanup: () => patients.close() };
});

describe('MongoMetadataStore specifics (on the fake)', () => {
  it('runs each commit in one transaction and aborts it on a conflict', async () => {
    const { metadata, client } = await fakeStores();
    const de = documentEntry();
    await metadata.commit({ ...emptyWrite(), insert: [de] });
    await expect(metadata.commit({ ...emptyWrite(), insert: [de] })).rejects.toMatchObject({ reason: 'duplicateEntryUuid' });
    expect(client.transactions).toEqual({ committed: 1, aborted: 1 });
  });

  it('maps a duplicate key raised by a concurrent commit to a ConflictError', async () => {
    const { metadata, db } = await fakeStores();
    const de = documentEntry();
    // Simulate the race: the key appears between this commit's check and its insert.
    const keys = db.collection('uniqueKeys');
    const realFind = keys.find.bind(keys);
    keys.find = (filter, options) => {
      const cursor = realFind(filter, options);
      // (written with the running transaction's session only because the fake checks sessions)
      void keys.insertMany([{ _id: `uuid|${de.entryUuid}`, kind: 'DocumentEntry', uuid: de.entryUuid }], { session: db.activeSession });
      return cursor;
    };
    await expect(metadata.commit({ ...emptyWrite(), insert: [de] })).rejects.toMatchObject({
      name: 'ConflictError',
      reason: 'duplicateEntryUuid',
      subject: de.entryUuid,
    });
  });

  it('creates every collection and the indexes up front (idempotently)', async () => {
    const { db } = await fakeStores();
    expect([...db.collections.keys()].sort()).toEqual(
      ['associations', 'counters', 'documentEntries', 'folders', 'outbox', 'patients', 'submissionSets', 'uniqueKeys'],
    );
    await ensureIndexes(db as unknown as Db);
  });

  it('passes its session to every operation inside the transaction (the fake refuses one without)', async () => {
    const { db } = await fakeStores();
    db.activeSession = {};
    await expect(db.collection('uniqueKeys').findOne({ _id: 'x' })).rejects.toThrow(/without its session/);
    db.activeSession = undefined;
  });

  it('refuses operations after close', async () => {
    const { metadata } = await fakeStores();
    await metadata.close();
    await expect(metadata.getObjects(['x'])).rejects.toThrow(/closed/);
  });
});

describe('start-up checks', () => {
  it('accepts a replica set or mongos, refuses a standalone server with the reason', async () => {
    await expect(assertTransactionsSupported(new FakeDb({ setName: 'rs0' }) as unknown as Db)).resolves.toBeUndefined();
    await expect(assertTransactionsSupported(new FakeDb({ msg: 'isdbgrid' }) as unknown as Db)).resolves.toBeUndefined();
    await expect(assertTransactionsSupported(new FakeDb({ isWritablePrimary: true }) as unknown as Db)).rejects.toThrow(ConfigError);
    await expect(assertTransactionsSupported(new FakeDb({ isWritablePrimary: true }) as unknown as Db)).rejects.toThrow(/replica set/);
  });

  it('reads the database name from the URL', () => {
    expect(mongoDbName('mongodb://a:27017,b:27017/registry?replicaSet=rs0')).toBe('registry');
    expect(mongoDbName('mongodb://user:pw@host/')).toBe('xds');
    expect(mongoDbName('mongodb+srv://cluster.example.org')).toBe('xds');
    expect(() => mongoDbName('postgres://host/db')).toThrow(ConfigError);
    expect(() => mongoDbName('mongodb://host/bad.name')).toThrow(/not a valid MongoDB database name/);
  });

  it('matches a patient id prefix literally', () => {
    const re = prefixRegExp('P1^^^&1.2');
    expect(re.test('P1^^^&1.2.3&ISO')).toBe(true);
    expect(re.test('P1^^^&1x2.3&ISO')).toBe(false);
    expect(re.test('xP1^^^&1.2')).toBe(false);
  });
});

describe('duplicateKeyOf (E11000 from a concurrent commit, in the shapes the driver raises)', () => {
  it('reads keyValue, the first bulk write error, or the message', async () => {
    const { MongoBulkWriteError, MongoServerError } = await import('mongodb');
    const key = 'uuid|urn:uuid:0b7a2c1e-1111-4222-8333-944445555666';
    expect(duplicateKeyOf(new MongoServerError({ message: 'E11000', code: 11000, keyValue: { _id: key } }))).toBe(key);
    const bulk = new MongoBulkWriteError(
      {
        message: 'E11000 duplicate key error',
        code: 11000,
        // a driver WriteError keeps the server's write error (with keyValue, MongoDB >= 4.4) in `err`
        writeErrors: [{ code: 11000, index: 0, errmsg: 'E11000 duplicate key error', err: { code: 11000, index: 0, errmsg: 'E11000', keyValue: { _id: key } } } as never],
      },
      {} as never,
    );
    expect(duplicateKeyOf(bulk)).toBe(key);
    const onlyMessage = new MongoServerError({
      message: `E11000 duplicate key error collection: xds.uniqueKeys index: _id_ dup key: { _id: "fo|1.2.3|2" }`,
      code: 11000,
    });
    expect(duplicateKeyOf(onlyMessage)).toBe('fo|1.2.3|2');
    expect(duplicateKeyOf(new MongoServerError({ message: 'WriteConflict', code: 112 }))).toBeUndefined();
    expect(duplicateKeyOf(new Error('x'))).toBeUndefined();
  });

  it('turns the key into the ConflictError a sequential commit would give', () => {
    expect(duplicateKeyConflict('fo|1.2.3|2')).toMatchObject({ reason: 'duplicateUniqueId', subject: '1.2.3' });
    expect(duplicateKeyConflict('dl|urn:uuid:l|2')).toMatchObject({ reason: 'precondition', subject: 'urn:uuid:l' });
    expect(duplicateKeyConflict('fl|urn:uuid:f|1')).toMatchObject({ reason: 'precondition', subject: 'urn:uuid:f' });
    expect(duplicateKeyConflict('ss|1.2.4')).toMatchObject({ reason: 'duplicateUniqueId', subject: '1.2.4' });
    expect(duplicateKeyConflict('uuid|urn:uuid:a')).toMatchObject({ reason: 'duplicateEntryUuid', subject: 'urn:uuid:a' });
  });
});
