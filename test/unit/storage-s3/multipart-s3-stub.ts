/**
 * A minimal S3 endpoint that supports multipart uploads (s3rver does not: dependencies.md §6), so the
 * S3 DocumentStore's multipart path runs against the real minio client over HTTP. Path-style only, no
 * signature checks. Request bodies stream to files in a temporary directory, so a 50 MB object does not
 * count against the memory bound the contract suite measures in this same process. It records every
 * request for assertions.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm, unlink } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

export interface StubRequest {
  method: string;
  path: string;
  query: string;
  bytes: number;
}

export interface MultipartS3Stub {
  port: number;
  requests: StubRequest[];
  /** the stored bytes of `bucket/objectName`, or undefined. */
  object(name: string): Buffer | undefined;
  /** multipart uploads not yet completed or aborted. */
  openUploads(): number;
  stop(): Promise<void>;
}

interface StoredFile {
  file: string;
  size: number;
  etag: string;
}

export async function startMultipartS3Stub(): Promise<MultipartS3Stub> {
  const dir = await mkdtemp(path.join(tmpdir(), 'xds-s3stub-'));
  const buckets = new Set<string>();
  const objects = new Map<string, StoredFile>();
  const uploads = new Map<string, Map<number, StoredFile>>();
  const requests: StubRequest[] = [];

  /** Streams the request body to a new file, hashing it (MD5 = the S3 ETag of a single PUT / part). */
  async function receive(req: http.IncomingMessage): Promise<StoredFile> {
    const file = path.join(dir, randomUUID());
    const md5 = createHash('md5');
    let size = 0;
    req.on('data', (c: Buffer) => {
      md5.update(c);
      size += c.length;
    });
    await pipeline(req, createWriteStream(file));
    return { file, size, etag: `"${md5.digest('hex')}"` };
  }

  async function readBody(req: http.IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  async function assemble(parts: StoredFile[]): Promise<StoredFile> {
    const file = path.join(dir, randomUUID());
    const out = createWriteStream(file);
    const md5 = createHash('md5');
    let size = 0;
    for (const p of parts) {
      for await (const c of createReadStream(p.file)) {
        md5.update(c as Buffer);
        size += (c as Buffer).length;
        if (!out.write(c)) await new Promise<void>((r) => out.once('drain', () => r()));
      }
    }
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    return { file, size, etag: `"${md5.digest('hex')}-${parts.length}"` };
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stub');
    const [bucket, ...rest] = url.pathname.slice(1).split('/');
    const key = rest.map(decodeURIComponent).join('/');
    const q = url.searchParams;
    const record: StubRequest = { method: req.method ?? '', path: url.pathname, query: url.search, bytes: 0 };
    requests.push(record);
    const xml = (status: number, text: string) => {
      res.writeHead(status, { 'content-type': 'application/xml' });
      res.end(`<?xml version="1.0" encoding="UTF-8"?>${text}`);
    };
    const error = (status: number, code: string): void => {
      if (req.method === 'HEAD') {
        res.writeHead(status);
        res.end();
      } else xml(status, `<Error><Code>${code}</Code><Message>${code}</Message></Error>`);
    };

    if (!key) {
      if (req.method === 'HEAD') {
        if (!buckets.has(bucket)) return error(404, 'NoSuchBucket');
        res.writeHead(200);
        return void res.end();
      }
      if (req.method === 'PUT') return void (buckets.add(bucket), res.writeHead(200), res.end());
      if (req.method === 'GET' && q.get('list-type') === '2') {
        const prefix = q.get('prefix') ?? '';
        const names = [...objects.keys()].filter((n) => n.startsWith(`${bucket}/${prefix}`)).map((n) => n.slice(bucket.length + 1)).sort();
        const contents = names
          .map((n) => `<Contents><Key>${n.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</Key><Size>${objects.get(`${bucket}/${n}`)!.size}</Size><ETag>x</ETag><LastModified>${new Date().toISOString()}</LastModified></Contents>`)
          .join('');
        return xml(200, `<ListBucketResult><Name>${bucket}</Name><IsTruncated>false</IsTruncated>${contents}</ListBucketResult>`);
      }
      return error(501, 'NotImplemented');
    }
    const full = `${bucket}/${key}`;
    if (req.method === 'POST' && q.has('uploads')) {
      const id = randomUUID();
      uploads.set(id, new Map());
      return xml(200, `<InitiateMultipartUploadResult><Bucket>${bucket}</Bucket><Key>${key}</Key><UploadId>${id}</UploadId></InitiateMultipartUploadResult>`);
    }
    const uploadId = q.get('uploadId');
    if (uploadId !== null) {
      const parts = uploads.get(uploadId);
      if (!parts) return error(404, 'NoSuchUpload');
      if (req.method === 'PUT') {
        const part = await receive(req);
        record.bytes = part.size;
        parts.set(Number(q.get('partNumber')), part);
        res.writeHead(200, { etag: part.etag });
        return void res.end();
      }
      if (req.method === 'DELETE') {
        uploads.delete(uploadId);
        for (const p of parts.values()) await unlink(p.file);
        res.writeHead(204);
        return void res.end();
      }
      if (req.method === 'POST') {
        const numbers = [...(await readBody(req)).matchAll(/<PartNumber>(\d+)<\/PartNumber>/g)].map((m) => Number(m[1]));
        const missing = numbers.filter((n) => !parts.has(n));
        if (missing.length) return error(400, 'InvalidPart');
        const assembled = await assemble(numbers.map((n) => parts.get(n)!));
        objects.set(full, assembled);
        uploads.delete(uploadId);
        return xml(200, `<CompleteMultipartUploadResult><Location>http://stub/${full}</Location><Bucket>${bucket}</Bucket><Key>${key}</Key><ETag>${assembled.etag}</ETag></CompleteMultipartUploadResult>`);
      }
    }
    if (req.method === 'PUT') {
      const stored = await receive(req);
      record.bytes = stored.size;
      objects.set(full, stored);
      res.writeHead(200, { etag: stored.etag });
      return void res.end();
    }
    const obj = objects.get(full);
    if (req.method === 'DELETE') return void (objects.delete(full), res.writeHead(204), res.end());
    if (!obj) return error(404, 'NoSuchKey');
    const headers = { 'content-length': String(obj.size), etag: obj.etag, 'last-modified': new Date().toUTCString() };
    if (req.method === 'HEAD') return void (res.writeHead(200, headers), res.end());
    if (req.method === 'GET') {
      res.writeHead(200, headers);
      return pipeline(createReadStream(obj.file), res);
    }
    return error(501, 'NotImplemented');
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    object: (name) => {
      const o = objects.get(name);
      return o && statSync(o.file).size === o.size ? readFileSync(o.file) : undefined;
    },
    openUploads: () => uploads.size,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The stub in a child process (see multipart-s3-stub-main.ts); only its port is known here. */
export async function startMultipartS3StubProcess(): Promise<{ port: number; stop(): Promise<void> }> {
  const { spawn } = await import('node:child_process');
  const { fileURLToPath } = await import('node:url');
  const main = fileURLToPath(new URL('./multipart-s3-stub-main.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', main], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`S3 stub process exited with code ${code}`)));
    setTimeout(() => reject(new Error('S3 stub process did not start within 20 s')), 20_000).unref();
  });
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
