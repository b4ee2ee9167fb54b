/**
 * The repository's DGWS system ID card (src/services/sts/system-id-card.ts) against the development STS
 * on a fake clock: the signed level 3 request, the card taken out of an NSP-style response, one STS
 * request for concurrent callers, renewal before NotOnOrAfter, the old card while a renewal fails, and the
 * remote registry client's start-up warning and one retry after expired_idcard.
 */
import express from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrustStore } from '../../../../src/security/trust-store.js';
import { parseXml as parseDom } from '../../../../src/security/dom.js';
import { verifyEnvelopedSignature } from '../../../../src/security/xml-signature.js';
import { dgwsSoapFault } from '../../../../src/security/faults.js';
import { NS } from '../../../../src/security/namespaces.js';
import { faultEnvelope } from '../../../../src/soap/fault.js';
import { responseEnvelope } from '../../../../src/soap/response.js';
import { issueIdCard } from '../../../../src/services/sts/id-card-issuer.js';
import { buildIdCardRequest, issueIdCardAt, ocesCertHash, StsError } from '../../../../src/services/sts/sts-client.js';
import { createStsRouter } from '../../../../src/services/sts/sts-router.js';
import { systemIdCardSource, type SystemIdCardSettings } from '../../../../src/services/sts/system-id-card.js';
import { createTestCa, type TestCa } from '../../../../src/services/sts/test-ca.js';
import { remoteRegistryClient } from '../../../../src/xds/repository/registry-client.js';
import { XdsError } from '../../../../src/xds/errors.js';
import type { Logger } from '../../../../src/util/logger.js';
import { parseXml } from '../../../../src/xml/parse.js';

const STS_PATH = '/sts/services/NewSecurityTokenService';
let ca: TestCa;
/** Fake time inside the test certificates' validity: next year, so the dates stay real for years to come. */
const YEAR = new Date().getUTCFullYear() + 1;
const at = (day: number, time: string): Date => new Date(`${YEAR}-01-0${day}T${time}Z`);
const iso = (day: number, time: string): string => at(day, time).toISOString();
let clock = at(1, '12:00:00');
let stsCalls = 0;
let stsDown = false;
let server: http.Server;
let stsUrl: string;

beforeAll(async () => {
  ca = createTestCa(undefined, 1024);
  const app = express();
  app.use((req, res, next) => {
    if (req.path === STS_PATH) stsCalls++;
    if (stsDown) {
      res.status(503).send('down');
      return;
    }
    next();
  });
  // 1 hour cards, on the same fake clock as the client
  app.use(createStsRouter({ ca, now: () => clock, cardLifetimeSeconds: 3600, allowUnsignedRequests: false }));
  server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  stsUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}${STS_PATH}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
});

function settings(over: Partial<SystemIdCardSettings> = {}): SystemIdCardSettings {
  return {
    stsUrl,
    certificatePem: ca.client.certPem,
    privateKeyPem: ca.client.keyPem,
    systemName: 'xds-hub repository',
    careProvider: { type: 'cvrnumber', id: '12345678', name: 'xds-hub test' },
    renewBeforeSeconds: 300,
    ...over,
  };
}

function captureLog(): Logger & { lines: { level: string; msg: string }[] } {
  const lines: { level: string; msg: string }[] = [];
  const push = (level: string) => (msg: string) => void lines.push({ level, msg });
  return { lines, debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') };
}

describe('STS client', () => {
  it('signs the requested level 3 card with the system certificate and names its hash (Seal stslevel3request.xml)', () => {
    const xml = buildIdCardRequest(
      { type: 'system', level: 3, systemName: 'S', careProvider: { type: 'cvrnumber', id: '12345678', name: 'O' } },
      ca.client,
    );
    expect(xml).toContain(`<saml:Attribute Name="sosi:OCESCertHash"><saml:AttributeValue>${ocesCertHash(ca.client.certPem)}</saml:AttributeValue>`);
    const doc = parseDom(xml);
    const claim = doc.getElementsByTagNameNS(NS.saml, 'Assertion')[0]!;
    const verified = verifyEnvelopedSignature(claim, doc.documentElement!, createTrustStore([ca.client.certPem]), new Date());
    expect(verified.signedXml).toContain('sosi:AuthenticationLevel');
  });

  it('takes the card out of a response that declares saml:/ds: on the Envelope, its STS signature intact', async () => {
    const card = issueIdCard(ca, { type: 'system', systemName: 'S', careProvider: { type: 'cvrnumber', id: '12345678', name: 'O' } });
    // NSP layout (stslevel3response.xml): the prefixes are declared on the Envelope, not on the card
    const bare = card.replace(` xmlns:saml="${NS.saml}"`, '').replace(` xmlns:ds="${NS.ds}"`, '');
    expect(bare).not.toContain('xmlns:saml');
    const response =
      `<soap:Envelope xmlns:soap="${NS.soap11}" xmlns:wst="${NS.wst2005}" xmlns:saml="${NS.saml}" xmlns:ds="${NS.ds}"><soap:Body>` +
      `<wst:RequestSecurityTokenResponse><wst:RequestedSecurityToken>\n  ${bare}\n</wst:RequestedSecurityToken></wst:RequestSecurityTokenResponse>` +
      `</soap:Body></soap:Envelope>`;
    const fetchImpl = (async () => new Response(response, { status: 200 })) as typeof fetch;
    const got = await issueIdCardAt('http://sts.invalid/x', { type: 'system', systemName: 'S', careProvider: { type: 'cvrnumber', id: '1', name: 'O' } }, { fetchImpl });
    const doc = parseDom(got);
    verifyEnvelopedSignature(doc.documentElement!, doc.documentElement!, createTrustStore([ca.sts.certPem]), new Date());
  });

  it('reports a WS-Trust fault as refused and a non-SOAP answer as a bad response', async () => {
    const spec = { type: 'system' as const, systemName: 'S', careProvider: { type: 'cvrnumber' as const, id: '1', name: 'O' } };
    const fault =
      `<soap:Envelope xmlns:soap="${NS.soap11}"><soap:Body><soap:Fault><faultcode xmlns:wst="${NS.wst2005}">wst:FailedAuthentication</faultcode>` +
      `<faultstring>certificate revoked</faultstring></soap:Fault></soap:Body></soap:Envelope>`;
    const refused = await issueIdCardAt('http://sts.invalid/x', spec, { fetchImpl: (async () => new Response(fault, { status: 500 })) as typeof fetch }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(StsError);
    expect(refused).toMatchObject({ kind: 'refused', message: 'STS http://sts.invalid/x refused to issue an ID card: certificate revoked (wst:FailedAuthentication)' });
    const html = await issueIdCardAt('http://sts.invalid/x', spec, { fetchImpl: (async () => new Response('<html>proxy error', { status: 502 })) as typeof fetch }).catch((e: unknown) => e);
    expect(html).toMatchObject({ kind: 'bad-response' });
    expect((html as Error).message).toContain('answered HTTP 502 without a SOAP envelope');
  });
});

describe('system ID card source', () => {
  it('asks the STS once for concurrent callers and reuses the card until its renew time', async () => {
    clock = at(1, '12:00:00');
    const source = systemIdCardSource(settings(), { now: () => clock });
    const before = stsCalls;
    const [a, b] = await Promise.all([source.card(), source.card()]);
    expect(stsCalls - before).toBe(1);
    expect(a.xml).toBe(b.xml);
    expect(a.xml).toContain('<saml:AttributeValue>system</saml:AttributeValue>');
    expect(a.notOnOrAfter.toISOString()).toBe(iso(1, '13:00:00'));
    clock = at(1, '12:54:59'); // renew at 12:55 (300 s before 13:00)
    expect((await source.card()).fresh).toBe(false);
    expect(stsCalls - before).toBe(1);
    clock = at(1, '12:55:00');
    const renewed = await source.card();
    expect(renewed.fresh).toBe(true);
    expect(renewed.xml).not.toBe(a.xml);
    expect(renewed.notOnOrAfter.toISOString()).toBe(iso(1, '13:55:00'));
    expect(stsCalls - before).toBe(2);
  });

  it('keeps the current card while the STS is down and it is still valid, then fails', async () => {
    clock = at(2, '12:00:00');
    const log = captureLog();
    const source = systemIdCardSource(settings(), { now: () => clock, log });
    const first = await source.card();
    stsDown = true;
    try {
      clock = at(2, '12:58:00');
      const kept = await source.card();
      expect(kept).toMatchObject({ xml: first.xml, fresh: false });
      expect(log.lines.some((l) => l.level === 'warn' && l.msg.includes('could not renew'))).toBe(true);
      clock = at(2, '13:00:00');
      await expect(source.card()).rejects.toMatchObject({ name: 'StsError', kind: 'bad-response' });
    } finally {
      stsDown = false;
    }
    expect((await source.card()).fresh).toBe(true);
  });

  it('drops the cached card when told it was refused', async () => {
    clock = at(3, '12:00:00');
    const source = systemIdCardSource(settings(), { now: () => clock });
    const first = await source.card();
    source.invalidate('<other/>');
    expect((await source.card()).fresh).toBe(false);
    source.invalidate(first.xml);
    expect((await source.card()).fresh).toBe(true);
  });

  it('refuses an STS card that is already expired (clocks apart)', async () => {
    clock = at(4, '12:00:00');
    let t = 0;
    // the client's clock runs 2 h ahead of the STS from the second reading on
    const source = systemIdCardSource(settings(), { now: () => (t++ === 0 ? clock : new Date(clock.getTime() + 2 * 3600_000)) });
    await expect(source.card()).rejects.toThrow(`issued an ID card that expired at ${iso(4, '13:00:00')} (check the clocks)`);
  });
});

describe('remote registry client', () => {
  const SUCCESS = responseEnvelope('1.2', {
    action: 'urn:ihe:iti:2007:RegisterDocumentSet-bResponse',
    bodyXml: '<rs:RegistryResponse xmlns:rs="urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0" status="urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success"/>',
  });
  const EXPIRED = faultEnvelope(dgwsSoapFault('expired_idcard', 'the ID card expired'), '1.2');
  const sor = parseXml('<lcm:SubmitObjectsRequest xmlns:lcm="urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0"/>');
  const ctx = {} as never;

  it('warns at start-up when it sends without credentials, unless in insecure development mode', () => {
    const log = captureLog();
    remoteRegistryClient('http://registry.invalid/xds/registry', { log });
    expect(log.lines).toEqual([{ level: 'warn', msg: expect.stringContaining('XDS_REMOTE_REGISTRY_URL is set without STS credentials') }]);
    const quiet = captureLog();
    remoteRegistryClient('http://registry.invalid/xds/registry', { log: quiet, insecureDevelopment: true });
    expect(quiet.lines).toEqual([]);
  });

  it('sends the card in wsse:Security with a medcom:Header, and after expired_idcard on a cached card renews it and sends once more', async () => {
    clock = at(5, '12:00:00');
    const idCards = systemIdCardSource(settings(), { now: () => clock });
    const sent: string[] = [];
    const answers = [SUCCESS, EXPIRED, SUCCESS];
    const fetchImpl = (async (_url: unknown, init?: RequestInit) => {
      sent.push(String(init?.body));
      return new Response(answers.shift(), { status: 200 });
    }) as typeof fetch;
    const client = remoteRegistryClient('http://registry.invalid/xds/registry', { idCards, fetchImpl });
    const before = stsCalls;
    await client.register(sor, ctx);
    expect(sent[0]).toMatch(/<wsse:Security [^>]*><wsu:Timestamp><wsu:Created>[^<]+<\/wsu:Created><\/wsu:Timestamp><saml:Assertion /);
    expect(sent[0]).toMatch(/<medcom:Header [^>]*><medcom:SecurityLevel>3<\/medcom:SecurityLevel><medcom:Linking><medcom:MessageID>/);
    const firstCard = /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(sent[0])![0];
    await client.register(sor, ctx); // cached card refused, renewed, sent again
    expect(sent).toHaveLength(3);
    expect(sent[1]).toContain(firstCard);
    expect(sent[2]).not.toContain(firstCard);
    expect(stsCalls - before).toBe(2);
  });

  it('does not retry when a fresh card is refused: the registry error reaches the caller', async () => {
    clock = at(6, '12:00:00');
    const idCards = systemIdCardSource(settings(), { now: () => clock });
    let calls = 0;
    const fetchImpl = (async () => {
      calls++;
      return new Response(EXPIRED, { status: 500 });
    }) as typeof fetch;
    const client = remoteRegistryClient('http://registry.invalid/xds/registry', { idCards, fetchImpl });
    const err = await client.register(sor, ctx).catch((e: unknown) => e);
    expect(calls).toBe(1);
    expect(err).toBeInstanceOf(XdsError);
    expect((err as XdsError).errors).toEqual([
      expect.objectContaining({
        errorCode: 'XDSRegistryError',
        codeContext: expect.stringMatching(/^remote registry http:\/\/registry\.invalid\/xds\/registry refused the ITI-42: the ID card expired \(.*DGWS FaultCode expired_idcard\)$/),
      }),
    ]);
  });
});
