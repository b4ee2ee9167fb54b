/**
 * The S3 DocumentStore's multipart path, run with the real minio client against an in-test S3 stub
 * that implements multipart uploads (s3rver, used by the contract suite, does not).
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { Client } from 'minio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3DocumentStore } from '../../../src/storage/s3/index.js';
import { startMultipartS3Stub, type MultipartS3Stub } from './multipart-s3-stub.js';

const MiB = 1024 * 1024;
const PART = 5 * MiB;

function bytes(n: number, seed = 7): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed + (i >> 13)) & 0xff;
  return b;
}

/** A stream yielding `buf` in 64 KiB chunks, optionally failing after `failAfter` bytes. */
function chunked(buf: Buffer, failAfter?: number): Readable {
  return Readable.from(
    (async function* () {
      for (let i = 0; i < buf.length; i += 64 * 1024) {
        if (failAfter !== undefined && i >= failAfter) throw new Error('client hung up');
        yield buf.subarray(i, i + 64 * 1024);
      }
    })(),
  );
}

const sha1 = (b: Buffer) => createHash('sha1').update(b).digest('hex');

async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

describe('S3DocumentStore multipart (minio client against a multipart-capable S3 stub)', () => {
  let stub: MultipartS3Stub;
  let store: S3DocumentStore;

  beforeAll(async () => {
    stub = await startMultipartS3Stub();
    const client = new Client({
      endPoint: '127.0.0.1',
      port: stub.port,
      useSSL: false,
      accessKey: 'k',
      secretKey: 'secret-key',
      region: 'us-east-1',
      pathStyle: true,
    });
    store = await S3DocumentStore.open({ client, bucket: 'xds-docs', region: 'us-east-1', partSize: PART });
  });
  afterAll(async () => {
    await store.close();
    await stub.stop();
  });

  const partRequests = (key: string) =>
    stub.requests.filter((r) => r.method === 'PUT' && r.path.endsWith(`/${key}`) && r.query.includes('partNumber'));

  it('creates the missing bucket on open', () => {
    expect(stub.requests.some((r) => r.method === 'PUT' && r.path === '/xds-docs')).toBe(true);
  });

  it('uploads a stream larger than the part size in parts and returns SHA-1 and size of all bytes', async () => {
    const content = bytes(2 * PART + 2 * MiB + 3);
    const info = await store.put('1.2.3.big', chunked(content));
    expect(info).toEqual({ sha1: sha1(content), size: content.length });
    expect(partRequests('1.2.3.big').map((r) => r.bytes)).toEqual([PART, PART, 2 * MiB + 3]);
    expect(stub.object('xds-docs/1.2.3.big')?.equals(content)).toBe(true);
    const got = await store.get('1.2.3.big');
    expect(got?.size).toBe(content.length);
    expect(sha1(await readAll(got!.stream))).toBe(sha1(content));
    expect(stub.openUploads()).toBe(0);
  });

  it('sends content of exactly one part size as a single PUT', async () => {
    const content = bytes(PART, 3);
    const info = await store.put('1.2.3.exact', chunked(content));
    expect(info).toEqual({ sha1: sha1(content), size: PART });
    expect(partRequests('1.2.3.exact')).toHaveLength(0);
    expect(stub.requests.filter((r) => r.path.endsWith('/1.2.3.exact') && r.query.includes('uploads'))).toHaveLength(0);
    expect(stub.object('xds-docs/1.2.3.exact')?.length).toBe(PART);
  });

  it('uploads one byte over the part size as two parts', async () => {
    const content = bytes(PART + 1, 5);
    await store.put('1.2.3.over', chunked(content));
    expect(partRequests('1.2.3.over').map((r) => r.bytes)).toEqual([PART, 1]);
    expect(stub.object('xds-docs/1.2.3.over')?.equals(content)).toBe(true);
  });

  it('uploads a Buffer larger than the part size in parts', async () => {
    const content = bytes(PART + 100, 9);
    const info = await store.put('1.2.3.buf', content);
    expect(info).toEqual({ sha1: sha1(content), size: content.length });
    expect(partRequests('1.2.3.buf').map((r) => r.bytes)).toEqual([PART, 100]);
  });

  it('aborts the multipart upload when the source fails mid-stream: nothing becomes visible', async () => {
    const content = bytes(3 * PART, 11);
    await expect(store.put('1.2.3.broken', chunked(content, PART + 3 * 64 * 1024))).rejects.toThrow('client hung up');
    expect(stub.openUploads()).toBe(0);
    expect(stub.requests.some((r) => r.method === 'DELETE' && r.path.endsWith('/1.2.3.broken') && r.query.includes('uploadId'))).toBe(true);
    expect(await store.stat('1.2.3.broken')).toBeUndefined();
    expect(await store.get('1.2.3.broken')).toBeUndefined();
  });
});
