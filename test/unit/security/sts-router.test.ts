import { beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import request from 'supertest';
import { createTestCa, createCertificate, type TestCa } from '../../../src/services/sts/test-ca.js';
import { createStsRouter } from '../../../src/services/sts/sts-router.js';
import { buildIdCardRequest } from '../../../src/services/sts/sts-client.js';
import { buildUnsignedIdCard, signAssertion } from '../../../src/services/sts/id-card-issuer.js';
import { buildDgwsEnvelope } from '../../../src/services/sts/dgws-envelope.js';
import { buildIdwsEnvelope } from '../../../src/services/sts/idws-issuer.js';
import { certBase64 } from '../../../src/services/sts/test-ca.js';
import { createSecurityStack, defaultPolicies } from '../../../src/security/index.js';
import { soapRequestFromXml } from '../../../src/security/soap-request-from-xml.js';
import { NS } from '../../../src/security/namespaces.js';

const SPEC = {
  type: 'user' as const,
  cpr: '0101011234',
  givenName: 'Karen',
  surName: 'Jensen',
  role: 'Læge',
  systemName: 'EPJ',
  careProvider: { type: 'cvrnumber' as const, id: '12345678', name: 'Region' },
};

describe('development STS router', () => {
  let ca: TestCa;
  let app: express.Express;
  beforeAll(() => {
    ca = createTestCa(undefined, 1024);
    app = express();
    app.use(createStsRouter({ ca, allowUnsignedRequests: true }));
  });
  const stack = () => createSecurityStack({ trustedCertificatesPem: [ca.sts.certPem], clockSkewSeconds: 300, policies: defaultPolicies(), insecureDevelopment: false });

  it('serves its signing certificate', async () => {
    const res = await request(app).get('/sts/certificate');
    expect(res.status).toBe(200);
    expect(res.text).toBe(ca.sts.certPem);
  });

  it('issues a signed ID card for a WS-Trust Issue request that the hub accepts', async () => {
    const res = await request(app).post('/sts/services/NewSecurityTokenService').set('Content-Type', 'text/xml').send(buildIdCardRequest(SPEC));
    expect(res.status).toBe(200);
    expect(res.text).toContain('RequestSecurityTokenResponse');
    expect(res.text).toContain('/status/valid');
    const card = /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(res.text)![0];
    const xml = buildDgwsEnvelope({ idCardXml: card, medcom: { securityLevel: 4 }, bodyXml: '<x xmlns="urn:x"/>' });
    const ctx = await stack().authenticate(soapRequestFromXml(xml), 'xds-write');
    expect(ctx).toMatchObject({ tokenType: 'dgws-user', authLevel: 4, subjectCpr: '0101011234', role: 'Læge', issuer: ca.issuer });
  });

  it('also takes the WS-Trust 1.3 namespace and SOAP 1.2', async () => {
    const rst13 = buildIdCardRequest(SPEC).split(NS.wst2005).join(NS.wst).split(NS.soap11).join(NS.soap12);
    const res = await request(app).post('/sts/services/NewSecurityTokenService').set('Content-Type', 'application/soap+xml').send(rst13);
    expect(res.status).toBe(200);
    expect(res.text).toContain(NS.soap12);
    expect(res.text).toContain(`${NS.wst}/status/valid`);
  });

  it('answers a wst:InvalidRequest fault for a user card request without CPR', async () => {
    const bad = buildIdCardRequest({ ...SPEC, cpr: '0101011234' }).replace(/<saml:Attribute Name="medcom:UserCivilRegistrationNumber">[\s\S]*?<\/saml:Attribute>/, '');
    const res = await request(app).post('/sts/services/NewSecurityTokenService').set('Content-Type', 'text/xml').send(bad);
    expect(res.status).toBe(500);
    expect(res.text).toMatch(/InvalidRequest/);
    expect(res.text).toMatch(/UserCivilRegistrationNumber/);
  });

  it('refuses a level 4 system card', async () => {
    const res = await request(app).post('/sts/services/NewSecurityTokenService').set('Content-Type', 'text/xml')
      .send(buildIdCardRequest({ type: 'system', level: 4, systemName: 'EPJ', careProvider: SPEC.careProvider }));
    expect(res.status).toBe(500);
    expect(res.text).toMatch(/InvalidRequest/);
  });

  it('accepts claims signed by a client certificate of the test CA and refuses a foreign one', async () => {
    const signed = signAssertion(buildUnsignedIdCard(SPEC), ca.client);
    const req = (claim: string): string => buildIdCardRequest(SPEC).replace(/<saml:Assertion[\s\S]*<\/saml:Assertion>/, claim);
    const ok = await request(app).post('/sts/services/NewSecurityTokenService').set('Content-Type', 'text/xml').send(req(signed));
    expect(ok.status).toBe(200);
    const foreign = signAssertion(buildUnsignedIdCard(SPEC), createCertificate({ commonName: 'foreign', keyBits: 1024 }));
    const no = await request(app).post('/sts/services/NewSecurityTokenService').set('Content-Type', 'text/xml').send(req(foreign));
    expect(no.status).toBe(500);
    expect(no.text).toMatch(/FailedAuthentication/);
  });

  it('exchanges an ID card for an IDWS token (Bst2Idws) that the hub accepts for its audience', async () => {
    const issued = await request(app).post('/sts/services/NewSecurityTokenService').set('Content-Type', 'text/xml').send(buildIdCardRequest(SPEC));
    const card = /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(issued.text)![0];
    const rst =
      `<soap:Envelope xmlns:soap="${NS.soap12}"><soap:Header/><soap:Body>` +
      `<wst:RequestSecurityToken xmlns:wst="${NS.wst}" xmlns:wst14="${NS.wst14}" xmlns:wsp="${NS.wsp}" xmlns:wsa="${NS.wsa}" xmlns:ds="${NS.ds}">` +
      `<wst:RequestType>${NS.wst}/Issue</wst:RequestType>` +
      `<wsp:AppliesTo><wsa:EndpointReference><wsa:Address>https://audience.nspop.dk/dds</wsa:Address></wsa:EndpointReference></wsp:AppliesTo>` +
      `<wst14:ActAs>${card}</wst14:ActAs>` +
      `<wst:UseKey><ds:X509Data><ds:X509Certificate>${certBase64(ca.client.certPem)}</ds:X509Certificate></ds:X509Data></wst:UseKey>` +
      '</wst:RequestSecurityToken></soap:Body></soap:Envelope>';
    const res = await request(app).post('/sts/services/Bst2Idws').set('Content-Type', 'application/soap+xml').send(rst);
    expect(res.status).toBe(200);
    const token = /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(res.text)![0];
    const xml = buildIdwsEnvelope({ tokenXml: token, action: 'urn:ihe:iti:2007:RegistryStoredQuery', bodyXml: '<x xmlns="urn:x"/>', holderOfKey: ca.client });
    const ctx = await stack().authenticate(soapRequestFromXml(xml), 'xds-read');
    expect(ctx).toMatchObject({ tokenType: 'idws', authLevel: 4, subjectCpr: '0101011234', audience: 'https://audience.nspop.dk/dds' });
  });

  it('refuses to exchange a card it did not issue', async () => {
    const foreignCa = createTestCa('OTHER', 1024);
    const foreignCard = signAssertion(buildUnsignedIdCard({ ...SPEC, issuer: 'OTHER' }), foreignCa.sts);
    const rst =
      `<soap:Envelope xmlns:soap="${NS.soap12}"><soap:Body><wst:RequestSecurityToken xmlns:wst="${NS.wst}" xmlns:wst14="${NS.wst14}" xmlns:wsp="${NS.wsp}" xmlns:wsa="${NS.wsa}" xmlns:ds="${NS.ds}">` +
      `<wsp:AppliesTo><wsa:EndpointReference><wsa:Address>https://audience.nspop.dk/dds</wsa:Address></wsa:EndpointReference></wsp:AppliesTo>` +
      `<wst14:ActAs>${foreignCard}</wst14:ActAs><wst:UseKey><ds:X509Data><ds:X509Certificate>${certBase64(ca.client.certPem)}</ds:X509Certificate></ds:X509Data></wst:UseKey>` +
      '</wst:RequestSecurityToken></soap:Body></soap:Envelope>';
    const res = await request(app).post('/sts/services/Bst2Idws').set('Content-Type', 'application/soap+xml').send(rst);
    expect(res.status).toBe(500);
    expect(res.text).toMatch(/FailedAuthentication/);
  });
});

describe('development STS: malformed requests', () => {
  it('answers wst:InvalidRequest for XML that is not well-formed', async () => {
    const app = express();
    app.use(createStsRouter({ ca: createTestCa(undefined, 1024) }));
    const res = await request(app).post('/sts/services/NewSecurityTokenService').set('Content-Type', 'text/xml').send('<soap:Envelope');
    expect(res.status).toBe(500);
    expect(res.text).toMatch(/InvalidRequest/);
  });
});
