import { beforeAll, describe, expect, it } from 'vitest';
import { parseXml } from '../../../src/xml/parse.js';
import { readEnvelope } from '../../../src/soap/envelope.js';
import type { SoapRequest } from '../../../src/soap/types.js';
import { createTestCa, type TestCa } from '../../../src/services/sts/test-ca.js';
import { issueIdCard } from '../../../src/services/sts/id-card-issuer.js';
import { buildDgwsEnvelope } from '../../../src/services/sts/dgws-envelope.js';
import { buildIdwsEnvelope, issueIdwsToken } from '../../../src/services/sts/idws-issuer.js';
import { createSecurityStack, defaultPolicies } from '../../../src/security/index.js';

/** The SoapRequest exactly as the hub's SOAP layer builds it (libxml2 tree + raw bytes). */
function hubRequest(xml: string): SoapRequest {
  const raw = Buffer.from(xml);
  return readEnvelope(parseXml(raw), { rawEnvelope: raw, path: '/xds/registry', httpAction: 'urn:ihe:iti:2007:RegistryStoredQuery' });
}

describe('security stack on SoapRequests built by the SOAP layer (libxml2)', () => {
  let ca: TestCa;
  beforeAll(() => {
    ca = createTestCa(undefined, 1024);
  });
  const stack = () => createSecurityStack({ trustedCertificatesPem: [ca.sts.certPem], clockSkewSeconds: 300, policies: defaultPolicies(), insecureDevelopment: false });
  const spec = { type: 'user' as const, cpr: '0101011234', role: 'Læge', systemName: 'EPJ', careProvider: { type: 'cvrnumber' as const, id: '12345678', name: 'Region' } };
  const body = '<query:AdhocQueryRequest xmlns:query="urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0"/>';

  it('accepts DGWS in SOAP 1.1 and 1.2 and serves repeats of the card from the cache', async () => {
    const s = stack();
    const card = issueIdCard(ca, spec);
    for (const soapVersion of ['1.1', '1.2'] as const) {
      const xml = buildDgwsEnvelope({ soapVersion, idCardXml: card, medcom: { securityLevel: 4 }, bodyXml: body, action: 'urn:ihe:iti:2007:RegistryStoredQuery' });
      await expect(s.authenticate(hubRequest(xml), 'xds-write')).resolves.toMatchObject({ tokenType: 'dgws-user', subjectCpr: '0101011234' });
    }
    expect(s.stats()).toMatchObject({ verifications: 1, cacheHits: 1 });
  });

  it('rejects a duplicate-ID wrapping attempt', async () => {
    const card = issueIdCard(ca, spec);
    const wrapped = buildDgwsEnvelope({ idCardXml: card.replace(/0101011234/g, '0202025678'), medcom: { securityLevel: 4 }, bodyXml: body, extraHeadersXml: [`<x:W xmlns:x="urn:x">${card}</x:W>`] });
    await expect(stack().authenticate(hubRequest(wrapped), 'xds-write')).rejects.toMatchObject({ detailXml: expect.stringContaining('invalid_signature') });
  });

  it('accepts an OIO IDWS request and rejects it once the Body changes', async () => {
    const token = issueIdwsToken(ca, { audience: 'https://audience.nspop.dk/dds', holderOfKeyCertPem: ca.client.certPem, cpr: '0101011234' });
    const xml = buildIdwsEnvelope({ tokenXml: token, action: 'urn:ihe:iti:2007:RegistryStoredQuery', bodyXml: body, holderOfKey: ca.client });
    await expect(stack().authenticate(hubRequest(xml), 'xds-read')).resolves.toMatchObject({ tokenType: 'idws', subjectCpr: '0101011234' });
    const tampered = xml.replace('<query:AdhocQueryRequest xmlns:query="urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0"/>', '<query:AdhocQueryRequest xmlns:query="urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0" id="x"/>');
    expect(tampered).not.toBe(xml);
    await expect(stack().authenticate(hubRequest(tampered), 'xds-read')).rejects.toMatchObject({ detailXml: expect.stringContaining('invalid_signature') });
  });
});
