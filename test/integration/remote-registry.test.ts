/**
 * ITI-41 with the registry elsewhere (XDS_REMOTE_REGISTRY_URL, ITI TF-2b §3.41.4.1.3): a repository-side
 * hub forwards the ITI-42 step over SOAP to a registry hub, passes its errors back, and removes the bytes
 * it stored when the registry refuses the submission.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelope12 } from '../../src/client/soap-client.js';
import { hl7Now, sampleSubmission } from '../../src/client/sample-submission.js';
import { NS } from '../../src/xds/ebrim/namespaces.js';
import { createTestHub, type TestHub } from '../support/hub.js';

const PNR = 'urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b';
const PATIENT = `REMOTE1^^^&1.3.6.1.4.1.21367.2005.13.20.1000&ISO`;
const oid = () => `2.25.${BigInt('0x' + randomUUID().replace(/-/g, '')).toString()}`;

let registryHub: TestHub;
let repositoryHub: TestHub;
let server: http.Server;

beforeAll(async () => {
  registryHub = await createTestHub();
  await registryHub.hub.identity.register(PATIENT, 'test');
  server = http.createServer(registryHub.hub.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/xds/registry`;
  repositoryHub = await createTestHub({ remoteRegistryUrl: url });
});
afterAll(async () => {
  await repositoryHub?.cleanup();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  await registryHub?.cleanup();
});

async function provide(patientId: string): Promise<string> {
  const sub = sampleSubmission({
    patientId,
    documentUniqueId: oid(),
    submissionSetUniqueId: oid(),
    sourceId: '1.3.6.1.4.1.21367.2010.1.2.1',
    mimeType: 'text/plain',
    title: 'remote',
    now: hl7Now(),
  });
  const body =
    `<xdsb:ProvideAndRegisterDocumentSetRequest xmlns:xdsb="${NS.xdsb}">${sub.submitObjectsRequestXml}` +
    `<xdsb:Document id="${sub.documentEntryUuid}">${Buffer.from('remote registry').toString('base64')}</xdsb:Document>` +
    `</xdsb:ProvideAndRegisterDocumentSetRequest>`;
  const res = await request(repositoryHub.hub.app)
    .post('/xds/repository')
    .set('content-type', `application/soap+xml; charset=UTF-8; action="${PNR}"`)
    .send(envelope12(PNR, 'http://localhost/xds/repository', body));
  return res.text;
}

async function countDocuments(t: TestHub): Promise<number> {
  let n = 0;
  for await (const _ of t.hub.backends.documents.list()) n++;
  return n;
}

describe('ITI-41 with a remote registry', () => {
  it('registers the metadata in the remote registry and keeps the bytes in this repository', async () => {
    const text = await provide(PATIENT);
    expect(text).toContain('ResponseStatusType:Success');
    expect((await registryHub.hub.backends.metadata.countObjects()).DocumentEntry).toBe(1);
    expect((await repositoryHub.hub.backends.metadata.countObjects()).DocumentEntry).toBe(0);
    expect(await countDocuments(repositoryHub)).toBe(1);
  });

  it('passes the registry error back and removes the stored bytes', async () => {
    const before = await countDocuments(repositoryHub);
    const text = await provide(`UNKNOWN^^^&1.3.6.1.4.1.21367.2005.13.20.1000&ISO`);
    expect(text).toContain('ResponseStatusType:Failure');
    expect(text).toContain('XDSUnknownPatientId');
    expect(await countDocuments(repositoryHub)).toBe(before);
  });
});
