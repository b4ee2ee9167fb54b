/**
 * The database the live MongoDB tests and benchmarks use (test/support/mongodb-test-database.ts), checked
 * without a server: it must never be the database XDS_TEST_MONGODB_URL names, because those tests drop it.
 */
import type { Db } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { mongoDbName } from '../../../src/storage/mongodb/index.js';
import { dropMongoTestDatabase, freshMongoTestDatabase } from '../../support/mongodb-test-database.js';

const BASE_URLS = [
  'mongodb://127.0.0.1:27017/?replicaSet=rs0',
  'mongodb://h:27017/xds?replicaSet=rs0',
  'mongodb://a:1,b:2/registry_prod?replicaSet=rs0&w=majority',
  'mongodb://u:p%40ss@h/xds?replicaSet=rs0',
  'mongodb+srv://u:p@cluster.example.org/xds',
  'mongodb://h',
];

describe('freshMongoTestDatabase', () => {
  it.each(BASE_URLS)('never names the database of %s, and keeps its server and options', (base) => {
    const t = freshMongoTestDatabase(base);
    expect(t.dbName).toMatch(/^xds_test_[0-9a-f]{16}$/);
    expect(mongoDbName(t.url)).toBe(t.dbName);
    expect(mongoDbName(t.url)).not.toBe(mongoDbName(base));
    // same scheme, credentials and hosts; same options (plus authSource for a SCRAM user)
    const hostsOf = (u: string) => /^mongodb(\+srv)?:\/\/[^/?]*/.exec(u)![0];
    expect(hostsOf(t.url)).toBe(hostsOf(base));
    const optionsOf = (u: string) => (u.split('?')[1] ?? '').split('&').filter((o) => o && !o.startsWith('authSource='));
    expect(optionsOf(t.url)).toEqual(optionsOf(base));
  });

  it('keeps a SCRAM user authenticating against the database the URL named', () => {
    expect(freshMongoTestDatabase('mongodb://u:p@h/xds?replicaSet=rs0').url).toMatch(/\/xds_test_[0-9a-f]{16}\?replicaSet=rs0&authSource=xds$/);
  });

  it('draws a new database each time, with the benchmark prefix on request', () => {
    const names = new Set(Array.from({ length: 50 }, () => freshMongoTestDatabase(BASE_URLS[1]).dbName));
    expect(names.size).toBe(50);
    expect(freshMongoTestDatabase(BASE_URLS[1], 'xds_bench').dbName).toMatch(/^xds_bench_[0-9a-f]{16}$/);
  });

  it('draws again when the random name equals the database the URL names', () => {
    const draws = ['0123456789abcdef', 'fedcba9876543210'];
    const t = freshMongoTestDatabase('mongodb://h/xds_test_0123456789abcdef?replicaSet=rs0', 'xds_test', () => draws.shift()!);
    expect(t).toEqual({ dbName: 'xds_test_fedcba9876543210', url: 'mongodb://h/xds_test_fedcba9876543210?replicaSet=rs0' });
    expect(() => freshMongoTestDatabase('mongodb://h/xds_test_0', 'xds_test', () => '0')).toThrow(/different from xds_test_0/);
  });

  it('refuses a URL the hub would refuse', () => {
    expect(() => freshMongoTestDatabase('postgres://h/db')).toThrow(/mongodb:\/\//);
    expect(() => freshMongoTestDatabase('mongodb://h/a.b')).toThrow(/not a valid MongoDB database name/);
  });
});

describe('dropMongoTestDatabase', () => {
  function fakeDb(databaseName: string) {
    const dropped: string[] = [];
    return { db: { databaseName, dropDatabase: async () => void dropped.push(databaseName) } as unknown as Db, dropped };
  }

  it('drops the fresh database', async () => {
    const t = freshMongoTestDatabase(BASE_URLS[1]);
    const { db, dropped } = fakeDb(t.dbName);
    await dropMongoTestDatabase(db, t);
    expect(dropped).toEqual([t.dbName]);
  });

  it('refuses to drop any other database', async () => {
    const t = freshMongoTestDatabase(BASE_URLS[1]);
    const { db, dropped } = fakeDb('xds');
    await expect(dropMongoTestDatabase(db, t)).rejects.toThrow(`refusing to drop MongoDB database xds: the test created ${t.dbName}`);
    expect(dropped).toEqual([]);
  });
});
