/**
 * DocumentStore key (a document uniqueId, or any string) ⇄ S3 object name.
 *
 * Object names on real servers have limits the port does not: MinIO (and s3rver) keep objects as files,
 * so a path segment may not exceed 255 bytes nor be `.` / `..`, and a name may not start with `/`.
 * Usual keys — OIDs and `root^extension` uniqueIds — are kept verbatim, readable in the MinIO console.
 * Anything else is stored as `~b64/` + its base64url UTF-8 bytes split into 200-character segments.
 * Verbatim names never start with `~`, so the two forms cannot collide and list() decodes both.
 */
const VERBATIM = /^[A-Za-z0-9][A-Za-z0-9._^-]{0,199}$/;
const ENCODED_PREFIX = '~b64/';
const SEGMENT = 200;

export function encodeObjectKey(key: string): string {
  if (VERBATIM.test(key)) return key;
  const b64 = Buffer.from(key, 'utf8').toString('base64url');
  const segments: string[] = [];
  for (let i = 0; i < b64.length; i += SEGMENT) segments.push(b64.slice(i, i + SEGMENT));
  // An empty key still needs a non-empty final segment.
  return ENCODED_PREFIX + (segments.length ? segments.join('/') : '_');
}

/** The key of an object name written by encodeObjectKey; undefined for a name it cannot have written. */
export function decodeObjectKey(name: string): string | undefined {
  if (!name.startsWith(ENCODED_PREFIX)) return VERBATIM.test(name) ? name : undefined;
  const body = name.slice(ENCODED_PREFIX.length);
  if (body === '_') return '';
  const b64 = body.split('/').join('');
  if (!/^[A-Za-z0-9_-]*$/.test(b64)) return undefined;
  return Buffer.from(b64, 'base64url').toString('utf8');
}
