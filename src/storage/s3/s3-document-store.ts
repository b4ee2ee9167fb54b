/**
 * DocumentStore on S3-compatible object storage (MinIO, AWS S3) through the `minio` client.
 *
 * put() hashes while it uploads (SHA-1 and size are what ITI-41 checks against the metadata,
 * ITI TF-3 §4.2.3.2.15 / §4.2.3.2.22), so the document is read once and never held whole:
 *  - content up to one part size is sent as a single PUT (one request for the usual small document);
 *  - larger content goes as an S3 multipart upload driven here part by part, so at most one part is
 *    in memory and a failing source (a client that hangs up mid-MTOM) aborts the upload instead of
 *    completing a truncated object. S3 makes an object visible only on PUT / CompleteMultipartUpload,
 *    which is the "visible once complete" rule of the DocumentStore port.
 * minio's own putObject is not used for streams: with an unknown size it picks parts of ~512 MiB and
 * does not propagate a source stream error (it pipes without forwarding errors), so it could hang.
 */
import { createHash, type Hash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Client } from 'minio';
import type { DocumentStore, StoredDocumentInfo } from '../ports.js';
import { decodeObjectKey, encodeObjectKey } from './object-key.js';

/** The part of the minio client this adapter uses (a fake implements it in unit tests). */
export type S3ClientLike = Pick<
  Client,
  | 'bucketExists'
  | 'makeBucket'
  | 'putObject'
  | 'getObject'
  | 'statObject'
  | 'removeObject'
  | 'listObjectsV2'
  | 'initiateNewMultipartUpload'
  | 'uploadPart'
  | 'completeMultipartUpload'
  | 'abortMultipartUpload'
>;

export interface S3DocumentStoreOptions {
  client: S3ClientLike;
  bucket: string;
  /** object key prefix, '' or ending in '/'. */
  prefix?: string;
  region?: string;
  /** content larger than this is sent as a multipart upload in parts of this size (>= 5 MiB for S3). */
  partSize: number;
}

/** S3 error codes meaning "no such object" (HEAD answers NotFound, GET answers NoSuchKey). */
const MISSING = new Set(['NotFound', 'NoSuchKey', 'NoSuchObject']);

function isMissing(err: unknown): boolean {
  return typeof err === 'object' && err !== null && MISSING.has(String((err as { code?: unknown }).code));
}

export class S3DocumentStore implements DocumentStore {
  private readonly client: S3ClientLike;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly partSize: number;

  private constructor(options: S3DocumentStoreOptions) {
    this.client = options.client;
    this.bucket = options.bucket;
    this.prefix = options.prefix ?? '';
    this.partSize = options.partSize;
  }

  /** Opens the store, creating the bucket when it does not exist yet. */
  static async open(options: S3DocumentStoreOptions): Promise<S3DocumentStore> {
    const store = new S3DocumentStore(options);
    if (!(await options.client.bucketExists(options.bucket))) {
      try {
        await options.client.makeBucket(options.bucket, options.region ?? 'us-east-1');
      } catch (err) {
        // Another hub instance may have created it between the check and the create.
        const code = String((err as { code?: unknown }).code);
        if (code !== 'BucketAlreadyOwnedByYou' && code !== 'BucketAlreadyExists') throw err;
      }
    }
    return store;
  }

  private objectName(key: string): string {
    return this.prefix + encodeObjectKey(key);
  }

  async put(key: string, content: Readable | Buffer): Promise<StoredDocumentInfo> {
    const name = this.objectName(key);
    if (Buffer.isBuffer(content)) {
      const sha1 = createHash('sha1').update(content).digest('hex');
      if (content.length <= this.partSize) {
        await this.client.putObject(this.bucket, name, content, content.length);
        return { sha1, size: content.length };
      }
      await this.multipart(name, [], chunks(content, this.partSize));
      return { sha1, size: content.length };
    }
    const hash = createHash('sha1');
    const source = content[Symbol.asyncIterator]();
    const head: Buffer[] = [];
    let headBytes = 0;
    while (headBytes <= this.partSize) {
      const next = await source.next();
      if (next.done) {
        const body = Buffer.concat(head, headBytes);
        await this.client.putObject(this.bucket, name, body, body.length);
        return { sha1: hash.digest('hex'), size: body.length };
      }
      const chunk = toBuffer(next.value);
      hash.update(chunk);
      head.push(chunk);
      headBytes += chunk.length;
    }
    const size = await this.multipart(name, head, { [Symbol.asyncIterator]: () => source }, hash);
    return { sha1: hash.digest('hex'), size };
  }

  /**
   * Uploads `head` (already hashed; the array is emptied as it is copied) then the rest of `rest` (hashed
   * here when `hash` is given) as parts of exactly partSize bytes, the last one shorter. Bytes are copied
   * into one part buffer as they arrive, so an upload holds about one part in memory (plus the one the
   * socket is still sending). Any error aborts the upload: no partial object, no orphaned parts.
   */
  private async multipart(
    name: string,
    head: Buffer[],
    rest: AsyncIterable<unknown> | Iterable<Buffer>,
    hash?: Hash,
  ): Promise<number> {
    const uploadID = await this.client.initiateNewMultipartUpload(this.bucket, name, {});
    const etags: { part: number; etag: string }[] = [];
    let part = Buffer.allocUnsafe(this.partSize);
    let fill = 0;
    let total = 0;
    const send = async (body: Buffer): Promise<void> => {
      const partNumber = etags.length + 1;
      const md5 = createHash('md5').update(body).digest('base64');
      const res = await this.client.uploadPart(
        { bucketName: this.bucket, objectName: name, uploadID, partNumber, headers: { 'Content-MD5': md5 } },
        body,
      );
      etags.push({ part: partNumber, etag: res.etag });
    };
    const write = async (chunk: Buffer): Promise<void> => {
      total += chunk.length;
      for (let offset = 0; offset < chunk.length; ) {
        const n = Math.min(this.partSize - fill, chunk.length - offset);
        chunk.copy(part, fill, offset, offset + n);
        fill += n;
        offset += n;
        if (fill === this.partSize) {
          await send(part);
          part = Buffer.allocUnsafe(this.partSize);
          fill = 0;
        }
      }
    };
    try {
      for (let chunk = head.shift(); chunk !== undefined; chunk = head.shift()) await write(chunk);
      for await (const value of rest) {
        const chunk = toBuffer(value);
        hash?.update(chunk);
        await write(chunk);
      }
      if (fill > 0 || etags.length === 0) await send(part.subarray(0, fill));
      await this.client.completeMultipartUpload(this.bucket, name, uploadID, etags);
      return total;
    } catch (err) {
      await this.client.abortMultipartUpload(this.bucket, name, uploadID).catch(() => undefined);
      throw err;
    }
  }

  async get(key: string): Promise<{ stream: Readable; size: number } | undefined> {
    const name = this.objectName(key);
    try {
      const stat = await this.client.statObject(this.bucket, name);
      const stream = await this.client.getObject(this.bucket, name);
      return { stream, size: stat.size };
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
  }

  async stat(key: string): Promise<{ size: number } | undefined> {
    try {
      const stat = await this.client.statObject(this.bucket, this.objectName(key));
      return { size: stat.size };
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
  }

  async delete(key: string): Promise<boolean> {
    // S3 DELETE succeeds on a missing key, so a HEAD first tells whether anything was removed.
    if ((await this.stat(key)) === undefined) return false;
    await this.client.removeObject(this.bucket, this.objectName(key));
    return true;
  }

  async *list(): AsyncIterable<string> {
    const stream = this.client.listObjectsV2(this.bucket, this.prefix, true);
    for await (const item of stream as AsyncIterable<{ name?: string }>) {
      if (item.name === undefined) continue;
      // Objects this store did not write (another tool's files in a shared bucket) are not documents.
      const key = decodeObjectKey(item.name.slice(this.prefix.length));
      if (key !== undefined) yield key;
    }
  }

  async close(): Promise<void> {
    // The minio client keeps no connections that need closing (it uses the shared http agent).
  }
}

function toBuffer(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (typeof value === 'string') return Buffer.from(value);
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  throw new TypeError('DocumentStore.put: the stream must yield Buffers, Uint8Arrays or strings');
}

function* chunks(buf: Buffer, size: number): Generator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}
