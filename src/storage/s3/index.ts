/** S3 / MinIO DocumentStore: opened from an `s3://` URL by src/storage/select-backends.ts. */
import { Client } from 'minio';
import type { DocumentStore } from '../ports.js';
import { S3DocumentStore } from './s3-document-store.js';
import { parseS3Url } from './s3-url.js';

export { S3DocumentStore, type S3ClientLike, type S3DocumentStoreOptions } from './s3-document-store.js';
export { parseS3Url, redact, DEFAULT_PART_SIZE, type S3Location } from './s3-url.js';

/** Opens an S3 DocumentStore from `s3://key:secret@host:port/bucket[/prefix]?tls=false`; creates the bucket if missing. */
export async function openS3DocumentStore(
  url: string,
  credentials: { accessKey?: string; secretKey?: string } = {},
): Promise<DocumentStore> {
  const loc = parseS3Url(url, credentials);
  const client = new Client({
    endPoint: loc.endPoint,
    port: loc.port,
    useSSL: loc.useSSL,
    accessKey: loc.accessKey,
    secretKey: loc.secretKey,
    region: loc.region,
    pathStyle: true,
  });
  return S3DocumentStore.open({ client, bucket: loc.bucket, prefix: loc.prefix, region: loc.region, partSize: loc.partSize });
}
