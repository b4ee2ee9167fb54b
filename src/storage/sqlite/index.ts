/**
 * Entry point of the embedded SQLite storage: opens one database file and the stores that live in it.
 */
import { openSqliteDatabase, SharedConnection, type SqliteDatabase } from './database.js';
import { SqliteMetadataStore, type SqliteMetadataStoreOptions } from './metadata-store.js';
import { SqlitePatientStore } from './patient-store.js';

export { SqliteMetadataStore, type SqliteMetadataStoreOptions } from './metadata-store.js';
export { SqlitePatientStore } from './patient-store.js';
export type { BulkLoadOptions } from './bulk-load.js';

export interface SqliteStores {
  metadata: SqliteMetadataStore;
  patients: SqlitePatientStore;
  /** Closes both stores and the connection (idempotent). */
  close(): Promise<void>;
}

export type SqliteStoresOptions = SqliteMetadataStoreOptions;

/**
 * Opens (creating when absent) the registry database at `file` (`':memory:'` for a throw-away store).
 * The config URL `sqlite:<file>` maps to `openSqliteStores(<file>)`.
 */
export function openSqliteStores(file: string, options: SqliteStoresOptions = {}): SqliteStores {
  const db: SqliteDatabase = openSqliteDatabase(file);
  const connection = new SharedConnection(db);
  const metadata = new SqliteMetadataStore(connection, options);
  const patients = new SqlitePatientStore(connection);
  return {
    metadata,
    patients,
    async close() {
      await metadata.close();
      await patients.close();
    },
  };
}
