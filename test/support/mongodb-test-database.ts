/**
 * The database a live MongoDB test or benchmark runs in, at the server XDS_TEST_MONGODB_URL points to.
 *
 * openMongoStores(url, { dbName }) uses dbName only when the URL names no database, so a URL such as
 * `mongodb://h:27017/xds?replicaSet=rs0` would otherwise put the tests (and their dropDatabase) in `xds`,
 * which may hold real data. Every live test and benchmark therefore connects with a URL rewritten by
 * mongoUrlWithDatabase to a fresh, random, clearly test-named database, and drops only that one.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from 'mongodb';
import { mongoDbName, mongoUrlWithDatabase } from '../../src/storage/mongodb/index.js';

export interface MongoTestDatabase {
  /** XDS_TEST_MONGODB_URL with its database replaced by dbName (options and authSource kept). */
  url: string;
  dbName: string;
}

export type MongoTestDatabasePrefix = 'xds_test' | 'xds_bench';

/**
 * A fresh `<prefix>_<16 hex>` database at baseUrl's server. Never the database baseUrl names (nor the
 * default `xds` when it names none): a random name that happens to equal it is drawn again. `random` is
 * injectable only so that rule can be tested.
 */
export function freshMongoTestDatabase(
  baseUrl: string,
  prefix: MongoTestDatabasePrefix = 'xds_test',
  random: () => string = () => randomBytes(8).toString('hex'),
): MongoTestDatabase {
  const named = mongoDbName(baseUrl);
  for (let attempt = 0; attempt < 5; attempt++) {
    const dbName = `${prefix}_${random()}`;
    if (dbName === named) continue;
    const url = mongoUrlWithDatabase(baseUrl, dbName);
    // Belt and braces: the driver must open exactly the fresh database from the rewritten URL.
    if (mongoDbName(url) !== dbName) throw new Error(`test MongoDB URL names ${mongoDbName(url)}, not ${dbName}`);
    return { url, dbName };
  }
  throw new Error(`could not draw a test database name different from ${named}`);
}

/** Drops db only if it is the fresh test database `t` (so a mix-up can never drop another database). */
export async function dropMongoTestDatabase(db: Db, t: MongoTestDatabase): Promise<void> {
  if (db.databaseName !== t.dbName) {
    throw new Error(`refusing to drop MongoDB database ${db.databaseName}: the test created ${t.dbName}`);
  }
  await db.dropDatabase();
}
