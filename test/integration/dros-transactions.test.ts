/**
 * Issue #6 over HTTP: the DROS transactions on their endpoints (ITI-61 and ITI-62 on the registry, ITI-86 on
 * the repository, ITI-57 on the NSP alias), each response body validated against the official schemas:
 * an On-Demand entry is found only through $XDSDocumentEntryType; ITI-86 removes the bytes so a later ITI-43
 * fails, and a wrong repositoryUniqueId removes nothing; ITI-62 then removes the metadata.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../src/app.js';
import { mtomBody } from '../../src/client/soap-client.js';
import { parseXml } from '../../src/xml/parse.js';
import { descendants, type XmlElement } from '../../src/xml/tree.js';
import { NS } from '../../src/xds/ebrim/namespaces.js';
import { submissionXml } from '../unit/ebrim/builders.js';
import { createTestHub, type TestHub } from '../support/hub.js';

const SOAP12 = 'http://www.w3.org/2003/05/soap-envelope';
const WSA = 'http://www.w3.org/2005/08/addressing';
const ON_DEMAND = 'urn:uuid:34268e47-fdf5-41a6-ba33-82133c465248';
const SUCCESS = 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success';
const FAILURE = 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure';
const patient = `DROS${Date.now()}^^^&1.3.6.1.4.1.21367.2005.13.20.1000&ISO`;
const oid = () => `2.25.${BigInt('0x' + randomUUID().replace(/-/g, '')).toString()}`;

let hub: Hub;
let app: Hub['app'];
let testHub: TestHub;

beforeAll(async () => {
  testHub = await createTestHub({ profile: 'xds-generic' });
  ({ hub } = testHub);
  app = hub.app;
  await hub.identity.register(patient, 'test');
});
afterAll(async () => testHub?.cleanup());

const envelope = (action: string, body: string) =>
  `<s:Envelope xmlns:s="${SOAP12}" xmlns:a="${WSA}"><s:Header><a:Action s:mustUnderstand="1">${action}</a:Action><a:MessageID>urn:uuid:${randomUUID()}</a:MessageID></s:Header><s:Body>${body}</s:Body></s:Envelope>`;

async function call(pathName: string, action: string, body: string | { body: Buffer; contentType: string }): Promise<{ text: string; env: XmlElement }> {
  const isMtom = typeof body !== 'string';
  const res = await request(app)
    .post(pathName)
    .set('Content-Type', isMtom ? body.contentType : `application/soap+xml; charset=UTF-8; action="${action}"`)
    .buffer(true)
    .parse((r, cb) => {
      let t = '';
      r.setEncoding('latin1');
      r.on('data', (c: string) => (t += c));
      r.on('end', () => cb(null, t));
    })
    .send(isMtom ? body.body : envelope(action, body));
  const raw = res.body as string;
  const start = raw.search(/<([\w-]+:)?Envelope[\s>]/);
  const text = raw.slice(start, raw.lastIndexOf('Envelope>') + 'Envelope>'.length);
  const env = parseXml(text);
  const payload = env.children.find((c) => c.name === 'Body')!.children[0]!;
  const inner = /<(?:[\w-]+:)?Body[^>]*>([\s\S]*)<\/(?:[\w-]+:)?Body>/.exec(text)![1]!;
  expect(hub.schemas.validateAny(inner), `schema check of ${payload.name}`).toEqual([]);
  return { text, env };
}

const statusOf = (env: XmlElement) => descendants(env, NS.rs, 'RegistryResponse')[0]?.attrs.status ?? descendants(env, NS.query, 'AdhocQueryResponse')[0]?.attrs.status;
const errorCodes = (env: XmlElement) => descendants(env, NS.rs, 'RegistryError').map((e) => e.attrs.errorCode);

function findDocuments(type?: string): string {
  return `<query:AdhocQueryRequest xmlns:query="${NS.query}" xmlns:rim="${NS.rim}"><query:ResponseOption returnComposedObjects="true" returnType="LeafClass"/><rim:AdhocQuery id="urn:uuid:14d4debf-8f97-4251-9a74-a90016b0af0d">` +
    `<rim:Slot name="$XDSDocumentEntryPatientId"><rim:ValueList><rim:Value>'${patient.replaceAll('&', '&amp;')}'</rim:Value></rim:ValueList></rim:Slot>` +
    `<rim:Slot name="$XDSDocumentEntryStatus"><rim:ValueList><rim:Value>('urn:oasis:names:tc:ebxml-regrep:StatusType:Approved')</rim:Value></rim:ValueList></rim:Slot>` +
    (type ? `<rim:Slot name="$XDSDocumentEntryType"><rim:ValueList><rim:Value>('${type}')</rim:Value></rim:ValueList></rim:Slot>` : '') +
    `</rim:AdhocQuery></query:AdhocQueryRequest>`;
}
const entries = async (type?: string) => descendants((await call('/xds/registry', 'urn:ihe:iti:2007:RegistryStoredQuery', findDocuments(type))).env, NS.rim, 'ExtrinsicObject');

describe('ITI-61 Register On-Demand Document Entry', () => {
  const onDemand = (extra: { hash?: boolean; objectType?: string } = {}) =>
    submissionXml({
      patientId: patient,
      docs: [{ uniqueId: oid(), objectType: extra.objectType ?? ON_DEMAND, omitSlots: extra.hash ? [] : ['hash', 'size'] }],
    });

  it('registers an On-Demand entry, found by FindDocuments only with $XDSDocumentEntryType On-Demand', async () => {
    const { env } = await call('/xds/registry', 'urn:ihe:iti:2010:RegisterOnDemandDocumentEntry', onDemand());
    expect([statusOf(env), errorCodes(env)]).toEqual([SUCCESS, []]);
    expect(await entries()).toHaveLength(0);
    const found = await entries(ON_DEMAND);
    expect(found.map((e) => e.attrs.objectType)).toEqual([ON_DEMAND]);
  });

  it('refuses a stable entry and an On-Demand entry with hash/size (XDSRegistryMetadataError)', async () => {
    for (const body of [onDemand({ objectType: 'urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1', hash: true }), onDemand({ hash: true })]) {
      const { env } = await call('/xds/registry', 'urn:ihe:iti:2010:RegisterOnDemandDocumentEntry', body);
      expect(statusOf(env)).toBe(FAILURE);
      expect(errorCodes(env)).toContain('XDSRegistryMetadataError');
    }
    expect(await entries(ON_DEMAND)).toHaveLength(1);
  });
});

describe('ITI-86 then ITI-62: removing a document', () => {
  const uid = oid();
  const retrieve = `<xdsb:RetrieveDocumentSetRequest xmlns:xdsb="${NS.xdsb}"><xdsb:DocumentRequest><xdsb:RepositoryUniqueId>${hubRepo()}</xdsb:RepositoryUniqueId><xdsb:DocumentUniqueId>${uid}</xdsb:DocumentUniqueId></xdsb:DocumentRequest></xdsb:RetrieveDocumentSetRequest>`;
  function hubRepo(): string {
    return '1.3.6.1.4.1.21367.2010.1.2.1125';
  }
  const remove = (repo: string) =>
    `<rmd:RemoveDocumentsRequest xmlns:rmd="urn:ihe:iti:rmd:2017" xmlns:xdsb="${NS.xdsb}"><xdsb:DocumentRequest><xdsb:RepositoryUniqueId>${repo}</xdsb:RepositoryUniqueId><xdsb:DocumentUniqueId>${uid}</xdsb:DocumentUniqueId></xdsb:DocumentRequest></rmd:RemoveDocumentsRequest>`;
  const retrieveStatus = async () => {
    const { body, contentType } = mtomBody(envelope('urn:ihe:iti:2007:RetrieveDocumentSet', retrieve), 'urn:ihe:iti:2007:RetrieveDocumentSet', []);
    return statusOf((await call('/xds/repository', 'urn:ihe:iti:2007:RetrieveDocumentSet', { body, contentType })).env);
  };

  it('stores a document (ITI-41), refuses a wrong repositoryUniqueId, removes the bytes, then the metadata', async () => {
    expect(hub.config.repositoryUniqueId).toBe(hubRepo());
    const sor = submissionXml({ patientId: patient, docs: [{ id: 'Doc', uniqueId: uid, omitSlots: ['hash', 'size', 'repositoryUniqueId'] }] });
    const pnr = `<xdsb:ProvideAndRegisterDocumentSetRequest xmlns:xdsb="${NS.xdsb}">${sor}<xdsb:Document id="Doc">${Buffer.from('appointment').toString('base64')}</xdsb:Document></xdsb:ProvideAndRegisterDocumentSetRequest>`;
    const { env: stored } = await call('/xds/repository', 'urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b', pnr);
    expect([statusOf(stored), errorCodes(stored)]).toEqual([SUCCESS, []]);
    expect(await retrieveStatus()).toBe(SUCCESS);

    const wrong = (await call('/xds/repository', 'urn:ihe:iti:2017:RemoveDocuments', remove('1.2.1.1.1'))).env;
    expect([statusOf(wrong), errorCodes(wrong)]).toEqual([FAILURE, ['XDSUnknownRepositoryId']]);
    expect(await retrieveStatus()).toBe(SUCCESS);

    const removed = (await call('/xds/repository', 'urn:ihe:iti:2017:RemoveDocuments', remove(hubRepo()))).env;
    expect([statusOf(removed), errorCodes(removed)]).toEqual([SUCCESS, []]);
    expect(await retrieveStatus()).toBe(FAILURE);

    // ITI-62: the whole submission's metadata, named by entryUUID
    const [entry] = await hub.backends.metadata.findDocumentEntries({ uniqueIds: [uid] });
    const links = await hub.backends.metadata.findAssociations({ targetUuids: [entry!.entryUuid] });
    const ids = [entry!.entryUuid, ...links.map((a) => a.entryUuid), ...links.map((a) => a.sourceUuid)];
    const ro = `<lcm:RemoveObjectsRequest xmlns:lcm="${NS.lcm}" xmlns:rim="${NS.rim}"><rim:ObjectRefList>${[...new Set(ids)].map((id) => `<rim:ObjectRef id="${id}"/>`).join('')}</rim:ObjectRefList></lcm:RemoveObjectsRequest>`;
    const onlyEntry = `<lcm:RemoveObjectsRequest xmlns:lcm="${NS.lcm}" xmlns:rim="${NS.rim}"><rim:ObjectRefList><rim:ObjectRef id="${entry!.entryUuid}"/></rim:ObjectRefList></lcm:RemoveObjectsRequest>`;
    expect(errorCodes((await call('/xds/registry', 'urn:ihe:iti:2010:DeleteDocumentSet', onlyEntry)).env)).toEqual(['ReferencesExistException']);
    const keepEntry = ro.replace(`<rim:ObjectRef id="${entry!.entryUuid}"/>`, '');
    expect(errorCodes((await call('/xds/registry', 'urn:ihe:iti:2010:DeleteDocumentSet', keepEntry)).env)).toEqual(['XDSUnreferencedObjectException']);
    const gone = (await call('/xds/registry', 'urn:ihe:iti:2010:DeleteDocumentSet', ro)).env;
    expect([statusOf(gone), errorCodes(gone)]).toEqual([SUCCESS, []]);
    expect(await hub.backends.metadata.findDocumentEntries({ uniqueIds: [uid], allVersions: true })).toHaveLength(0);
  });
});

describe('ITI-57 over SOAP 1.1 on the NSP alias', () => {
  it('deprecates an entry with UpdateAvailabilityStatus sent as SOAP 1.1 (SOAPAction header) to /ddsregistry/metadataupdate', async () => {
    const uid = oid();
    const { env: reg } = await call('/dros/iti42', 'urn:ihe:iti:2007:RegisterDocumentSet-b', submissionXml({ patientId: patient, docs: [{ uniqueId: uid }] }));
    expect(statusOf(reg)).toBe(SUCCESS);
    const [entry] = await hub.backends.metadata.findDocumentEntries({ uniqueIds: [uid] });
    const body = submissionXml({
      patientId: patient,
      docs: [],
      noDefaultAssociations: true,
      associations: [{ id: 'u1', type: 'urn:ihe:iti:2010:AssociationType:UpdateAvailabilityStatus', source: 'SubmissionSet01', target: entry!.entryUuid, slots: { OriginalStatus: ['urn:oasis:names:tc:ebxml-regrep:StatusType:Approved'], NewStatus: ['urn:oasis:names:tc:ebxml-regrep:StatusType:Deprecated'] } }],
    });
    const soap11 = `<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Header/><S:Body>${body}</S:Body></S:Envelope>`;
    const res = await request(app).post('/ddsregistry/metadataupdate').set('Content-Type', 'text/xml; charset=UTF-8').set('SOAPAction', '"urn:ihe:iti:2010:UpdateDocumentSet"').send(soap11);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/xml/);
    const env = parseXml(res.text);
    expect(env.ns).toBe('http://schemas.xmlsoap.org/soap/envelope/');
    expect([statusOf(env), errorCodes(env)]).toEqual([SUCCESS, []]);
    const [after] = await hub.backends.metadata.getObjects([entry!.entryUuid]);
    expect(after!.status).toBe('urn:oasis:names:tc:ebxml-regrep:StatusType:Deprecated');
  });
});
