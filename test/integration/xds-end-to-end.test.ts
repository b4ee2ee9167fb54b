/**
 * Issue #2 end to end over HTTP (supertest): ITI-41 (MTOM and inline) → ITI-18 FindDocuments → ITI-43,
 * SOAP 1.2 and 1.1, and the bad-input cases — each with its standard fault or RegistryError, and nothing
 * stored after a failure. Every SOAP response body is validated against the official XSDs.
 */
import { randomUUID } from 'node:crypto';
import { findDocumentsRequestXml } from '../../src/client/find-documents-request.js';
import { tmpdir } from 'node:os';
import { Readable } from 'node:stream';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelope12, mtomBody } from '../../src/client/soap-client.js';
import { hl7Now, sampleSubmission } from '../../src/client/sample-submission.js';
import { parseMtom } from '../../src/http/mtom-parser.js';
import { parseXml } from '../../src/xml/parse.js';
import { child, descendants, type XmlElement } from '../../src/xml/tree.js';
import { NS } from '../../src/xds/ebrim/namespaces.js';
import { createTestHub, type TestHub } from '../support/hub.js';

const PNR = 'urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b';
const SQ = 'urn:ihe:iti:2007:RegistryStoredQuery';
const RET = 'urn:ihe:iti:2007:RetrieveDocumentSet';
const SOAP12 = 'http://www.w3.org/2003/05/soap-envelope';
const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const AUTHORITY = '1.3.6.1.4.1.21367.2005.13.20.1000';

let t: TestHub;
const patientId = `E2E${Date.now()}^^^&${AUTHORITY}&ISO`;
const oid = () => `2.25.${BigInt('0x' + randomUUID().replace(/-/g, '')).toString()}`;

beforeAll(async () => {
  t = await createTestHub();
  await t.hub.identity.register(patientId, 'test');
});
afterAll(async () => t?.cleanup());

interface Reply {
  status: number;
  contentType: string;
  envelope: XmlElement;
  body: XmlElement;
  rawEnvelope: Buffer;
  parts: Map<string, Buffer>;
}

async function readReply(res: request.Response): Promise<Reply> {
  const contentType = String(res.headers['content-type'] ?? '');
  const raw: Buffer = Buffer.isBuffer(res.body) ? res.body : Buffer.from(res.text ?? '');
  let env = raw;
  const parts = new Map<string, Buffer>();
  if (contentType.startsWith('multipart/related')) {
    const m = await parseMtom(Readable.from([raw]), contentType, {
      maxRequestBytes: 1e9,
      maxXmlBytes: 1e8,
      spoolThresholdBytes: 1e9,
      spoolDir: tmpdir(),
    });
    env = m.root;
    for (const [cid, a] of m.attachments) parts.set(cid, await a.readAll());
    await m.cleanup();
  }
  const envelope = parseXml(env);
  const bodyEl = envelope.children.find((c) => c.name === 'Body')!;
  return { status: res.status, contentType, envelope, body: bodyEl.children[0], rawEnvelope: env, parts };
}

function post(path: string, contentType: string, body: Buffer | string, extra: Record<string, string> = {}) {
  return request(t.hub.app)
    .post(path)
    .set('content-type', contentType)
    .set(extra)
    .buffer(true)
    .parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    })
    .send(Buffer.isBuffer(body) ? body : Buffer.from(body));
}

async function soap12(path: string, action: string, bodyXml: string): Promise<Reply> {
  const env = envelope12(action, `http://localhost${path}`, bodyXml);
  return readReply(await post(path, `application/soap+xml; charset=UTF-8; action="${action}"`, env));
}

function schemaErrors(reply: Reply): string[] {
  return t.hub.schemas.validateAny(reply.rawEnvelope);
}

function status(el: XmlElement): string {
  return (el.attrs.status ?? '').split(':').pop()!;
}

function errorCodes(el: XmlElement): string[] {
  return descendants(el, NS.rs, 'RegistryError').map((e) => e.attrs.errorCode!);
}

function pnrXml(docId: string, documentXml: string, sorXml: string): string {
  return (
    `<xdsb:ProvideAndRegisterDocumentSetRequest xmlns:xdsb="${NS.xdsb}">${sorXml}` +
    `<xdsb:Document id="${docId}">${documentXml}</xdsb:Document></xdsb:ProvideAndRegisterDocumentSetRequest>`
  );
}

function newSubmission(pid = patientId, uniqueId = oid()) {
  return {
    uniqueId,
    ...sampleSubmission({
      patientId: pid,
      documentUniqueId: uniqueId,
      submissionSetUniqueId: oid(),
      sourceId: '1.3.6.1.4.1.21367.2010.1.2.1',
      mimeType: 'text/plain',
      title: 'e2e',
      now: hl7Now(),
    }),
  };
}

async function provideMtom(content: Buffer, sub = newSubmission(), cidOverride?: string): Promise<Reply> {
  const cid = `doc.${randomUUID()}@test`;
  const xml = pnrXml(sub.documentEntryUuid, `<xop:Include xmlns:xop="${NS.xop}" href="cid:${cidOverride ?? cid}"/>`, sub.submitObjectsRequestXml);
  const { body, contentType } = mtomBody(envelope12(PNR, 'http://localhost/xds/repository', xml), PNR, [
    { contentId: cid, contentType: 'text/plain', bytes: content },
  ]);
  return readReply(await post('/xds/repository', contentType, body));
}

function retrieveXml(reqs: { repo: string; uid: string }[]): string {
  return (
    `<xdsb:RetrieveDocumentSetRequest xmlns:xdsb="${NS.xdsb}">` +
    reqs.map((r) => `<xdsb:DocumentRequest><xdsb:RepositoryUniqueId>${r.repo}</xdsb:RepositoryUniqueId><xdsb:DocumentUniqueId>${r.uid}</xdsb:DocumentUniqueId></xdsb:DocumentRequest>`).join('') +
    `</xdsb:RetrieveDocumentSetRequest>`
  );
}

async function storedCounts() {
  const counts = await t.hub.backends.metadata.countObjects();
  let docs = 0;
  for await (const _ of t.hub.backends.documents.list()) docs++;
  return { ...counts, docs };
}

describe('ITI-41 → ITI-18 → ITI-43 on the embedded default', () => {
  it('stores an MTOM document, finds it with FindDocuments and retrieves the same bytes', async () => {
    const content = Buffer.from('hello xds-hub\r\n--not-a-boundary\r\n'.repeat(100));
    const sub = newSubmission();
    const r41 = await provideMtom(content, sub);
    expect(errorCodes(r41.body)).toEqual([]);
    expect(status(r41.body)).toBe('Success');
    expect(r41.envelope.ns).toBe(SOAP12);
    expect(schemaErrors(r41)).toEqual([]);

    const r18 = await soap12('/xds/registry', SQ, findDocumentsRequestXml(patientId));
    expect(status(r18.body)).toBe('Success');
    expect(schemaErrors(r18)).toEqual([]);
    const entries = descendants(r18.body, NS.rim, 'ExtrinsicObject');
    const mine = entries.find((eo) => descendants(eo, NS.rim, 'ExternalIdentifier').some((x) => x.attrs.value === sub.uniqueId))!;
    expect(mine).toBeDefined();
    const slot = (name: string) => descendants(mine, NS.rim, 'Slot').find((s) => s.attrs.name === name);
    const slotValue = (name: string) => descendants(slot(name)!, NS.rim, 'Value')[0].text;
    expect(slotValue('size')).toBe(String(content.length));
    expect(slotValue('hash')).toMatch(/^[0-9a-f]{40}$/);
    const repo = slotValue('repositoryUniqueId');
    expect(repo).toBe(t.hub.config.repositoryUniqueId);

    const r43 = await soap12('/xds/repository', RET, retrieveXml([{ repo, uid: sub.uniqueId }]));
    expect(r43.contentType).toMatch(/^multipart\/related/);
    expect(schemaErrors(r43)).toEqual([]);
    expect(status(child(r43.body, NS.rs, 'RegistryResponse')!)).toBe('Success');
    expect([...r43.parts.values()][0]).toEqual(content);
  });

  it('accepts inline base64 documents (no MTOM)', async () => {
    const content = Buffer.from('inline document');
    const sub = newSubmission();
    const r41 = await soap12('/xds/repository', PNR, pnrXml(sub.documentEntryUuid, content.toString('base64'), sub.submitObjectsRequestXml));
    expect(errorCodes(r41.body)).toEqual([]);
    expect(status(r41.body)).toBe('Success');
  });

  it('answers SOAP 1.1 requests in SOAP 1.1 with WS-Addressing RelatesTo', async () => {
    const messageId = `urn:uuid:${randomUUID()}`;
    const env =
      `<s:Envelope xmlns:s="${SOAP11}" xmlns:a="http://www.w3.org/2005/08/addressing"><s:Header>` +
      `<a:Action>${SQ}</a:Action><a:MessageID>${messageId}</a:MessageID></s:Header><s:Body>${findDocumentsRequestXml(patientId)}</s:Body></s:Envelope>`;
    const r = await readReply(await post('/ddsregistry', 'text/xml; charset=UTF-8', env, { SOAPAction: `"${SQ}"` }));
    expect(r.envelope.ns).toBe(SOAP11);
    const header = r.envelope.children.find((c) => c.name === 'Header')!;
    const text = (n: string) => header.children.find((c) => c.name === n)?.text;
    expect(text('Action')).toBe(`${SQ}Response`);
    expect(text('RelatesTo')).toBe(messageId);
    expect(status(r.body)).toBe('Success');
  });

  it('answers PartialSuccess with per-document errors on a mixed retrieve', async () => {
    const sub = newSubmission();
    await provideMtom(Buffer.from('x'), sub);
    const repo = t.hub.config.repositoryUniqueId;
    const r = await soap12('/xds/repository', RET, retrieveXml([
      { repo, uid: sub.uniqueId },
      { repo, uid: '1.2.3.4.5.6.7.unknown' },
      { repo: '1.2.3.999', uid: sub.uniqueId },
    ]));
    const rr = child(r.body, NS.rs, 'RegistryResponse')!;
    expect(status(rr)).toBe('PartialSuccess');
    expect(errorCodes(rr).sort()).toEqual(['XDSDocumentUniqueIdError', 'XDSUnknownRepositoryId']);
    expect(r.parts.size).toBe(1);
  });

  it('serves the official WSDL with its address rewritten to this server', async () => {
    const res = await request(t.hub.app).get('/xds/registry?wsdl').set('host', 'hub.example:9000');
    expect(res.status).toBe(200);
    expect(res.text).toContain('http://hub.example:9000/xds/registry');
    expect(res.text).toContain('DocumentRegistry');
  });
});

describe('bad input gets its standard error and stores nothing', () => {
  it('refuses a PnR whose attachment is missing with XDSMissingDocument', async () => {
    const before = await storedCounts();
    const r = await provideMtom(Buffer.from('abc'), newSubmission(), 'no-such-part@test');
    expect(status(r.body)).toBe('Failure');
    expect(errorCodes(r.body)).toContain('XDSMissingDocument');
    expect(await storedCounts()).toEqual(before);
  });

  it('refuses a supplied hash that does not match the bytes with XDSRepositoryMetadataError', async () => {
    const before = await storedCounts();
    const sub = newSubmission();
    const withHash = sub.submitObjectsRequestXml.replace(
      /(<rim:ExtrinsicObject[^>]*>)/,
      `$1<rim:Slot name="hash"><rim:ValueList><rim:Value>${'A'.repeat(40)}</rim:Value></rim:ValueList></rim:Slot>`,
    );
    const r = await provideMtom(Buffer.from('hash me'), { ...sub, submitObjectsRequestXml: withHash });
    expect(errorCodes(r.body)).toContain('XDSRepositoryMetadataError');
    expect(await storedCounts()).toEqual(before);
  });

  it('refuses an unknown patient with XDSUnknownPatientId and removes the stored bytes', async () => {
    const before = await storedCounts();
    const r = await provideMtom(Buffer.from('nobody'), newSubmission(`NOBODY^^^&${AUTHORITY}&ISO`));
    expect(errorCodes(r.body)).toContain('XDSUnknownPatientId');
    expect(await storedCounts()).toEqual(before);
  });

  it('answers a body that is not XML with a SOAP Sender fault', async () => {
    const res = await post('/xds/registry', 'application/soap+xml; charset=UTF-8', 'this is not xml <<<');
    expect(res.status).toBeGreaterThanOrEqual(400);
    const fault = parseXml(res.body as Buffer);
    expect(descendants(fault, SOAP12, 'Fault')).toHaveLength(1);
    expect((res.body as Buffer).toString()).not.toMatch(/at .*\.ts:\d+/);
  });

  it('answers an unknown action with wsa:ActionNotSupported', async () => {
    const r = await soap12('/xds/registry', 'urn:example:NoSuchAction', findDocumentsRequestXml(patientId));
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.rawEnvelope.toString()).toContain('ActionNotSupported');
  });

  it('answers a body element in the wrong namespace with a fault', async () => {
    const r = await soap12('/xds/registry', SQ, '<AdhocQueryRequest xmlns="urn:wrong"/>');
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(descendants(r.envelope, SOAP12, 'Fault')).toHaveLength(1);
  });

  it('answers a wrong content type with a SOAP fault, not an HTML page', async () => {
    const res = await post('/xds/registry', 'application/json', '{"a":1}');
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(String(res.headers['content-type'])).toMatch(/soap\+xml|text\/xml/);
  });

  it('answers truncated MIME with a fault and stores nothing', async () => {
    const before = await storedCounts();
    const sub = newSubmission();
    const cid = 'doc@test';
    const { body, contentType } = mtomBody(
      envelope12(PNR, 'http://localhost/xds/repository', pnrXml(sub.documentEntryUuid, `<xop:Include xmlns:xop="${NS.xop}" href="cid:${cid}"/>`, sub.submitObjectsRequestXml)),
      PNR,
      [{ contentId: cid, contentType: 'text/plain', bytes: Buffer.alloc(10_000, 65) }],
    );
    const res = await post('/xds/repository', contentType, body.subarray(0, body.length - 3000));
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(descendants(parseXml(res.body as Buffer), SOAP12, 'Fault')).toHaveLength(1);
    expect(await storedCounts()).toEqual(before);
  });

  it('refuses a schema-invalid submission with XDSRepositoryMetadataError', async () => {
    const sub = newSubmission();
    const broken = sub.submitObjectsRequestXml.replace('<rim:RegistryObjectList', '<rim:Bogus xmlns:rim="urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0"/><rim:RegistryObjectList');
    const r = await soap12('/xds/repository', PNR, pnrXml(sub.documentEntryUuid, 'YQ==', broken));
    expect(status(r.body)).toBe('Failure');
    expect(errorCodes(r.body)).toEqual(['XDSRepositoryMetadataError']);
  });
});
