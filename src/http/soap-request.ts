/**
 * HTTP → SOAP message bytes: detects the message format from the Content-Type (SOAP 1.2 Part 2 §7.1.4
 * application/soap+xml; SOAP 1.1 §6 text/xml; MTOM multipart/related with an application/xop+xml root)
 * and streams the body under the size limits. Never uses an express body parser: a bad body must become a
 * SOAP fault, not express's HTML error page.
 */
import type { Readable } from 'node:stream';
import type { IncomingHttpHeaders } from 'node:http';
import { SoapFault, type Attachment, type SoapVersion } from '../soap/types.js';
import { cleanAction } from '../soap/envelope.js';
import { parseMediaType } from './content-type.js';
import { byteLimit, mimeFault, parseMtom, type MtomLimits } from './mtom-parser.js';

export interface RawSoapMessage {
  /** The envelope bytes (the whole body, or the MTOM root part). */
  envelope: Buffer;
  /** The SOAP version the Content-Type announces (the envelope namespace decides in the end). */
  version: SoapVersion;
  /** Content-Type action parameter (1.2) or SOAPAction header (1.1). */
  httpAction?: string;
  attachments: Map<string, Attachment>;
  mtom: boolean;
  /** Deletes spool files. */
  cleanup(): Promise<void>;
}

/** The SOAP version implied by a media type ('text/xml' → 1.1, anything SOAP 1.2-ish → 1.2). */
function versionOf(mediaType: string): SoapVersion | undefined {
  if (mediaType === 'application/soap+xml') return '1.2';
  if (mediaType === 'text/xml') return '1.1';
  return undefined;
}

/** A best guess of the version for a fault raised before the envelope was read. */
export function guessVersion(headers: IncomingHttpHeaders): SoapVersion {
  const { mediaType, params } = parseMediaType(headers['content-type']);
  const direct = versionOf(mediaType);
  if (direct) return direct;
  if (mediaType === 'multipart/related') {
    const inner = versionOf(parseMediaType(params['start-info'] ?? '').mediaType);
    if (inner) return inner;
  }
  return headers.soapaction !== undefined ? '1.1' : '1.2';
}

async function readLimited(body: Readable, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const limiter = byteLimit(max, 'SOAP message');
  return new Promise<Buffer>((resolve, reject) => {
    body.on('error', (err) => reject(mimeFault(`error reading the request body: ${err.message}`)));
    body.on('aborted', () => reject(mimeFault('the client aborted the request')));
    body.on('close', () => {
      if (!body.readableEnded) reject(mimeFault('the client aborted the request'));
    });
    limiter.on('error', (err) => {
      body.unpipe(limiter);
      reject(err);
    });
    limiter.on('data', (c: Buffer) => chunks.push(c));
    limiter.on('end', () => resolve(Buffer.concat(chunks)));
    body.pipe(limiter);
  });
}

/** Reads the request into a RawSoapMessage, or throws a SoapFault naming what is wrong. */
export async function readSoapMessage(body: Readable, headers: IncomingHttpHeaders, limits: MtomLimits): Promise<RawSoapMessage> {
  const contentType = headers['content-type'];
  const { mediaType, params } = parseMediaType(contentType);
  const declared = Number(headers['content-length']);
  if (Number.isFinite(declared) && declared > limits.maxRequestBytes) {
    throw mimeFault(`request body of ${declared} bytes exceeds the limit of ${limits.maxRequestBytes} bytes`, 413);
  }
  if (mediaType === 'multipart/related') {
    const mtom = await parseMtom(body, contentType ?? '', limits);
    const root = parseMediaType(mtom.rootContentType);
    const rootType = root.mediaType === 'application/xop+xml' ? parseMediaType(root.params.type ?? params['start-info'] ?? '').mediaType : root.mediaType;
    const version = versionOf(rootType);
    if (!version) {
      await mtom.cleanup();
      throw new SoapFault(
        'Sender',
        `the MTOM root part has Content-Type "${mtom.rootContentType}"; expected application/xop+xml with type application/soap+xml or text/xml`,
        undefined,
        undefined,
        415,
      );
    }
    const httpAction = cleanAction(mtom.action ?? root.params.action) ?? cleanAction(headers.soapaction as string | undefined);
    return { envelope: mtom.root, version, httpAction, attachments: mtom.attachments, mtom: true, cleanup: mtom.cleanup };
  }
  const version = versionOf(mediaType);
  if (!version) {
    throw new SoapFault(
      'Sender',
      `unsupported Content-Type "${contentType ?? ''}": a SOAP request must be application/soap+xml (SOAP 1.2), text/xml (SOAP 1.1) or multipart/related (MTOM)`,
      undefined,
      undefined,
      415,
    );
  }
  const envelope = await readLimited(body, Math.min(limits.maxXmlBytes, limits.maxRequestBytes));
  const httpAction = cleanAction(params.action) ?? cleanAction(headers.soapaction as string | undefined);
  return { envelope, version, httpAction, attachments: new Map(), mtom: false, cleanup: async () => undefined };
}
