/**
 * A minimal S3 endpoint that supports multipart uploads (s3rver does not: dependencies.md §6), so the
 * S3 DocumentStore's multipart path runs against the real minio client over HTTP. Path-style only,
 * no signature checks, one process, in memory. It records every request for assertions.
 */
import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubRequest {
  method: string;
  path: string;
  query: string;
  bytes: number;
}

export interface MultipartS3Stub {
  port: number;
  requests: StubRequest[];
  objects: Map<string, Buffer>;
  /** multipart uploads not yet completed or aborted. */
  openUploads(): number;
  stop(): Promise<void>;
}

export async function startMultipartS3Stub(): Promise<MultipartS3Stub> {
  const buckets = new Set<string>();
  const objects = new Map<string, Buffer>();
  const uploads = new Map<string, { key: string; parts: Map<number, Buffer> }>();
  const requests: StubRequest[] = [];

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', 'http://stub');
      const [bucket, ...rest] = url.pathname.slice(1).split('/');
      const key = rest.map(decodeURIComponent).join('/');
      const q = url.searchParams;
      requests.push({ method: req.method ?? '', path: url.pathname, query: url.search, bytes: body.length });
      const xml = (status: number, text: string) => {
        res.writeHead(status, { 'content-type': 'application/xml' });
        res.end(`<?xml version="1.0" encoding="UTF-8"?>${text}`);
      };
      const notFound = (code: string) =>
        req.method === 'HEAD' ? (res.writeHead(404), res.end()) : xml(404, `<Error><Code>${code}</Code><Message>${code}</Message></Error>`);
      const etagOf = (b: Buffer) => `"${createHash('md5').update(b).digest('hex')}"`;

      if (!key) {
        if (req.method === 'HEAD') return buckets.has(bucket) ? (res.writeHead(200), res.end()) : notFound('NoSuchBucket');
        if (req.method === 'PUT') return buckets.add(bucket), res.writeHead(200), res.end();
        if (req.method === 'GET' && q.has('uploads')) return xml(200, '<ListMultipartUploadsResult><IsTruncated>false</IsTruncated></ListMultipartUploadsResult>');
        return xml(501, '<Error><Code>NotImplemented</Code><Message>stub</Message></Error>');
      }
      const full = `${bucket}/${key}`;
      if (req.method === 'POST' && q.has('uploads')) {
        const id = randomUUID();
        uploads.set(id, { key: full, parts: new Map() });
        return xml(200, `<InitiateMultipartUploadResult><Bucket>${bucket}</Bucket><Key>${key}</Key><UploadId>${id}</UploadId></InitiateMultipartUploadResult>`);
      }
      const uploadId = q.get('uploadId');
      if (uploadId !== null) {
        const upload = uploads.get(uploadId);
        if (!upload) return xml(404, '<Error><Code>NoSuchUpload</Code><Message>no such upload</Message></Error>');
        if (req.method === 'PUT') {
          upload.parts.set(Number(q.get('partNumber')), body);
          res.writeHead(200, { etag: etagOf(body) });
          return res.end();
        }
        if (req.method === 'DELETE') {
          uploads.delete(uploadId);
          res.writeHead(204);
          return res.end();
        }
        if (req.method === 'POST') {
          const numbers = [...body.toString('utf8').matchAll(/<PartNumber>(\d+)<\/PartNumber>/g)].map((m) => Number(m[1]));
          const assembled = Buffer.concat(numbers.map((n) => upload.parts.get(n) ?? Buffer.alloc(0)));
          objects.set(full, assembled);
          uploads.delete(uploadId);
          return xml(200, `<CompleteMultipartUploadResult><Location>http://stub/${full}</Location><Bucket>${bucket}</Bucket><Key>${key}</Key><ETag>${etagOf(assembled)}</ETag></CompleteMultipartUploadResult>`);
        }
      }
      if (req.method === 'PUT') {
        objects.set(full, body);
        res.writeHead(200, { etag: etagOf(body) });
        return res.end();
      }
      const obj = objects.get(full);
      if (req.method === 'DELETE') return objects.delete(full), res.writeHead(204), res.end();
      if (!obj) return notFound('NoSuchKey');
      const headers = { 'content-length': String(obj.length), etag: etagOf(obj), 'last-modified': new Date().toUTCString() };
      if (req.method === 'HEAD') return res.writeHead(200, headers), res.end();
      if (req.method === 'GET') return res.writeHead(200, headers), res.end(obj);
      return xml(501, '<Error><Code>NotImplemented</Code><Message>stub</Message></Error>');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    objects,
    openUploads: () => uploads.size,
    stop: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}
