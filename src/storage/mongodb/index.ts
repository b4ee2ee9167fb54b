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
export { DEFAULT_BULK_BATCH_SIZE, type MongoBulkLoadOptions } from './bulk-load.js';

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
 * The same connection string naming another database (`mongodb://hosts/<name>?options`), e.g. a fresh
 * database per benchmark run that both the benchmark and a hub child process open. Throws ConfigError on
 * a URL or name mongoDbName() would refuse.
 *
 * The path database is also where SCRAM credentials are checked when the URL names no authSource
 * (connection string spec: authSource defaults to the path database, else "admin"), so for a
 * `mongodb://user:password@…` URL without authSource the former default is kept as an explicit
 * authSource: changing the data database must not change where the user authenticates. Not done for
 * `mongodb+srv://` (its DNS TXT record may carry the authSource, which an added option would override)
 * nor for other mechanisms (X.509, AWS, PLAIN authenticate against `$external` by default).
 */
export function mongoUrlWithDatabase(url: string, name: string): string {
  mongoDbName(url);
  if (name === '' || mongoDbName(`mongodb://h/${encodeURIComponent(name)}`, '') !== name) {
    throw new ConfigError(`"${name}" is not a valid MongoDB database name`);
  }
  const m = /^(mongodb(\+srv)?:\/\/)([^/?]*)(?:\/([^?]*))?(?:\?(.*))?$/.exec(url);
  if (!m) throw new ConfigError(`XDS_METADATA_STORE: cannot read the hosts of "${url.split('@').pop()}"`);
  const [, scheme, srv, hosts, path = '', query = ''] = m;
  const params = query === '' ? [] : query.split('&');
  const option = (key: string) => params.find((p) => p.toLowerCase().startsWith(`${key.toLowerCase()}=`))?.split('=')[1];
  const userinfo = hosts.includes('@') ? hosts.slice(0, hosts.lastIndexOf('@')) : '';
  const mechanism = decodeURIComponent(option('authMechanism') ?? 'SCRAM');
  if (!srv && userinfo.includes(':') && option('authSource') === undefined && /^SCRAM/i.test(mechanism)) {
    params.push(`authSource=${encodeURIComponent(decodeURIComponent(path) || 'admin')}`);
  }
  return `${scheme}${hosts}/${encodeURIComponent(name)}${params.length ? `?${params.join('&')}` : ''}`;
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
