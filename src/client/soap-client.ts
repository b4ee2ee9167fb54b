/**
 * A small XDS.b SOAP 1.2 client (WS-Addressing, MTOM requests and responses), used by the `demo` command
 * and the benchmarks against a running hub. MTOM responses are parsed with the hub's own streaming parser.
 */
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { Readable } from 'node:stream';
import { parseMtom } from '../http/mtom-parser.js';
import { parseXml } from '../xml/parse.js';
import type { XmlElement } from '../xml/tree.js';
import { escapeText } from '../xml/escape.js';

const SOAP12 = 'http://www.w3.org/2003/05/soap-envelope';
const WSA = 'http://www.w3.org/2005/08/addressing';

export interface MtomPart {
  contentId: string;
  contentType: string;
  bytes: Buffer;
}

export interface SoapCallResult {
  httpStatus: number;
  /** the Body's child element. */
  body: XmlElement;
  /** MTOM parts of the response by Content-ID. */
  parts: Map<string, Buffer>;
  rawEnvelope: string;
}

export interface SoapClientOptions {
  /** extra SOAP header blocks (e.g. the DGWS wsse:Security + medcom:Header + HSUID blocks). */
  headers?: () => Promise<string[]> | string[];
  fetchImpl?: typeof fetch;
}

export function envelope12(action: string, to: string, bodyXml: string, headers: string[] = []): string {
  return (
    `<s:Envelope xmlns:s="${SOAP12}" xmlns:a="${WSA}"><s:Header>` +
    `<a:Action s:mustUnderstand="1">${escapeText(action)}</a:Action>` +
    `<a:MessageID>urn:uuid:${randomUUID()}</a:MessageID>` +
    `<a:To s:mustUnderstand="1">${escapeText(to)}</a:To>${headers.join('')}</s:Header>` +
    `<s:Body>${bodyXml}</s:Body></s:Envelope>`
  );
}

/** Builds an MTOM multipart/related body: the envelope as the root part, then the attachments. */
export function mtomBody(envelope: string, action: string, parts: MtomPart[]): { body: Buffer; contentType: string } {
  const boundary = `MIMEBoundary_${randomUUID()}`;
  const start = `root.${randomUUID()}@xds-hub`;
  const chunks: Buffer[] = [
    Buffer.from(
      `--${boundary}\r\nContent-Type: application/xop+xml; charset=UTF-8; type="application/soap+xml"\r\n` +
        `Content-Transfer-Encoding: binary\r\nContent-ID: <${start}>\r\n\r\n${envelope}\r\n`,
    ),
  ];
  for (const p of parts) {
    chunks.push(
      Buffer.from(`--${boundary}\r\nContent-Type: ${p.contentType}\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <${p.contentId}>\r\n\r\n`),
      p.bytes,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  const contentType =
    `multipart/related; boundary="${boundary}"; type="application/xop+xml"; start="<${start}>"; ` +
    `start-info="application/soap+xml"; action="${action}"`;
  return { body: Buffer.concat(chunks), contentType };
}

export class SoapClient {
  constructor(private readonly options: SoapClientOptions = {}) {}

  /** Sends one SOAP 1.2 request (MTOM when parts are given) and parses the answer. */
  async call(url: string, action: string, bodyXml: string, parts: MtomPart[] = []): Promise<SoapCallResult> {
    const headers = this.options.headers ? await this.options.headers() : [];
    const env = envelope12(action, url, bodyXml, headers);
    const fetchImpl = this.options.fetchImpl ?? fetch;
    const request =
      parts.length > 0
        ? mtomBody(env, action, parts)
        : { body: Buffer.from(env), contentType: `application/soap+xml; charset=UTF-8; action="${action}"` };
    const res = await fetchImpl(url, { method: 'POST', headers: { 'content-type': request.contentType }, body: request.body });
    const contentType = res.headers.get('content-type') ?? '';
    const raw = Buffer.from(await res.arrayBuffer());
    let envelopeBytes: Buffer = raw;
    const partsOut = new Map<string, Buffer>();
    if (contentType.toLowerCase().startsWith('multipart/related')) {
      const mtom = await parseMtom(Readable.from([raw]), contentType, {
        maxRequestBytes: Number.MAX_SAFE_INTEGER,
        maxXmlBytes: 512 * 1024 * 1024,
        spoolThresholdBytes: Number.MAX_SAFE_INTEGER,
        spoolDir: tmpdir(),
      });
      envelopeBytes = mtom.root;
      for (const [cid, att] of mtom.attachments) partsOut.set(cid, await att.readAll());
      await mtom.cleanup();
    }
    const root = parseXml(envelopeBytes);
    const body = root.children.find((c) => c.name === 'Body');
    if (!body || body.children.length === 0) throw new Error(`response from ${url} has no SOAP Body (HTTP ${res.status})`);
    return { httpStatus: res.status, body: body.children[0], parts: partsOut, rawEnvelope: envelopeBytes.toString('utf8') };
  }
}
