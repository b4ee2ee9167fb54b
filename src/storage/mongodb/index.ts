/**
 * Entry point of the MongoDB storage: connects, checks that the deployment can run transactions, creates
 * the indexes and returns the MetadataStore and PatientStore sharing one client.
 */
import { MongoClient, type Db } from 'mongodb';
import { ConfigError } from '../../config/config.js';
import { ensureIndexes } from './indexes.js';
import { MongoMetadataStore } from './metadata-store.js';
import { MongoPatientStore } from './patient-store.js';

export { MongoMetadataStore, COMMIT_TRANSACTION_OPTIONS } from './metadata-store.js';
export { MongoPatientStore } from './patient-store.js';
export { ensureIndexes, INDEXES } from './indexes.js';

export interface MongoStores {
  metadata: MongoMetadataStore;
  patients: MongoPatientStore;
  client: MongoClient;
  db: Db;
  /** Closes both stores and the client (idempotent). */
  close(): Promise<void>;
}

export interface MongoStoresOptions {
  /** database name when the URL has none (default 'xds'). */
  dbName?: string;
  clock?: () => Date;
  /** connect timeout for start-up (default 10 s), so a wrong URL fails at start instead of hanging. */
  serverSelectionTimeoutMS?: number;
}

/** The database named in the URL path (`mongodb://h/xds`), else the default. Throws ConfigError on a bad URL. */
export function mongoDbName(url: string, fallback = 'xds'): string {
  if (!/^mongodb(\+srv)?:\/\//.test(url)) {
    throw new ConfigError(`XDS_METADATA_STORE: expected a mongodb:// or mongodb+srv:// URL, got "${url.split('@').pop()}"`);
  }
  const afterHosts = url.replace(/^mongodb(\+srv)?:\/\/[^/]*/, '');
  const name = decodeURIComponent(afterHosts.replace(/^\//, '').split('?')[0] ?? '');
  if (name === '') return fallback;
  if (/[/\\. "$*<>:|?]/.test(name) || name.length > 63) {
    throw new ConfigError(`XDS_METADATA_STORE: "${name}" is not a valid MongoDB database name`);
  }
  return name;
}

/**
 * Transactions need a replica set member or mongos (a standalone mongod refuses them with an error
 * at the first commit); refuse to start instead, with the reason.
 */
export async function assertTransactionsSupported(db: Db): Promise<void> {
  const hello = (await db.admin().command({ hello: 1 })) as { setName?: string; msg?: string };
  if (!hello.setName && hello.msg !== 'isdbgrid') {
    throw new ConfigError(
      'XDS_METADATA_STORE: this MongoDB is a standalone server; the registry needs multi-document transactions, ' +
        'so run a replica set (a single-node one is enough: mongod --replSet rs0, then rs.initiate()) or a sharded cluster',
    );
  }
}

export async function openMongoStores(url: string, options: MongoStoresOptions = {}): Promise<MongoStores> {
  const dbName = mongoDbName(url, options.dbName);
  const client = new MongoClient(url, { serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 10_000 });
  try {
    await client.connect();
    const db = client.db(dbName);
    await assertTransactionsSupported(db);
    await ensureIndexes(db);
    const metadata = new MongoMetadataStore(client, db, options.clock);
    const patients = new MongoPatientStore(db);
    let closed = false;
    return {
      metadata,
      patients,
      client,
      db,
      async close() {
        if (closed) return;
        closed = true;
        await metadata.close();
        await patients.close();
        await client.close();
      },
    };
  } catch (err) {
    await client.close().catch(() => undefined);
    throw err;
  }
}
