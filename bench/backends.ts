/**
 * Benchmark (issue #7): the production storage adapters beside their embedded counterparts.
 *  - DocumentStore put / get MB/s: file: (embedded) and s3:// through the minio client, against s3rver
 *    (an S3 emulator on this machine; a real MinIO cluster behaves differently: the figure shows the
 *    adapter's overhead, not MinIO's throughput). Documents stay under one part (s3rver lacks multipart).
 *  - JobQueue enqueue and process jobs/s: queue:embedded and BullMQ on a private redis-server.
 *  - MetadataStore commit / FindDocuments on MongoDB, only when XDS_TEST_MONGODB_URL is set, in a fresh
 *    xds_bench_<random> database dropped afterwards (never the one the URL names).
 *
 *   npx tsx bench/backends.ts [--docs 64] [--doc-kb 1024] [--jobs 5000] [--submissions 500] [--queries 2000]
 * Prints one human line per figure and a JSON line at the end.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { BullmqJobQueue } from '../src/storage/bullmq/index.js';
import { openFsDocumentStore } from '../src/storage/fs/index.js';
import { openMongoStores } from '../src/storage/mongodb/index.js';
import { emptyWrite, type DocumentStore, type JobQueue } from '../src/storage/ports.js';
import { openEmbeddedJobQueue } from '../src/storage/queue-embedded/index.js';
import { openS3DocumentStore } from '../src/storage/s3/index.js';
import { Status } from '../src/xds/model/types.js';
import { code, documentEntry, submission } from '../test/support/domain-builders.js';
import { redisUnavailable, startRedisServer } from '../test/support/redis-server.js';
import { startS3Server } from '../test/support/s3-server.js';
import { dropMongoTestDatabase, freshMongoTestDatabase } from '../test/support/mongodb-test-database.js';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}
const DOCS = arg('docs', 64);
const DOC_BYTES = arg('doc-kb', 1024) * 1024;
const JOBS = arg('jobs', 5000);
const SUBMISSIONS = arg('submissions', 500);
const QUERIES = arg('queries', 2000);

const results: Record<string, unknown> = {};
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;
const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

async function documentBench(name: string, store: DocumentStore): Promise<void> {
  const payload = randomBytes(DOC_BYTES);
  const keys = Array.from({ length: DOCS }, (_, i) => `1.2.208.${Date.now()}.${i}`);
  let t0 = process.hrtime.bigint();
  // streamed like an MTOM attachment, in 64 KiB chunks
  for (const k of keys) await store.put(k, Readable.from((function* () { for (let o = 0; o < payload.length; o += 65536) yield payload.subarray(o, o + 65536); })()));
  const putS = seconds(t0);
  t0 = process.hrtime.bigint();
  let read = 0;
  for (const k of keys) {
    const got = await store.get(k);
    for await (const c of got!.stream) read += (c as Buffer).length;
  }
  const getS = seconds(t0);
  if (read !== DOCS * DOC_BYTES) throw new Error(`${name}: read ${read} bytes, expected ${DOCS * DOC_BYTES}`);
  const mb = (DOCS * DOC_BYTES) / 1e6;
  const r = { putMBps: round(mb / putS), getMBps: round(mb / getS), putDocsPerSecond: round(DOCS / putS), docs: DOCS, docBytes: DOC_BYTES };
  results[`documents:${name}`] = r;
  console.log(`DocumentStore ${name}: put ${r.putMBps} MB/s (${r.putDocsPerSecond} docs/s), get ${r.getMBps} MB/s — ${DOCS} × ${DOC_BYTES / 1024} KiB`);
  for (const k of keys) await store.delete(k);
}

async function queueBench(name: string, queue: JobQueue, concurrency: number): Promise<void> {
  const q = `bench-${randomUUID().slice(0, 8)}`;
  let t0 = process.hrtime.bigint();
  for (let i = 0; i < JOBS; i++) await queue.enqueue(q, { i }, { key: `k${i}` });
  const enqueueS = seconds(t0);
  let done = 0;
  const finished = new Promise<void>((resolve) => {
    queue.process(q, async () => {
      if (++done === JOBS) resolve();
    }, { concurrency });
  });
  t0 = process.hrtime.bigint();
  await finished;
  const processS = seconds(t0);
  const r = { enqueuePerSecond: Math.round(JOBS / enqueueS), processPerSecond: Math.round(JOBS / processS), jobs: JOBS, concurrency };
  results[`queue:${name}:c${concurrency}`] = r;
  console.log(`JobQueue ${name} (concurrency ${concurrency}): enqueue ${r.enqueuePerSecond} jobs/s, process ${r.processPerSecond} jobs/s — ${JOBS} jobs`);
}

async function mongoBench(url: string): Promise<void> {
  // dbName would be ignored when the URL names a database: rewrite the URL instead.
  const benchDb = freshMongoTestDatabase(url, 'xds_bench');
  const stores = await openMongoStores(benchDb.url);
  try {
    const patients = Array.from({ length: 50 }, (_, i) => `B${i}^^^&1.2.208.176.1.2&ISO`);
    let t0 = process.hrtime.bigint();
    for (let i = 0; i < SUBMISSIONS; i++) {
      const pid = patients[i % patients.length];
      const docs = [documentEntry({ patientId: pid, classCode: code(String(i % 10).padStart(3, '0')) }), documentEntry({ patientId: pid })];
      const sub = submission(docs);
      sub.submissionSet.patientId = pid;
      await stores.metadata.commit({ ...emptyWrite(), insert: sub.objects, outbox: [{ queue: 'minlog', key: randomUUID(), payload: { i } }] });
    }
    const commitS = seconds(t0);
    t0 = process.hrtime.bigint();
    for (let i = 0; i < QUERIES; i++) {
      await stores.metadata.findDocumentEntries(
        { patientIds: [patients[i % patients.length]], statuses: [Status.Approved], classCode: [[{ code: String(i % 10).padStart(3, '0') }]] },
        { limit: 1001 },
      );
    }
    const queryS = seconds(t0);
    const r = { commitsPerSecond: round(SUBMISSIONS / commitS), findDocumentsPerSecond: round(QUERIES / queryS), submissions: SUBMISSIONS, queries: QUERIES };
    results['metadata:mongodb'] = r;
    console.log(`MetadataStore mongodb: ${r.commitsPerSecond} submissions/s (4 objects + outbox, one transaction), FindDocuments ${r.findDocumentsPerSecond} queries/s`);
  } finally {
    // dropped when the run throws too, so a failed run leaves no xds_bench_ database behind
    try {
      await dropMongoTestDatabase(stores.db, benchDb);
    } finally {
      await stores.close();
    }
  }
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'xds-bench-backends-'));
try {
  const fsStore = await openFsDocumentStore(path.join(tmp, 'documents'));
  await documentBench('file', fsStore);
  await fsStore.close();

  const s3 = await startS3Server();
  try {
    const s3Store = await openS3DocumentStore(s3.url('bench-docs'));
    await documentBench('s3 (minio → s3rver)', s3Store);
    await s3Store.close();
  } finally {
    await s3.stop();
  }

  for (const concurrency of [1, 50]) {
    const embedded = openEmbeddedJobQueue(path.join(tmp, `queue-${concurrency}.db`), { pollIntervalMs: 5 });
    await queueBench('embedded', embedded, concurrency);
    await embedded.close();
  }

  const noRedis = redisUnavailable();
  if (noRedis) console.log(`JobQueue bullmq: SKIPPED (${noRedis})`);
  else {
    const redis = await startRedisServer();
    try {
      for (const concurrency of [1, 50]) {
        const bull = new BullmqJobQueue({ connection: { host: '127.0.0.1', port: redis.port }, prefix: `bench${concurrency}` });
        await queueBench('bullmq (redis-server)', bull, concurrency);
        await bull.close();
      }
    } finally {
      await redis.dispose();
    }
  }

  const mongoUrl = process.env.XDS_TEST_MONGODB_URL;
  if (mongoUrl) await mongoBench(mongoUrl);
  else console.log('MetadataStore mongodb: SKIPPED (set XDS_TEST_MONGODB_URL to a replica set to run it)');

  console.log(JSON.stringify({ bench: 'backends', ...results }));
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
