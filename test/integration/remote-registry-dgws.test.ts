/**
 * A split repository/registry deployment with security on (dk-nsp.md §1): the registry hub accepts only
 * DGWS/IDWS tokens from its trusted (development) STS; the repository hub forwards the ITI-42 step of
 * ITI-41 (ITI TF-2b §3.41.4.1.3) with a DGWS system ID card (level 3) it gets from that STS with its
 * VOCES certificate (XDS_REMOTE_REGISTRY_STS_URL, _CERT, _KEY). Also: without credentials the registry
 * refuses and the repository passes its fault on; an STS that is down or refuses is
 * XDSRegistryNotAvailable; nothing is stored in the repository when the registration fails; one card
 * serves many ITI-41s and is renewed before it expires.
 */
import express from 'express';
import { findDocumentsRequestXml } from '../../src/client/find-documents-request.js';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envelope12 } from '../../src/client/soap-client.js';
import { hl7Now, sampleSubmission } from '../../src/client/sample-submission.js';
import { loadConfig } from '../../src/config/config.js';
import { issueIdCard } from '../../src/services/sts/id-card-issuer.js';
import { dgwsHeaderBlocks } from '../../src/services/sts/sts-client.js';
import { createStsRouter } from '../../src/services/sts/sts-router.js';
import { createCertificate, type TestCa } from '../../src/services/sts/test-ca.js';
import { NS } from '../../src/xds/ebrim/namespaces.js';
import { createTestHub, type TestHub } from '../support/hub.js';

const PNR = 'urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b';
const SQ = 'urn:ihe:iti:2007:RegistryStoredQuery';
const PATIENT = `DGWSREMOTE1^^^&1.3.6.1.4.1.21367.2005.13.20.1000&ISO`;
const STS_PATH = '/sts/services/NewSecurityTokenService';
const oid = () => `2.25.${BigInt('0x' + randomUUID().replace(/-/g, '')).toString()}`;

let registryHub: TestHub;
let ca: TestCa;
let registryServer: http.Server;
let baseUrl: string;
let registryUrl: string;
/** STS requests that reached the registry hub's development STS. */
let stsCalls = 0;
/** A second STS with the same key (so its cards are trusted) issuing 8-second cards. */
let shortStsServer: http.Server;
let shortStsUrl: string;
let shortStsCalls = 0;
let keyDir: string;
const hubs: TestHub[] = [];

async function listen(listener: http.RequestListener): Promise<{ server: http.Server; base: string }> {
  const server = http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function close(server: http.Server | undefined): Promise<void> {
  return new Promise<void>((resolve) => {
    if (!server) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

beforeAll(async () => {
  registryHub = await createTestHub({ insecureDevelopment: false }, { XDS_DEV_STS: '1' });
  await registryHub.hub.identity.register(PATIENT, 'test');
  ca = registryHub.hub.security.devSts!;
  const registry = await listen((req, res) => {
    if (req.url?.startsWith(STS_PATH)) stsCalls++;
    registryHub.hub.app(req, res);
  });
  registryServer = registry.server;
  baseUrl = registry.base;
  registryUrl = `${baseUrl}/xds/registry`;

  const shortApp = express();
  shortApp.use(createStsRouter({ ca, cardLifetimeSeconds: 8 }));
  const short = await listen((req, res) => {
    if (req.url?.startsWith(STS_PATH)) shortStsCalls++;
    shortApp(req, res);
  });
  shortStsServer = short.server;
  shortStsUrl = `${short.base}${STS_PATH}`;

  // The repository's VOCES-like system certificate: issued by the test CA, subject serialNumber
  // "CVR:12345678-UID:CLIENT", O "xds-hub test" (the dev STS accepts claims signed by its CA's certificates).
  keyDir = await mkdtemp(path.join(tmpdir(), 'xds-remote-dgws-'));
  await writeFile(path.join(keyDir, 'system-cert.pem'), ca.client.certPem);
  await writeFile(path.join(keyDir, 'system-key.pem'), ca.client.keyPem, { mode: 0o600 });
  const stranger = createCertificate({ commonName: 'not from the test CA', serialNumberAttr: 'CVR:12345678-UID:STRANGER', keyBits: 1024 });
  await writeFile(path.join(keyDir, 'stranger-cert.pem'), stranger.certPem);
  await writeFile(path.join(keyDir, 'stranger-key.pem'), stranger.keyPem, { mode: 0o600 });
});

afterAll(async () => {
  for (const h of hubs) await h.cleanup();
  await close(shortStsServer);
  await close(registryServer);
  await registryHub?.cleanup();
  if (keyDir) await rm(keyDir, { recursive: true, force: true });
});

/** A repository hub whose credentials come from the environment exactly as an operator sets them. */
async function repositoryHub(env: Record<string, string>): Promise<TestHub> {
  const config = loadConfig({ XDS_REMOTE_REGISTRY_URL: registryUrl, ...env });
  const t = await createTestHub({ remoteRegistryUrl: registryUrl, remoteRegistryCredentials: config.remoteRegistryCredentials });
  hubs.push(t);
  return t;
}

function credentials(stsUrl: string, cert = 'system'): Record<string, string> {
  return {
    XDS_REMOTE_REGISTRY_STS_URL: stsUrl,
    XDS_REMOTE_REGISTRY_CERT: path.join(keyDir, `${cert}-cert.pem`),
    XDS_REMOTE_REGISTRY_KEY: path.join(keyDir, `${cert}-key.pem`),
    XDS_REMOTE_REGISTRY_SYSTEM_NAME: 'xds-hub repository',
  };
}

async function provide(t: TestHub): Promise<{ text: string; documentUniqueId: string }> {
  const documentUniqueId = oid();
  const sub = sampleSubmission({
    patientId: PATIENT,
    documentUniqueId,
    submissionSetUniqueId: oid(),
    sourceId: '1.3.6.1.4.1.21367.2010.1.2.1',
    mimeType: 'text/plain',
    title: 'remote with DGWS',
    now: hl7Now(),
  });
  const body =
    `<xdsb:ProvideAndRegisterDocumentSetRequest xmlns:xdsb="${NS.xdsb}">${sub.submitObjectsRequestXml}` +
    `<xdsb:Document id="${sub.documentEntryUuid}">${Buffer.from('remote registry with DGWS').toString('base64')}</xdsb:Document>` +
    `</xdsb:ProvideAndRegisterDocumentSetRequest>`;
  const res = await request(t.hub.app)
    .post('/xds/repository')
    .set('content-type', `application/soap+xml; charset=UTF-8; action="${PNR}"`)
    .send(envelope12(PNR, 'http://localhost/xds/repository', body));
  return { text: res.text, documentUniqueId };
}

async function countDocuments(t: TestHub): Promise<number> {
  let n = 0;
  for await (const _ of t.hub.backends.documents.list()) n++;
  return n;
}

async function registeredEntries(): Promise<number> {
  return (await registryHub.hub.backends.metadata.countObjects()).DocumentEntry ?? 0;
}

/** ITI-18 FindDocuments at the registry, as a level 4 user with a card from the registry's STS. */
async function findDocuments(): Promise<string> {
  const card = issueIdCard(ca, {
    type: 'user',
    level: 4,
    cpr: '0101801234',
    role: 'Læge',
    authorizationCode: 'ABC12',
    systemName: 'test',
    careProvider: { type: 'cvrnumber', id: '20921897', name: 'Test Hospital' },
  });
  const query = findDocumentsRequestXml(PATIENT);
  const res = await request(registryHub.hub.app)
    .post('/xds/registry')
    .set('content-type', `application/soap+xml; charset=UTF-8; action="${SQ}"`)
    .send(envelope12(SQ, 'http://localhost/xds/registry', query, dgwsHeaderBlocks(card, { securityLevel: 4 })));
  expect(res.status).toBe(200);
  return res.text;
}

describe('ITI-41 through a repository hub to a registry hub with security on', () => {
  it('registers with a DGWS system card from the STS; ITI-18 at the registry finds the document; one card serves two ITI-41s', async () => {
    const repo = await repositoryHub(credentials(`${baseUrl}${STS_PATH}`));
    const before = stsCalls;
    const first = await provide(repo);
    expect(first.text).toContain('ResponseStatusType:Success');
    const second = await provide(repo);
    expect(second.text).toContain('ResponseStatusType:Success');
    expect(stsCalls - before).toBe(1);
    expect(await countDocuments(repo)).toBe(2);
    const found = await findDocuments();
    expect(found).toContain('ResponseStatusType:Success');
    expect(found).toContain(first.documentUniqueId);
    expect(found).toContain(second.documentUniqueId);
    expect(found).toContain('1.3.6.1.4.1.21367.2010.1.2.1125'); // repositoryUniqueId set by the repository
  });

  it('without credentials: the registry refuses (missing_required_header), the repository answers its error and keeps nothing', async () => {
    const repo = await createTestHub({ remoteRegistryUrl: registryUrl });
    hubs.push(repo);
    const entries = await registeredEntries();
    const { text } = await provide(repo);
    expect(text).toContain('ResponseStatusType:Failure');
    expect(text).toContain('errorCode="XDSRegistryError"');
    expect(text).toContain('missing_required_header');
    expect(await countDocuments(repo)).toBe(0);
    expect(await registeredEntries()).toBe(entries);
  });

  it('STS down: XDSRegistryNotAvailable, nothing stored or registered', async () => {
    const closed = await listen((_req, res) => res.end());
    const downUrl = `${closed.base}${STS_PATH}`;
    await close(closed.server);
    const repo = await repositoryHub(credentials(downUrl));
    const entries = await registeredEntries();
    const { text } = await provide(repo);
    expect(text).toContain('ResponseStatusType:Failure');
    expect(text).toContain('errorCode="XDSRegistryNotAvailable"');
    expect(text).toContain(`STS ${downUrl} not reachable`);
    expect(await countDocuments(repo)).toBe(0);
    expect(await registeredEntries()).toBe(entries);
  });

  it('STS refusing the certificate: XDSRegistryNotAvailable with the STS reason, nothing stored', async () => {
    const repo = await repositoryHub(credentials(`${baseUrl}${STS_PATH}`, 'stranger'));
    const entries = await registeredEntries();
    const { text } = await provide(repo);
    expect(text).toContain('errorCode="XDSRegistryNotAvailable"');
    expect(text).toContain('refused to issue an ID card');
    expect(text).toContain('not issued by the test CA');
    expect(await countDocuments(repo)).toBe(0);
    expect(await registeredEntries()).toBe(entries);
  });

  it('renews the card before it expires', async () => {
    // 8-second cards: the renew margin (300 s by default) is capped at half the card's life, so the card
    // is renewed about 4 s after it was issued.
    const repo = await repositoryHub(credentials(shortStsUrl));
    const before = shortStsCalls;
    const t0 = Date.now();
    expect((await provide(repo)).text).toContain('ResponseStatusType:Success');
    expect((await provide(repo)).text).toContain('ResponseStatusType:Success');
    // (on a machine too slow to send two ITI-41s in 3.5 s the second may already renew)
    if (Date.now() - t0 < 3500) expect(shortStsCalls - before).toBe(1);
    await new Promise((r) => setTimeout(r, Math.max(0, t0 + 4500 - Date.now())));
    expect((await provide(repo)).text).toContain('ResponseStatusType:Success');
    expect(shortStsCalls - before).toBe(2);
  });
});
