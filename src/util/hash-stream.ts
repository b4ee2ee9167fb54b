/** SHA-1 (hex, lower case) and size of a stream, without keeping its bytes (ITI TF-3 §4.2.3.2.15/.20). */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';

export async function hashStream(stream: Readable | Buffer): Promise<{ sha1: string; size: number }> {
  const hash = createHash('sha1');
  if (Buffer.isBuffer(stream)) return { sha1: hash.update(stream).digest('hex'), size: stream.length };
  let size = 0;
  for await (const chunk of stream) {
    const buf = chunk as Buffer;
    hash.update(buf);
    size += buf.length;
  }
  return { sha1: hash.digest('hex'), size };
}
