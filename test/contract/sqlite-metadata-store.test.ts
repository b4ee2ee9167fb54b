import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStores } from '../../src/storage/sqlite/index.js';
import { describeMetadataStoreContract } from './metadata-store.contract.js';

describeMetadataStoreContract('sqlite (:memory:)', async () => {
  const stores = openSqliteStores(':memory:');
  return { store: stores.metadata, cleanup: () => stores.close() };
});

describeMetadataStoreContract('sqlite (file, WAL)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xds-sqlite-'));
  const stores = openSqliteStores(path.join(dir, 'registry.db'));
  return {
    store: stores.metadata,
    cleanup: async () => {
      await stores.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});
