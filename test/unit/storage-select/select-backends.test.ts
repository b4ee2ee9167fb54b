/**
 * Backend selection by URL prefix: start-up validation (ConfigError naming the variable, no secrets in
 * messages) and opening each adapter pair — embedded, S3 (s3rver) and Redis (private redis-server).
 * MongoDB is opened only when XDS_TEST_MONGODB_URL is set (no server here), in a fresh xds_test_<random>
 * database dropped afterwards, never the one the URL names.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, type HubConfig } from '../../../src/config/config.js';
import { emptyWrite } from '../../../src/storage/ports.js';
import { openBackends, planBackends } from '../../../src/storage/select-backends.js';
import { redisUnavailable, startRedisServer, type RunningRedis } from '../../support/redis-server.js';
import { startS3Server, type RunningS3Server } from '../../support/s3-server.js';
import { dropMongoTestDatabase, freshMongoTestDatabase } from '../../support/mongodb-test-database.js';

function config(over: Partial<HubConfig>): HubConfig {
  return loadConfig({}, { dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'xds-sel-')), ...over });
}

describe('planBackends (start-up validation, no I/O)', () => {
  it('picks adapters by prefix', () => {
    const c = config({});
    expect(planBackends(c)).toEqual({
      metadata: { kind: 'sqlite', file: path.join(c.dataDir, 'registry.db') },
      documents: { kind: 'file', dir: path.join(c.dataDir, 'documents') },
      queue: { kind: 'embedded', file: path.join(c.dataDir, 'queue.db') },
    });
    expect(
      planBackends(
        config({
          metadataStore: 'mongodb://m1:27017,m2:27017/registry?replicaSet=rs0',
          documentStore: 's3://AK:SK@minio:9000/xds-documents?tls=false',
          queue: 'redis://redis:6379/2',
        }),
      ),
    ).toEqual({
      metadata: { kind: 'mongodb', url: 'mongodb://m1:27017,m2:27017/registry?replicaSet=rs0', dbName: 'registry' },
      documents: { kind: 's3', url: 's3://AK:SK@minio:9000/xds-documents?tls=false' },
      queue: { kind: 'redis', url: 'redis://redis:6379/2' },
    });
    expect(planBackends(config({ metadataStore: 'sqlite::memory:' })).metadata).toEqual({ kind: 'sqlite', file: ':memory:' });
    expect(planBackends(config({ documentStore: 'file:///srv/docs' })).documents).toEqual({ kind: 'file', dir: '/srv/docs' });
  });

  it.each([
    [{ metadataStore: 'postgres://u:topsecret@h/db' }, /XDS_METADATA_STORE: unsupported "postgres:\/\/u:\*\*\*@h\/db"/],
    [{ metadataStore: 'sqlite:' }, /XDS_METADATA_STORE: "sqlite:" needs a file name/],
    [{ metadataStore: 'mongodb://h/bad.name' }, /XDS_METADATA_STORE: "bad.name" is not a valid MongoDB database name/],
    [{ documentStore: 'ftp://h/x' }, /XDS_DOCUMENT_STORE: unsupported/],
    [{ documentStore: 'file:' }, /XDS_DOCUMENT_STORE: "file:" needs a directory/],
    [{ documentStore: 's3://h/bucket' }, /XDS_DOCUMENT_STORE: S3 credentials missing/],
    [{ documentStore: 's3://a:b@h/B_ad' }, /not a valid S3 bucket name/],
    [{ queue: 'amqp://h' }, /XDS_QUEUE: unsupported/],
    [{ queue: 'queue:embeded' }, /XDS_QUEUE: unsupported "queue:embeded"/],
    [{ queue: 'redis://h/x' }, /XDS_QUEUE: database "x"/],
  ])('rejects %j with a ConfigError', (over, message) => {
    const c = config(over);
    expect(() => planBackends(c, {})).toThrow(ConfigError);
    expect(() => planBackends(c, {})).toThrow(message);
  });

  it('takes S3 credentials from XDS_S3_ACCESS_KEY / XDS_S3_SECRET_KEY', () => {
    const c = config({ documentStore: 's3://minio:9000/docs?tls=false' });
    expect(planBackends(c, { XDS_S3_ACCESS_KEY: 'a', XDS_S3_SECRET_KEY: 'b' }).documents.kind).toBe('s3');
  });
});

describe('openBackends', () => {
  it('opens the embedded adapters and closes them', async () => {
    const c = config({});
    const b = await openBackends(c);
    try {
      await b.metadata.commit({ ...emptyWrite(), outbox: [{ queue: 'q', key: 'k', payload: 1 }] });
      expect(await b.metadata.readOutbox(10)).toHaveLength(1);
      expect(await b.documents.put('1.2.3', Buffer.from('x'))).toMatchObject({ size: 1 });
      await b.queue.enqueue('q', 1, { key: 'k' });
      expect((await b.queue.counts('q')).waiting).toBe(1);
      expect(b.describe.metadataStore).toBe(`sqlite:${path.join(c.dataDir, 'registry.db')}`);
    } finally {
      await b.close();
      await b.close();
    }
  });

  it('fails at start-up on a bad URL without opening anything', async () => {
    await expect(openBackends(config({ queue: 'nope' }))).rejects.toThrow(ConfigError);
  });

  const unavailable = redisUnavailable();
  if (unavailable) console.warn(`\n*** SKIPPING openBackends with redis://: ${unavailable} ***\n`);
  (unavailable ? describe.skip : describe)(`S3 and Redis adapters${unavailable ? ` (SKIPPED: ${unavailable})` : ''}`, () => {
    let redis: RunningRedis;
    let s3: RunningS3Server;
    beforeAll(async () => {
      redis = await startRedisServer();
      s3 = await startS3Server();
    });
    afterAll(async () => {
      await redis?.dispose();
      await s3?.stop();
    });

    it('opens s3:// (creating the bucket) and redis://, and reports them without secrets', async () => {
      const b = await openBackends(config({ documentStore: s3.url('hub-docs'), queue: `${redis.url}/0?prefix=sel` }));
      try {
        expect(await b.documents.put('1.2.3', Buffer.from('abc'))).toMatchObject({ size: 3 });
        expect((await b.documents.stat('1.2.3'))?.size).toBe(3);
        await b.queue.enqueue('minlog', { a: 1 }, { key: 'k1' });
        expect((await b.queue.counts('minlog')).waiting).toBe(1);
        expect(b.describe.documentStore).toBe(`s3://S3RVER:***@127.0.0.1:${s3.port}/hub-docs?tls=false`);
        expect(b.describe.queue).toBe(`${redis.url}/0?prefix=sel`);
      } finally {
        await b.close();
      }
    });
  });

  const mongoUrl = process.env.XDS_TEST_MONGODB_URL;
  if (!mongoUrl) console.warn('\n*** SKIPPING openBackends with mongodb://: XDS_TEST_MONGODB_URL is not set ***\n');
  (mongoUrl ? it : it.skip)(`opens mongodb://${mongoUrl ? '' : ' (SKIPPED: XDS_TEST_MONGODB_URL not set)'}`, async () => {
    const testDb = freshMongoTestDatabase(mongoUrl as string, 'xds_test');
    const b = await openBackends(config({ metadataStore: testDb.url }));
    try {
      expect(await b.metadata.countObjects()).toMatchObject({ DocumentEntry: 0 });
    } finally {
      // openBackends created the indexes, so the database, at testDb.url; Backends does not expose the Db.
      const client = await MongoClient.connect(testDb.url, { serverSelectionTimeoutMS: 10_000 }).catch(() => undefined);
      try {
        if (client) await dropMongoTestDatabase(client.db(testDb.dbName), testDb);
      } finally {
        await client?.close();
        await b.close();
      }
    }
  });
});
