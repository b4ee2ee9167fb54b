/**
 * The MetadataStore and PatientStore contract suites on a live MongoDB (replica set or mongos), when
 * XDS_TEST_MONGODB_URL is set (e.g. mongodb://127.0.0.1:27017/?replicaSet=rs0). Each test gets a fresh
 * database `xds_test_<random>`, dropped afterwards, never the one the URL names (which openMongoStores would
 * otherwise use, dbName being only its fallback; see test/support/mongodb-test-database.ts). Without the variable the suites are skipped LOUDLY: no MongoDB server can
 * be installed on the build machines (see src/storage/mongodb/README.md for what has run where).
 */
import { describe, it } from 'vitest';
import { openMongoStores } from '../../src/storage/mongodb/index.js';
import { describeMetadataStoreContract } from './metadata-store.contract.js';
import { describePatientStoreContract } from './patient-store.contract.js';
import { dropMongoTestDatabase, freshMongoTestDatabase } from '../support/mongodb-test-database.js';

const url = process.env.XDS_TEST_MONGODB_URL;

async function freshStores() {
  const testDb = freshMongoTestDatabase(url as string, 'xds_test');
  const stores = await openMongoStores(testDb.url);
  return {
    stores,
    cleanup: async () => {
      try {
        await dropMongoTestDatabase(stores.db, testDb);
      } finally {
        await stores.close();
      }
    },
  };
}

if (url) {
  describeMetadataStoreContract('mongodb (live, XDS_TEST_MONGODB_URL)', async () => {
    const { stores, cleanup } = await freshStores();
    return { store: stores.metadata, cleanup };
  });
  describePatientStoreContract('mongodb (live, XDS_TEST_MONGODB_URL)', async () => {
    const { stores, cleanup } = await freshStores();
    return { store: stores.patients, cleanup };
  });
} else {
  const why = 'XDS_TEST_MONGODB_URL is not set: the MongoDB MetadataStore/PatientStore contract suites did NOT run against a live MongoDB';
  console.warn(`\n*** SKIPPED: ${why} (they ran on the in-memory driver fake in test/unit/storage-mongodb) ***\n`);
  describe.skip(`MetadataStore + PatientStore contract: mongodb — SKIPPED, ${why}`, () => {
    it.todo('set XDS_TEST_MONGODB_URL=mongodb://host:port/?replicaSet=rs0 to run them');
  });
}
