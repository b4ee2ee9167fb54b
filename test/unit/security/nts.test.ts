import { beforeAll, describe, expect, it } from 'vitest';
import express from 'express';
import request from 'supertest';
import { createTestCa, type TestCa } from '../../../src/services/sts/test-ca.js';
import { issueIdCard } from '../../../src/services/sts/id-card-issuer.js';
import { buildDgwsEnvelope } from '../../../src/services/sts/dgws-envelope.js';
import { defaultPolicies } from '../../../src/security/index.js';
import { inspectDgwsRequest } from '../../../src/services/nts/inspect.js';
import { createNtsRouter } from '../../../src/services/nts/nts-router.js';

describe('NTS: what is right and wrong with a DGWS request', () => {
  let ca: TestCa;
  let opts: Parameters<typeof inspectDgwsRequest>[1];
  const card = (over: object = {}): string =>
    issueIdCard(ca, { type: 'system', systemName: 'EPJ', careProvider: { type: 'cvrnumber', id: '12345678', name: 'Region' }, ...over });
  beforeAll(() => {
    ca = createTestCa(undefined, 1024);
    opts = { trustedCertificatesPem: [ca.sts.certPem], clockSkewSeconds: 300, policies: defaultPolicies() };
  });
  const env = (c: string, over: object = {}): string =>
    buildDgwsEnvelope({ idCardXml: c, medcom: { securityLevel: 3, flowId: 'f' }, bodyXml: '<x xmlns="urn:x"/>', ...over });

  it('reports every check passing for a good request and the per-policy outcome', async () => {
    const r = await inspectDgwsRequest(env(card()), opts, 'xds-write');
    expect(r.verdict).toBe('accepted');
    expect(r.checks.find((c) => c.name === 'signature')?.status).toBe('pass');
    expect(r.checks.find((c) => c.name === 'policy xds-write')?.status).toBe('pass');
    // a system card without HSUID fails the read policy, and the report says why
    expect(r.checks.find((c) => c.name === 'policy xds-read')).toMatchObject({ status: 'fail', faultCode: 'missing_required_header' });
    expect(r.idCard).toMatchObject({ type: 'system', authLevel: 3, signatureVerified: true });
  });

  it('reports a tampered card as a failed signature yet still shows its (unverified) content and other problems', async () => {
    const tampered = card().replace('>EPJ<', '>Other<');
    const r = await inspectDgwsRequest(env(tampered, { medcom: { securityLevel: 4 } }), opts, 'xds-write');
    expect(r.verdict).toBe('invalid_signature');
    expect(r.checks.find((c) => c.name === 'signature')).toMatchObject({ status: 'fail', faultCode: 'invalid_signature' });
    expect(r.checks.find((c) => c.name === 'ID card content (unverified)')?.status).toBe('warn');
    expect(r.checks.find((c) => c.name === 'medcom:SecurityLevel')).toMatchObject({ status: 'fail', faultCode: 'security_level_failed' });
    expect(r.idCard?.signatureVerified).toBe(false);
  });

  it('reports an expired card and a missing medcom:Header together', async () => {
    const old = card({ now: new Date(Date.now() - 3 * 86400_000) });
    const xml = env(old).replace(/<medcom:Header[\s\S]*<\/medcom:Header>/, '');
    const r = await inspectDgwsRequest(xml, opts, 'xds-write');
    expect(r.verdict).toBe('missing_required_header');
    expect(r.checks.find((c) => c.name === 'validity')).toMatchObject({ status: 'fail', faultCode: 'expired_idcard' });
    expect(r.checks.find((c) => c.name === 'medcom:Header')).toMatchObject({ status: 'fail', faultCode: 'missing_required_header' });
  });

  it('gives the verdict for an OIO IDWS request', async () => {
    const { buildIdwsEnvelope, issueIdwsToken } = await import('../../../src/services/sts/idws-issuer.js');
    const token = issueIdwsToken(ca, { audience: 'https://audience.nspop.dk/dds', holderOfKeyCertPem: ca.client.certPem, cpr: '0101011234' });
    const xml = buildIdwsEnvelope({ tokenXml: token, action: 'urn:a', bodyXml: '<x xmlns="urn:x"/>', holderOfKey: ca.client });
    expect((await inspectDgwsRequest(xml, opts, 'xds-read')).verdict).toBe('accepted');
    const bad = await inspectDgwsRequest(xml.replace('<x xmlns="urn:x"/>', '<y xmlns="urn:x"/>'), opts, 'xds-read');
    expect(bad.verdict).toBe('invalid_signature');
    expect(bad.checks.find((c) => c.name === 'OIO IDWS')).toMatchObject({ status: 'fail', faultCode: 'invalid_signature' });
  });

  it('reports malformed XML as a syntax_error', async () => {
    const r = await inspectDgwsRequest('<soap:Envelope', opts);
    expect(r.verdict).toBe('syntax_error');
  });

  it('serves the report as SOAP and as JSON', async () => {
    const app = express();
    app.use(createNtsRouter(opts));
    const soap = await request(app).post('/nts/services/NtsService?policy=xds-write').set('Content-Type', 'text/xml').send(env(card()));
    expect(soap.status).toBe(200);
    expect(soap.text).toMatch(/<nts:ValidationReport[^>]*verdict="accepted"/);
    expect(soap.text).toMatch(/<nts:Check name="signature" status="pass"/);
    const json = await request(app).post('/nts').set('Content-Type', 'text/xml').set('Accept', 'application/json').send(env(card()));
    expect(json.body.verdict).toBe('missing_required_header'); // default policy xds-read wants HSUID with a system card
    const unknown = await request(app).post('/nts?policy=nope').set('Content-Type', 'text/xml').send(env(card()));
    expect(unknown.status).toBe(400);
  });
});
