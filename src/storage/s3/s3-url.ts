/**
 * Parses the `s3://` DocumentStore URL (XDS_DOCUMENT_STORE). Kept apart from the adapter so start-up
 * validation (select-backends.ts) can reject a bad URL before any connection is tried.
 *
 *   s3://ACCESS_KEY:SECRET_KEY@host[:port]/bucket[/key/prefix][?tls=false&region=us-east-1&partSizeMiB=16]
 *
 * Credentials may instead come from XDS_S3_ACCESS_KEY / XDS_S3_SECRET_KEY (passed in by the caller),
 * so they need not appear in a URL that ends up in logs.
 */
import { ConfigError } from '../../config/config.js';

export interface S3Location {
  endPoint: string;
  port?: number;
  useSSL: boolean;
  accessKey: string;
  secretKey: string;
  region: string;
  bucket: string;
  /** object key prefix ('' or ending in '/'). */
  prefix: string;
  /** multipart part size in bytes (minio minimum 5 MiB). */
  partSize: number;
}

/** Same rules as S3 (and minio's isValidBucketName): 3–63 chars, lower-case, digits, dots, hyphens. */
const BUCKET_NAME = /^(?!\d+\.\d+\.\d+\.\d+$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** 8 MiB parts: at most ~2 parts in memory per upload (the one filling, the one sending). */
export const DEFAULT_PART_SIZE = 8 * 1024 * 1024;
const MIN_PART_SIZE = 5 * 1024 * 1024;

export function parseS3Url(
  url: string,
  credentials: { accessKey?: string; secretKey?: string } = {},
): S3Location {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`XDS_DOCUMENT_STORE: "${redact(url)}" is not a valid URL (expected s3://key:secret@host:port/bucket)`);
  }
  if (parsed.protocol !== 's3:') {
    throw new ConfigError(`XDS_DOCUMENT_STORE: expected an s3:// URL, got "${parsed.protocol}"`);
  }
  if (!parsed.hostname) throw new ConfigError('XDS_DOCUMENT_STORE: the s3:// URL has no host');
  const segments = parsed.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const bucket = segments.shift();
  if (!bucket || !BUCKET_NAME.test(bucket)) {
    throw new ConfigError(
      `XDS_DOCUMENT_STORE: "${bucket ?? ''}" is not a valid S3 bucket name (3-63 lower-case letters, digits, dots, hyphens)`,
    );
  }
  const accessKey = decodeURIComponent(parsed.username) || credentials.accessKey;
  const secretKey = decodeURIComponent(parsed.password) || credentials.secretKey;
  if (!accessKey || !secretKey) {
    throw new ConfigError(
      'XDS_DOCUMENT_STORE: S3 credentials missing: put them in the URL (s3://key:secret@host/bucket) or set XDS_S3_ACCESS_KEY and XDS_S3_SECRET_KEY',
    );
  }
  const params = parsed.searchParams;
  const known = new Set(['tls', 'region', 'partSizeMiB']);
  for (const name of params.keys()) {
    if (!known.has(name)) throw new ConfigError(`XDS_DOCUMENT_STORE: unknown s3:// parameter "${name}" (known: tls, region, partSizeMiB)`);
  }
  const tls = params.get('tls') ?? 'true';
  if (tls !== 'true' && tls !== 'false') throw new ConfigError(`XDS_DOCUMENT_STORE: tls must be true or false, got "${tls}"`);
  const partSizeMiB = params.get('partSizeMiB');
  const partSize = partSizeMiB === null ? DEFAULT_PART_SIZE : Number(partSizeMiB) * 1024 * 1024;
  if (!Number.isInteger(partSize) || partSize < MIN_PART_SIZE || partSize > 5 * 1024 * 1024 * 1024) {
    throw new ConfigError(`XDS_DOCUMENT_STORE: partSizeMiB must be an integer between 5 and 5120, got "${partSizeMiB}"`);
  }
  const port = parsed.port ? Number(parsed.port) : undefined;
  return {
    endPoint: parsed.hostname.replace(/^\[|\]$/g, ''),
    port,
    useSSL: tls === 'true',
    accessKey,
    secretKey,
    region: params.get('region') ?? 'us-east-1',
    bucket,
    prefix: segments.length ? `${segments.join('/')}/` : '',
    partSize,
  };
}

/** The URL with its password replaced, for error messages and logs. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
}
