import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { parseMtom, type MtomLimits } from '../../../src/http/mtom-parser.js';
import { parseMediaType, normalizeContentId } from '../../../src/http/content-type.js';
import { SoapFault } from '../../../src/soap/types.js';

const spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xds-mtom-test-'));
afterAll(() => fs.rmSync(spoolDir, { recursive: true, force: true }));
const limits: MtomLimits = { maxRequestBytes: 50 * 1024 * 1024, maxXmlBytes: 1024 * 1024, spoolThresholdBytes: 64 * 1024, spoolDir };

const B = 'uuid:0ca0e16e-feb1-426c-97d8-c4508ada5e82';
const CT = `multipart/related; type="application/xop+xml"; boundary="${B}"; start="<root.message@cxf.apache.org>"; start-info="application/soap+xml"; action="urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b"`;
const ENV = '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><x/></s:Body></s:Envelope>';

function part(headers: string[], body: Buffer | string): Buffer {
  return Buffer.concat([Buffer.from(`--${B}\r\n${headers.join('\r\n')}\r\n\r\n`), Buffer.from(body), Buffer.from('\r\n')]);
}
function message(parts: Buffer[], { preamble = '', close = true } = {}): Buffer {
  return Buffer.concat([Buffer.from(preamble), ...parts, Buffer.from(close ? `--${B}--\r\n` : '')]);
}
const rootPart = part(['Content-Type: application/xop+xml; charset=UTF-8; type="application/soap+xml"', 'Content-Transfer-Encoding: binary', 'Content-ID: <root.message@cxf.apache.org>'], ENV);
function attPart(cid: string, bytes: Buffer | string): Buffer {
  return part(['Content-Type: application/octet-stream', 'Content-Transfer-Encoding: binary', `Content-ID: <${cid}>`], bytes);
}
/** Feeds a buffer in small chunks, like a slow network. */
function chunked(buf: Buffer, size = 997): Readable {
  const chunks: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) chunks.push(buf.subarray(i, i + size));
  return Readable.from(chunks);
}
async function fault(p: Promise<unknown>): Promise<SoapFault> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(SoapFault);
    return err as SoapFault;
  }
  throw new Error('expected a SoapFault');
}

describe('parseMediaType', () => {
  it('reads quoted parameters containing ":" and ";" in any order', () => {
    const m = parseMediaType(CT);
    expect(m.mediaType).toBe('multipart/related');
    expect(m.params.boundary).toBe(B);
    expect(m.params.start).toBe('<root.message@cxf.apache.org>');
    expect(m.params.action).toBe('urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b');
    expect(parseMediaType('Application/SOAP+XML;charset=utf-8;action="a;b"').params).toEqual({ charset: 'utf-8', action: 'a;b' });
    expect(normalizeContentId(' <1.urn%3Auuid%3Ax@apache.org> ')).toBe('1.urn:uuid:x@apache.org');
  });
});

describe('parseMtom', () => {
  it('finds the root by start and attachments by Content-ID, with a preamble, in 997-byte chunks', async () => {
    const binary = Buffer.concat([Buffer.from(`\r\n--${B.slice(0, 10)}\r\n--\r\n`), Buffer.alloc(3000, 7)]);
    const body = message([attPart('1.urn:uuid:doc@apache.org', binary), rootPart], { preamble: 'This is a preamble\r\n' });
    const r = await parseMtom(chunked(body), CT, limits);
    expect(r.root.toString()).toBe(ENV);
    expect(r.rootContentType).toMatch(/^application\/xop\+xml/);
    expect(r.action).toBe('urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b');
    const att = r.attachments.get('1.urn:uuid:doc@apache.org')!;
    expect(att.size).toBe(binary.length);
    expect((await att.readAll()).equals(binary)).toBe(true);
    await r.cleanup();
  });

  it('takes the first part as root when there is no start parameter; decodes URL-encoded Content-IDs', async () => {
    const body = message([rootPart, attPart('a%40b', 'x')]);
    const r = await parseMtom(Readable.from([body]), `multipart/related; boundary=${B.replace(':', '')}`.replace(B.replace(':', ''), `"${B}"`), limits);
    expect(r.root.toString()).toBe(ENV);
    expect([...r.attachments.keys()]).toEqual(['a@b']);
  });

  it('spools attachments above the threshold to disk and cleanup() deletes them', async () => {
    const big = Buffer.alloc(1024 * 1024, 1);
    const r = await parseMtom(chunked(message([rootPart, attPart('big', big), attPart('small', 'abc')]), 65536), CT, limits);
    const files = fs.readdirSync(spoolDir);
    expect(files).toHaveLength(1);
    expect(fs.statSync(path.join(spoolDir, files[0])).size).toBe(big.length);
    const chunks: Buffer[] = [];
    for await (const c of r.attachments.get('big')!.open()) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).equals(big)).toBe(true);
    expect((await r.attachments.get('small')!.readAll()).toString()).toBe('abc');
    await r.cleanup();
    expect(fs.readdirSync(spoolDir)).toHaveLength(0);
  });

  it('faults truncated MIME and removes spool files', async () => {
    const body = message([rootPart, attPart('big', Buffer.alloc(200_000, 2))], { close: false });
    const f = await fault(parseMtom(chunked(body.subarray(0, body.length - 1000), 8192), CT, limits));
    expect(f.code).toBe('Sender');
    expect(f.reason).toMatch(/truncated MIME/);
    expect(fs.readdirSync(spoolDir)).toHaveLength(0);
  });

  it('faults a missing root part, a missing Content-ID, duplicates and bad encodings', async () => {
    expect((await fault(parseMtom(Readable.from([message([attPart('x', 'y')])]), CT, limits))).reason).toMatch(/no MIME part carries the root Content-ID <root.message@cxf.apache.org>/);
    const noId = part(['Content-Type: text/plain'], 'x');
    expect((await fault(parseMtom(Readable.from([message([rootPart, noId])]), CT, limits))).reason).toMatch(/has no Content-ID/);
    expect((await fault(parseMtom(Readable.from([message([rootPart, attPart('d', '1'), attPart('d', '2')])]), CT, limits))).reason).toMatch(/two MIME parts carry Content-ID <d>/);
    const b64 = part(['Content-Type: text/plain', 'Content-ID: <e>', 'Content-Transfer-Encoding: base64'], 'eA==');
    expect((await fault(parseMtom(Readable.from([message([rootPart, b64])]), CT, limits))).reason).toMatch(/Content-Transfer-Encoding "base64"/);
    expect((await fault(parseMtom(Readable.from([Buffer.from(`--${B}--\r\n`)]), CT, limits))).reason).toMatch(/no MIME part/);
    expect((await fault(parseMtom(Readable.from([Buffer.from('')]), CT, limits))).reason).toMatch(/truncated MIME/);
    expect((await fault(parseMtom(Readable.from([Buffer.from('x')]), 'multipart/related', limits))).reason).toMatch(/no boundary/);
  });

  it('faults header garbage without crashing (dicer CVE-2022-24434 style input)', async () => {
    const garbage = Buffer.from(`--${B}\r\n: \r\n \r\n\r\nxx\r\n--${B}--\r\n`);
    const f = await fault(parseMtom(Readable.from([garbage]), CT, limits));
    expect(f.code).toBe('Sender');
    const folded = Buffer.concat([Buffer.from(`--${B}\r\n`), Buffer.from(' folded\r\n'.repeat(10)), Buffer.from(`\r\nx\r\n--${B}--\r\n`)]);
    expect((await fault(parseMtom(Readable.from([folded]), CT, limits))).code).toBe('Sender');
  });

  it('faults an oversized envelope part and an oversized body with 413', async () => {
    const bigRoot = part(['Content-Type: application/xop+xml', 'Content-ID: <root.message@cxf.apache.org>'], Buffer.alloc(2 * 1024 * 1024, 32));
    const f = await fault(parseMtom(chunked(message([bigRoot]), 65536), CT, limits));
    expect(f.reason).toMatch(/envelope part exceeds the limit of 1048576 bytes/);
    expect(f.httpStatus).toBe(413);
    const g = await fault(parseMtom(chunked(message([rootPart, attPart('b', Buffer.alloc(300_000))]), 65536), CT, { ...limits, maxRequestBytes: 100_000 }));
    expect(g.reason).toMatch(/request body exceeds the limit of 100000 bytes/);
    expect(g.httpStatus).toBe(413);
    expect(fs.readdirSync(spoolDir)).toHaveLength(0);
  });

  it('parses the NIST PnrXop/Xop body (LF converted to CRLF)', async () => {
    const file = path.join(process.env.XDS_CONFORMANCE_DIR ?? '/work/shared/conformance', 'nist/PnrXop/Xop/body.txt');
    if (!fs.existsSync(file)) return;
    const body = Buffer.from(fs.readFileSync(file, 'utf8').replace(/\r?\n/g, '\r\n'));
    const ct = 'multipart/related; boundary="MIMEBoundary_95b57d7287e4fa4b528a8f050c41f8ad829c20332f23b48d"; type="application/xop+xml"; start-info="application/soap+xml"; action="urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b"';
    const r = await parseMtom(chunked(body), ct, limits);
    expect(r.root.toString()).toContain('ProvideAndRegisterDocumentSetRequest');
    expect(r.attachments.size).toBe(1);
    await r.cleanup();
  });
});
