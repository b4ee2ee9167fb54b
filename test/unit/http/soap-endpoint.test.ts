import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createSoapEndpoint } from '../../../src/http/soap-endpoint.js';
import { createSchemaSet } from '../../../src/xml/schemas.js';
import { anonymousContext } from '../../../src/security/context.js';
import { SoapFault } from '../../../src/soap/types.js';
import { parseMtom } from '../../../src/http/mtom-parser.js';
import { xpathString } from '../../../src/xml/xpath.js';
import type { Logger } from '../../../src/util/logger.js';
import { ACTIONS, fakeDescriptors, pnrBody, QUERY_BODY, RETRIEVE_BODY, xopInclude, type Received } from './fake-descriptors.js';

const SOAP12 = 'http://www.w3.org/2003/05/soap-envelope';
const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const WSA = 'http://www.w3.org/2005/08/addressing';
const ns = { s12: SOAP12, s11: SOAP11, wsa: WSA, rs: 'urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0', query: 'urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0', t: 'urn:test', xdsb: 'urn:ihe:iti:xds-b:2007' };

const schemas = createSchemaSet(path.resolve('schemas'));
const spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xds-endpoint-test-'));
afterAll(() => {
  schemas.dispose();
  fs.rmSync(spoolDir, { recursive: true, force: true });
});

const logs: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
const log: Logger = {
  debug: (msg, fields) => logs.push({ level: 'debug', msg, fields }),
  info: (msg, fields) => logs.push({ level: 'info', msg, fields }),
  warn: (msg, fields) => logs.push({ level: 'warn', msg, fields }),
  error: (msg, fields) => logs.push({ level: 'error', msg, fields }),
};
let received: Received;
let authenticated: string[];

function app(limits: Partial<{ maxRequestBytes: number; maxXmlBytes: number; spoolThresholdBytes: number }> = {}) {
  const a = express();
  a.use(
    createSoapEndpoint({
      name: 'test',
      paths: ['/xds/repository', '/ddsrepository'],
      descriptors: fakeDescriptors(received),
      schemas,
      limits: { maxRequestBytes: 10 * 1024 * 1024, maxXmlBytes: 1024 * 1024, spoolThresholdBytes: 64 * 1024, spoolDir, ...limits },
      authenticate: async (req, d) => {
        authenticated.push(d.id);
        if (req.headers.some((h) => h.name === 'Deny')) throw new SoapFault('Sender', 'not authorized', undefined, '<t:Code xmlns:t="urn:test">denied</t:Code>');
        return anonymousContext();
      },
      wsdl: { file: 'ihe/wsdl/XDS.b_DocumentRepository.wsdl' },
      log,
    }),
  );
  return a;
}

beforeEach(() => {
  received = { documents: {}, actions: [] };
  authenticated = [];
  logs.length = 0;
});

function env12(action: string | undefined, body: string, extraHeader = ''): string {
  const a = action ? `<wsa:Action s:mustUnderstand="true">${action}</wsa:Action>` : '';
  return `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="${SOAP12}" xmlns:wsa="${WSA}"><s:Header>${a}<wsa:MessageID>urn:uuid:req-1</wsa:MessageID>${extraHeader}</s:Header><s:Body>${body}</s:Body></s:Envelope>`;
}
function env11(body: string): string {
  return `<soap:Envelope xmlns:soap="${SOAP11}"><soap:Body>${body}</soap:Body></soap:Envelope>`;
}
const post12 = (a: express.Express, xml: string, action = ACTIONS.query) =>
  request(a).post('/xds/repository').set('Content-Type', `application/soap+xml; charset=UTF-8; action="${action}"`).send(xml);

const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void): void => {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => cb(null, Buffer.concat(chunks)));
};

/** The SOAP envelope of a response: the root part when it is MTOM. */
async function envelopeOf(res: request.Response): Promise<{ xml: string; mtom: boolean }> {
  const body = Buffer.isBuffer(res.body) ? res.body : Buffer.from(res.text ?? '');
  const ct = String(res.headers['content-type']);
  if (!ct.startsWith('multipart/related')) return { xml: body.toString('utf8'), mtom: false };
  const { Readable } = await import('node:stream');
  const parsed = await parseMtom(Readable.from([body]), ct, { maxRequestBytes: 1e7, maxXmlBytes: 1e6, spoolThresholdBytes: 1e6, spoolDir });
  return { xml: parsed.root.toString('utf8'), mtom: true };
}

function expectFault(res: request.Response, status: number, code: string, reason: RegExp): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/soap\+xml/);
  expect(res.text).not.toMatch(/<html|<!DOCTYPE|at [\w.]+ \(/i);
  expect(xpathString(res.text, '//s12:Fault/s12:Code/s12:Value', ns)).toBe(`env:${code}`);
  expect(xpathString(res.text, '//s12:Fault/s12:Reason/s12:Text', ns)).toMatch(reason);
  expect(xpathString(res.text, '//wsa:Action', ns)).toBe('http://www.w3.org/2005/08/addressing/soap/fault');
}

describe('SOAP endpoint: round trips', () => {
  it('SOAP 1.2 with WS-Addressing: response action, RelatesTo, MessageID, extra headers, valid body', async () => {
    const res = await post12(app(), env12(ACTIONS.query, QUERY_BODY()));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(`application/soap+xml; charset=UTF-8; action="${ACTIONS.query}Response"`);
    expect(xpathString(res.text, '/s12:Envelope/s12:Header/wsa:Action', ns)).toBe(`${ACTIONS.query}Response`);
    expect(xpathString(res.text, '//wsa:RelatesTo', ns)).toBe('urn:uuid:req-1');
    expect(xpathString(res.text, '//wsa:MessageID', ns)).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(xpathString(res.text, '//t:Echo', ns)).toBe('handled');
    expect(schemas.validateAny(res.text)).toEqual([]);
    expect(authenticated).toEqual(['ITI-18']);
  });

  it('SOAP 1.1 with SOAPAction on an NSP alias path', async () => {
    const res = await request(app()).post('/ddsrepository').set('Content-Type', 'text/xml; charset=utf-8').set('SOAPAction', `"${ACTIONS.query}"`).send(env11(QUERY_BODY()));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/xml; charset=UTF-8');
    expect(xpathString(res.text, '/s11:Envelope/s11:Header/wsa:Action', ns)).toBe(`${ACTIONS.query}Response`);
    expect(xpathString(res.text, 'count(//wsa:RelatesTo)', ns)).toBe('0');
    expect(xpathString(res.text, 'local-name(/s11:Envelope/s11:Body/*)', ns)).toBe('AdhocQueryResponse');
  });

  it('P&R with inline base64 and MTOM attachments (URL-encoded cid), then retrieve as MTOM', async () => {
    const a = app();
    const inline = await post12(a, env12(ACTIONS.pnr, pnrBody([{ id: 'Document01', content: Buffer.from('inline doc').toString('base64') }])), ACTIONS.pnr);
    expect(inline.status).toBe(200);
    expect(received.documents.Document01).toMatchObject({ size: 10, kind: 'inline' });

    const boundary = 'MIMEBoundary_abc:def';
    const envelope = env12(ACTIONS.pnr, pnrBody([{ id: 'Document02', content: xopInclude('1.urn%3Auuid%3Ax%40apache.org') }]));
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Type: application/xop+xml; charset=UTF-8; type="application/soap+xml"\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <root@x>\r\n\r\n${envelope}\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <1.urn:uuid:x@apache.org>\r\n\r\n`),
      Buffer.alloc(100_000, 5),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const mtom = await request(a)
      .post('/xds/repository')
      .set('Content-Type', `multipart/related; boundary="${boundary}"; type="application/xop+xml"; start="<root@x>"; start-info="application/soap+xml"; action="${ACTIONS.pnr}"`)
      .buffer(true)
      .parse(binary)
      .send(body);
    expect(mtom.status).toBe(200);
    // an MTOM request gets an MTOM response (single root part)
    const reply = await envelopeOf(mtom);
    expect(reply.mtom).toBe(true);
    expect(xpathString(reply.xml, '//rs:RegistryResponse/@status', ns)).toMatch(/Success$/);
    expect(xpathString(reply.xml, '//wsa:RelatesTo', ns)).toBe('urn:uuid:req-1');
    expect(received.documents.Document02).toMatchObject({ size: 100_000, kind: 'attachment' });
    expect(fs.readdirSync(spoolDir)).toEqual([]);

    const retrieve = await request(a)
      .post('/xds/repository')
      .set('Content-Type', `application/soap+xml; action="${ACTIONS.retrieve}"`)
      .buffer(true)
      .parse(binary)
      .send(env12(ACTIONS.retrieve, RETRIEVE_BODY));
    expect(retrieve.status).toBe(200);
    expect(retrieve.headers['content-type']).toMatch(/^multipart\/related; boundary="MIMEBoundary_\w+"; type="application\/xop\+xml"/);
    const { Readable } = await import('node:stream');
    const parsed = await parseMtom(Readable.from([retrieve.body as Buffer]), retrieve.headers['content-type'], { maxRequestBytes: 1e7, maxXmlBytes: 1e6, spoolThresholdBytes: 1e6, spoolDir });
    const env = parsed.root.toString();
    expect(xpathString(env, '//wsa:Action', ns)).toBe(`${ACTIONS.retrieve}Response`);
    expect(schemas.validateAny(env)).toEqual([]);
    expect((await parsed.attachments.get('2.doc@xds-hub')!.readAll()).toString()).toBe('content of 1.2.3.5');
  });
});

describe('SOAP endpoint: bad input gets its standard fault or error', () => {
  it('not XML', async () => {
    expectFault(await post12(app(), 'this is not xml'), 400, 'Sender', /not well-formed/);
    expect(received.actions).toEqual([]);
  });

  it('wrong envelope namespace → VersionMismatch; wrong body namespace → Sender', async () => {
    const res = await post12(app(), `<s:Envelope xmlns:s="urn:not-soap"><s:Body>${QUERY_BODY()}</s:Body></s:Envelope>`);
    expect(res.status).toBe(500);
    expect(xpathString(res.text, '//s12:Code/s12:Value', ns)).toBe('env:VersionMismatch');
    const wrongNs = QUERY_BODY().replace(/urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0/g, 'urn:wrong');
    expectFault(await post12(app(), env12(ACTIONS.query, wrongNs)), 400, 'Sender', /holds \{urn:wrong\}AdhocQueryRequest, but action .* expects/);
  });

  it('no Body', async () => {
    expectFault(await post12(app(), `<s:Envelope xmlns:s="${SOAP12}"><s:Header/></s:Envelope>`), 400, 'Sender', /no Body/);
  });

  it('unknown action → wsa:ActionNotSupported', async () => {
    const res = await post12(app(), env12('urn:unknown:action', QUERY_BODY()), 'urn:unknown:action');
    expectFault(res, 400, 'Sender', /"urn:unknown:action" is not supported/);
    expect(xpathString(res.text, '//s12:Subcode/s12:Value', ns)).toBe('sc:ActionNotSupported');
    expect(xpathString(res.text, '//wsa:RelatesTo', ns)).toBe('urn:uuid:req-1');
  });

  it('wrong content type → SOAP fault, never HTML (JSON, form, none)', async () => {
    expectFault(await request(app()).post('/xds/repository').set('Content-Type', 'application/json').send('{"a":'), 415, 'Sender', /unsupported Content-Type "application\/json"/);
    expectFault(await request(app()).post('/xds/repository').type('form').send('a=1'), 415, 'Sender', /unsupported Content-Type/);
    const put = await request(app()).put('/xds/repository').send('x');
    expect(put.status).toBe(405);
    expect(put.text).toContain('Envelope');
  });

  it('oversized body → 413 fault', async () => {
    const big = env12(ACTIONS.query, QUERY_BODY()).replace('<s:Header>', `<s:Header><x:pad xmlns:x="u:x">${'x'.repeat(5000)}</x:pad>`);
    expectFault(await post12(app({ maxXmlBytes: 4096 }), big), 413, 'Sender', /exceeds the limit of 4096 bytes/);
    const res = await request(app({ maxRequestBytes: 1000 })).post('/xds/repository').set('Content-Type', 'multipart/related; boundary=b').send(Buffer.alloc(5000, 65));
    expectFault(res, 413, 'Sender', /exceeds the limit of 1000 bytes/);
  });

  it('truncated MIME → Sender fault, nothing handled, no spool file left', async () => {
    const envelope = env12(ACTIONS.pnr, pnrBody([{ id: 'D', content: xopInclude('a') }]));
    const body = `--b\r\nContent-Type: application/xop+xml; type="application/soap+xml"\r\nContent-ID: <r>\r\n\r\n${envelope}\r\n--b\r\nContent-ID: <a>\r\n\r\n${'z'.repeat(200_000)}`;
    const res = await request(app()).post('/xds/repository').set('Content-Type', 'multipart/related; boundary=b; start="<r>"; type="application/xop+xml"').send(body);
    expectFault(res, 400, 'Sender', /truncated MIME/);
    expect(received.actions).toEqual([]);
    expect(fs.readdirSync(spoolDir)).toEqual([]);
  });

  it('missing attachment → RegistryResponse Failure with XDSMissingDocument', async () => {
    const envelope = env12(ACTIONS.pnr, pnrBody([{ id: 'Document01', content: xopInclude('not-sent@x') }]));
    const body = `--b\r\nContent-Type: application/xop+xml; type="application/soap+xml"\r\nContent-ID: <r>\r\n\r\n${envelope}\r\n--b--\r\n`;
    const res = await request(app())
      .post('/xds/repository')
      .set('Content-Type', `multipart/related; boundary=b; type="application/xop+xml"; action="${ACTIONS.pnr}"`)
      .buffer(true)
      .parse(binary)
      .send(body);
    expect(res.status).toBe(200);
    const { xml } = await envelopeOf(res);
    expect(xpathString(xml, '//rs:RegistryResponse/@status', ns)).toMatch(/Failure$/);
    expect(xpathString(xml, '//rs:RegistryError/@errorCode', ns)).toBe('XDSMissingDocument');
    expect(xpathString(xml, '//rs:RegistryError/@location', ns)).toBe('Document01');
    expect(schemas.validateAny(xml)).toEqual([]);
  });

  it('schema-invalid body → HTTP 200 with the descriptor metadata error code naming the problem', async () => {
    const bad = QUERY_BODY().replace('returnType="ObjectRef"', 'returnType="Everything"');
    const res = await post12(app(), env12(ACTIONS.query, bad));
    expect(res.status).toBe(200);
    expect(xpathString(res.text, '//query:AdhocQueryResponse/@status', ns)).toMatch(/Failure$/);
    expect(xpathString(res.text, '//rs:RegistryError/@errorCode', ns)).toBe('XDSRegistryMetadataError');
    expect(xpathString(res.text, '//rs:RegistryError/@codeContext', ns)).toMatch(/returnType.*Everything/);
    expect(received.actions).toEqual([]);
    const badPnr = pnrBody([{ id: 'D', content: 'aGk=' }]).replace('<lcm:SubmitObjectsRequest>', '<lcm:SubmitObjectsRequest><xdsb:Bogus/>');
    const r2 = await post12(app(), env12(ACTIONS.pnr, badPnr), ACTIONS.pnr);
    expect(xpathString(r2.text, '//rs:RegistryError/@errorCode', ns)).toBe('XDSRepositoryMetadataError');
  });

  it('XdsError from the handler → its error response; unexpected error → generic Receiver fault, stack only in the log', async () => {
    const x = await post12(app(), env12(ACTIONS.query, QUERY_BODY('urn:uuid:xds-error')));
    expect(x.status).toBe(200);
    expect(xpathString(x.text, '//rs:RegistryError/@errorCode', ns)).toBe('XDSUnknownStoredQuery');
    const crash = await post12(app(), env12(ACTIONS.query, QUERY_BODY('urn:uuid:crash')));
    expectFault(crash, 500, 'Receiver', /internal error while processing the request \(request id [0-9a-f-]{36}\)/);
    expect(crash.text).not.toContain('exploded');
    expect(logs.some((l) => l.level === 'error' && String(l.fields?.error).includes('database exploded'))).toBe(true);
    const sf = await post12(app(), env12(ACTIONS.query, QUERY_BODY('urn:uuid:soap-fault')));
    expectFault(sf, 400, 'Sender', /refused by the handler/);
  });

  it('a SoapFault from authenticate is answered with its detail, the handler never runs', async () => {
    const res = await post12(app(), env12(ACTIONS.query, QUERY_BODY(), '<x:Deny xmlns:x="u:x"/>'));
    expectFault(res, 400, 'Sender', /not authorized/);
    expect(xpathString(res.text, '//s12:Detail/t:Code', ns)).toBe('denied');
    expect(received.actions).toEqual([]);
  });

  it('hostile XML: DOCTYPE/XXE and billion laughs are refused', async () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE s:Envelope [<!ENTITY e SYSTEM "file:///etc/passwd">]>${env12(ACTIONS.query, QUERY_BODY(), '<x:leak xmlns:x="u:x">&e;</x:leak>').replace(/^<\?xml[^>]*>/, '')}`;
    const res = await post12(app(), xxe);
    expectFault(res, 400, 'Sender', /DOCTYPE/);
    expect(res.text).not.toContain('root:');
    const ents = ['<!ENTITY l0 "lol">'];
    for (let i = 1; i < 10; i++) ents.push(`<!ENTITY l${i} "${`&l${i - 1};`.repeat(10)}">`);
    expectFault(await post12(app(), `<!DOCTYPE r [${ents.join('')}]><r>&l9;</r>`), 400, 'Sender', /not well-formed|DOCTYPE/);
  });
});

describe('SOAP endpoint: WSDL', () => {
  it('serves the official WSDL with its address rewritten, and the imported XSDs', async () => {
    const res = await request(app()).get('/xds/repository?wsdl').set('Host', 'hub.example:8080');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<soap12:address location="http://hub.example:8080/xds/repository"/>');
    expect(res.text).toContain('schemaLocation="http://hub.example:8080/xds/repository?xsd=ihe%2Fschema%2FIHE%2FXDS.b_DocumentRepository.xsd"');
    const xsd = await request(app()).get('/xds/repository?xsd=ihe%2Fschema%2FebRS%2Frim.xsd').set('Host', 'h');
    expect(xsd.status).toBe(200);
    expect(xsd.text).toContain('schemaLocation="http://h/xds/repository?xsd=w3%2Fxml.xsd"');
    const evil = await request(app()).get('/xds/repository?xsd=../package.json');
    expect(evil.status).toBe(404);
    expect(evil.text).toContain('Envelope');
    expect((await request(app()).get('/ddsrepository')).status).toBe(405);
  });
});

describe('SOAP error guard', () => {
  it('answers a body-parser error in front of the SOAP route with a SOAP fault, not HTML', async () => {
    const { createSoapErrorHandler } = await import('../../../src/http/soap-endpoint.js');
    const a = express();
    a.use(express.json());
    a.use(app());
    a.use(createSoapErrorHandler(log));
    const res = await request(a).post('/xds/repository').set('Content-Type', 'application/json').send('{"broken":');
    expectFault(res, 400, 'Sender', /could not be read/);
  });
});

describe('SOAP 1.1 with an empty SOAPAction', () => {
  it('dispatches by the body element when exactly one transaction expects it', async () => {
    const res = await request(app()).post('/xds/repository').set('Content-Type', 'text/xml').set('SOAPAction', '""').send(env11(QUERY_BODY()));
    expect(res.status).toBe(200);
    expect(xpathString(res.text, '//wsa:Action', ns)).toBe(`${ACTIONS.query}Response`);
  });
});
