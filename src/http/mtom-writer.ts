/**
 * Writes an MTOM/XOP response (SOAP MTOM §3, XOP 1.0, RFC 2387 multipart/related) as a stream: the root
 * part carries the SOAP envelope (application/xop+xml), then one part per ResponseAttachment streamed
 * from its open() — ITI-43 documents go from the document store to the socket without being buffered.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ResponseAttachment, SoapVersion } from '../soap/types.js';

export interface MtomResponse {
  /** The HTTP Content-Type header value (multipart/related with type, start, start-info, action). */
  contentType: string;
  /** The body; it errors if an attachment stream fails (the response can then only be aborted). */
  body: Readable;
}

export interface MtomResponseInput {
  version: SoapVersion;
  /** The complete SOAP envelope (with xop:Include elements pointing at the attachments' cids). */
  envelope: string;
  attachments: readonly ResponseAttachment[];
  /** The response action, repeated in the action parameter for SOAP 1.2 (RFC 3902). */
  action?: string;
}

function quoted(v: string): string {
  return `"${v.replace(/["\\\r\n]/g, '')}"`;
}

/** A Content-ID header value must not carry CR/LF or angle brackets of its own. */
function headerSafe(v: string): string {
  return v.replace(/[\r\n<>]/g, '');
}

export function createMtomResponse(input: MtomResponseInput): MtomResponse {
  const boundary = `MIMEBoundary_${randomUUID().replace(/-/g, '')}`;
  const startId = `root.message.${randomUUID()}@xds-hub`;
  const soapType = input.version === '1.2' ? 'application/soap+xml' : 'text/xml';
  const params = [
    `boundary=${quoted(boundary)}`,
    `type="application/xop+xml"`,
    `start=${quoted(`<${startId}>`)}`,
    `start-info=${quoted(soapType)}`,
  ];
  if (input.version === '1.2' && input.action) params.push(`action=${quoted(input.action)}`);
  const contentType = `multipart/related; ${params.join('; ')}`;

  async function* parts(): AsyncGenerator<Buffer> {
    yield Buffer.from(
      `--${boundary}\r\nContent-Type: application/xop+xml; charset=UTF-8; type=${quoted(soapType)}\r\n` +
        `Content-Transfer-Encoding: binary\r\nContent-ID: <${startId}>\r\n\r\n`,
    );
    yield Buffer.from(input.envelope, 'utf8');
    for (const att of input.attachments) {
      yield Buffer.from(
        `\r\n--${boundary}\r\nContent-Type: ${headerSafe(att.contentType || 'application/octet-stream')}\r\n` +
          `Content-Transfer-Encoding: binary\r\nContent-ID: <${headerSafe(att.contentId)}>\r\n\r\n`,
      );
      const stream = await att.open();
      for await (const chunk of stream) yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    }
    yield Buffer.from(`\r\n--${boundary}--\r\n`);
  }

  return { contentType, body: Readable.from(parts(), { objectMode: false }) };
}
