import { beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { createTestCa, type TestCa } from '../../../src/services/sts/test-ca.js';
import { issueIdCard, type IdCardSpec } from '../../../src/services/sts/id-card-issuer.js';
import { buildDgwsEnvelope } from '../../../src/services/sts/dgws-envelope.js';
import { createSecurityStack, defaultPolicies } from '../../../src/security/index.js';
import { soapRequestFromXml } from '../../../src/security/soap-request-from-xml.js';
import { envelopeWithoutBody, parseXml } from '../../../src/security/dom.js';
import { SoapFault } from '../../../src/soap/types.js';
import { dkCorpusDir, haveCorpusFile } from '../../support/dk-corpus.js';

const USER: IdCardSpec = {
  type: 'user',
  cpr: '0101011234',
  givenName: 'Karen',
  surName: 'Jensen',
  email: 'kj@example.dk',
  role: 'Læge',
  occupation: 'Overlæge',
  authorizationCode: 'NS363',
  systemName: 'EPJ Test',
  careProvider: { type: 'skscode', id: '1301011', name: 'Rigshospitalet' },
};
const BODY = '<x:Q xmlns:x="urn:x"/>';

describe('DGWS ID card → SecurityContext', () => {
  let ca: TestCa;
  beforeAll(() => {
    ca = createTestCa(undefined, 1024);
  });
  const stack = (over: object = {}) =>
    createSecurityStack({ trustedCertificatesPem: [ca.sts.certPem], clockSkewSeconds: 300, policies: defaultPolicies(), insecureDevelopment: false, ...over });

  for (const soapVersion of ['1.1', '1.2'] as const) {
    it(`maps a user card, medcom:Header and HSUID (2016/08) in SOAP ${soapVersion}`, async () => {
      const xml = buildDgwsEnvelope({
        soapVersion,
        idCardXml: issueIdCard(ca, USER),
        medcom: { securityLevel: 4, messageId: 'msg-1', flowId: 'flow-1' },
        hsuid: {
          userType: 'nsi:HealthcareProfessional',
          actingUserCpr: '0101011234',
          responsibleUserCpr: '0101011234',
          responsibleUserAuthorizationCode: 'NS363',
          citizenCpr: '2512489996',
          orgUsingId: { id: '265161000016000', format: 'nsi:sor' },
          consentOverride: true,
          systemName: 'EPJ Test',
          systemVersion: '2.1',
          systemOwnerName: 'Vendor A/S',
          orgResponsibleName: 'Region H',
        },
        bodyXml: BODY,
        action: soapVersion === '1.2' ? 'urn:ihe:iti:2007:RegistryStoredQuery' : undefined,
      });
      const ctx = await stack().authenticate(soapRequestFromXml(xml), 'xds-read');
      expect(ctx).toMatchObject({
        tokenType: 'dgws-user',
        authLevel: 4,
        issuer: ca.issuer,
        subjectCpr: '0101011234',
        subjectName: 'Karen Jensen',
        careProvider: { type: 'skscode', id: '1301011', name: 'Rigshospitalet' },
        role: 'Læge',
        authorizationCode: 'NS363',
        systemName: 'EPJ Test',
        medcom: { messageId: 'msg-1', flowId: 'flow-1', securityLevel: 4 },
        policyId: 'xds-read',
        hsuid: {
          userType: 'HEALTHCAREPROFESSIONAL',
          actingUserCpr: '0101011234',
          responsibleUserCpr: '0101011234',
          responsibleUserAuthorizationCode: 'NS363',
          citizenCivilRegistrationNumber: '2512489996',
          orgUsingId: { type: 'sor', id: '265161000016000' },
          consentOverride: true,
          systemName: 'EPJ Test',
          systemVersion: '2.1',
          systemOwnerName: 'Vendor A/S',
          orgResponsibleName: 'Region H',
        },
      });
      expect(ctx.validUntil).toBeInstanceOf(Date);
      expect(ctx.tokenId).toBeTruthy();
    });
  }

  it('maps a system card with the older 2013/01 HSUID namespace', async () => {
    const xml = buildDgwsEnvelope({
      idCardXml: issueIdCard(ca, { type: 'system', systemName: 'KIH', careProvider: { type: 'cvrnumber', id: '33257872', name: 'KIH' } }),
      medcom: { securityLevel: 3 },
      hsuid: { userType: 'nsi:Citizen', actingUserCpr: '2512489996', citizenCpr: '2512489996', namespaceVersion: '2013' },
      bodyXml: BODY,
    });
    const ctx = await stack().authenticate(soapRequestFromXml(xml), 'xds-read');
    expect(ctx).toMatchObject({ tokenType: 'dgws-system', authLevel: 3, subjectName: 'KIH', systemName: 'KIH', hsuid: { userType: 'CITIZEN', citizenCivilRegistrationNumber: '2512489996' } });
    expect(ctx.subjectCpr).toBeUndefined();
  });

  it('verifies rsa-sha256 cards', async () => {
    const xml = buildDgwsEnvelope({ idCardXml: issueIdCard(ca, { ...USER, signatureAlgorithm: 'rsa-sha256' }), medcom: { securityLevel: 4 }, bodyXml: BODY });
    expect(xml).toContain('xmldsig-more#rsa-sha256');
    await expect(stack().authenticate(soapRequestFromXml(xml), 'xds-write')).resolves.toMatchObject({ tokenType: 'dgws-user' });
  });

  it('answers syntax_error for a malformed HSUID value and processing_problem for an unknown policy', async () => {
    const xml = buildDgwsEnvelope({ idCardXml: issueIdCard(ca, USER), medcom: { securityLevel: 4 }, hsuid: { userType: 'nsi:HealthcareProfessional', citizenCpr: '123' }, bodyXml: BODY });
    const code = async (p: Promise<unknown>): Promise<string | undefined> =>
      p.then(() => 'accepted', (e: SoapFault) => /FaultCode[^>]*>([^<]+)</.exec(e.detailXml ?? '')?.[1]);
    expect(await code(stack().authenticate(soapRequestFromXml(xml), 'xds-read'))).toBe('syntax_error');
    const ok = buildDgwsEnvelope({ idCardXml: issueIdCard(ca, USER), medcom: { securityLevel: 4 }, bodyXml: BODY });
    expect(await code(stack().authenticate(soapRequestFromXml(ok), 'no-such-policy'))).toBe('processing_problem');
  });

  it('refuses an HSUID acting user that differs from the user card', async () => {
    const xml = buildDgwsEnvelope({ idCardXml: issueIdCard(ca, USER), medcom: { securityLevel: 4 }, hsuid: { userType: 'nsi:HealthcareProfessional', actingUserCpr: '0202025678' }, bodyXml: BODY });
    await expect(stack().authenticate(soapRequestFromXml(xml), 'xds-read')).rejects.toMatchObject({ detailXml: expect.stringContaining('not_authorized') });
  });

  it('answers invalid_idcard for a card without required attributes, and for version 1.0 unless configured', async () => {
    const noLevel = issueIdCard(ca, { ...USER, version: '1.0' });
    const xml = buildDgwsEnvelope({ idCardXml: noLevel, medcom: { securityLevel: 4 }, bodyXml: BODY });
    await expect(stack().authenticate(soapRequestFromXml(xml), 'xds-write')).rejects.toMatchObject({ detailXml: expect.stringContaining('invalid_idcard') });
    await expect(stack({ acceptedIdCardVersions: ['1.0', '1.0.1'] }).authenticate(soapRequestFromXml(xml), 'xds-write')).resolves.toMatchObject({ tokenType: 'dgws-user' });
    const badFormat = issueIdCard(ca, { ...USER, careProvider: { type: 'other' as never, id: '1', name: 'x' } });
    await expect(stack().authenticate(soapRequestFromXml(buildDgwsEnvelope({ idCardXml: badFormat, medcom: { securityLevel: 4 }, bodyXml: BODY })), 'xds-write'))
      .rejects.toMatchObject({ detailXml: expect.stringContaining('invalid_idcard') });
  });

  it('builds the medcom:Header reply with InResponseToMessageID and FlowStatus', async () => {
    const s = stack();
    const ctx = await s.authenticate(soapRequestFromXml(buildDgwsEnvelope({ idCardXml: issueIdCard(ca, USER), medcom: { securityLevel: 4, messageId: 'req-9', flowId: 'F' }, bodyXml: BODY })), 'xds-write');
    const [reply] = s.replyHeaders(ctx);
    expect(reply).toMatch(/<medcom:InResponseToMessageID>req-9<\/medcom:InResponseToMessageID>/);
    expect(reply).toMatch(/<medcom:FlowID>F<\/medcom:FlowID>/);
    expect(reply).toMatch(/<medcom:SecurityLevel>4<\/medcom:SecurityLevel>/);
    expect(reply).toMatch(/<medcom:FlowStatus>flow_finalized_succesfully<\/medcom:FlowStatus>/);
    parseXml(reply);
  });
});

describe('envelopeWithoutBody', () => {
  it('keeps the header exactly and empties the Body, skipping look-alikes in comments, CDATA and attributes', () => {
    const xml =
      '<?xml version="1.0"?><s:Envelope xmlns:s="urn:s"><!-- <s:Body> --><s:Header><h a="<s:Body>"><![CDATA[<s:Body>]]></h></s:Header>' +
      '<s:Body wsu:Id="b" xmlns:wsu="urn:u"><big>' + 'x'.repeat(1000) + '</big></s:Body></s:Envelope>';
    const out = envelopeWithoutBody(Buffer.from(xml));
    expect(out).toBe('<?xml version="1.0"?><s:Envelope xmlns:s="urn:s"><!-- <s:Body> --><s:Header><h a="<s:Body>"><![CDATA[<s:Body>]]></h></s:Header><s:Body wsu:Id="b" xmlns:wsu="urn:u"/></s:Envelope>');
    parseXml(out.replace('a="<s:Body>"', 'a="&lt;s:Body>"'));
  });

  it('returns the whole envelope when it finds no Body', () => {
    expect(envelopeWithoutBody(Buffer.from('<a><b/></a>'))).toBe('<a><b/></a>');
  });
});

// A real NSP-era card (trifork/dgws SecurityHeader1.xml, signed by "Danske Regioner - SOSI STS" in 2011):
// the file was pretty-printed after signing, so the inter-element whitespace is removed before checking.
const SAMPLE = path.join(dkCorpusDir(), 'dgws/trifork-dgws/SecurityHeader1.xml');
describe.skipIf(!haveCorpusFile(SAMPLE, 'the real STS-signed ID card test'))('interoperability with a real STS-signed ID card', () => {
  it('verifies the 2011 TESTSTS card with its STS certificate at its time', async () => {
    const sec = fs.readFileSync(SAMPLE, 'utf8').replace(/>\s+</g, '><').replace(/\s+</g, '<');
    const b64 = /<ds:X509Certificate>([^<]+)</.exec(sec)![1].replace(/\s+/g, '');
    const pem = `-----BEGIN CERTIFICATE-----\n${b64.replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;
    const xml =
      '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header>' +
      sec +
      '<medcom:Header xmlns:medcom="http://www.medcom.dk/dgws/2006/04/dgws-1.0.xsd"><medcom:SecurityLevel>4</medcom:SecurityLevel><medcom:Linking><medcom:MessageID>m1</medcom:MessageID></medcom:Linking></medcom:Header>' +
      '</soapenv:Header><soapenv:Body><a/></soapenv:Body></soapenv:Envelope>';
    const s = createSecurityStack({ trustedCertificatesPem: [pem], clockSkewSeconds: 300, policies: defaultPolicies(), insecureDevelopment: false, now: () => new Date('2011-12-13T13:00:00Z') });
    const ctx = await s.authenticate(soapRequestFromXml(xml), 'xds-write');
    expect(ctx).toMatchObject({ tokenType: 'dgws-user', authLevel: 4, issuer: 'TESTSTS', subjectCpr: '1111111118', careProvider: { type: 'cvrnumber', id: '25520041' } });
    // and the same card with one attribute changed no longer verifies
    const forged = xml.replace('>Doctor<', '>Admin<');
    const s2 = createSecurityStack({ trustedCertificatesPem: [pem], clockSkewSeconds: 300, policies: defaultPolicies(), insecureDevelopment: false, now: () => new Date('2011-12-13T13:00:00Z') });
    await expect(s2.authenticate(soapRequestFromXml(forged), 'xds-write')).rejects.toMatchObject({ detailXml: expect.stringContaining('invalid_signature') });
  });
});

describe('XML parsing for signature checks', () => {
  it('refuses a document type declaration (entity expansion, XXE) as syntax_error', () => {
    const xml = '<!DOCTYPE a [<!ENTITY x "yyyy">]><a>&x;</a>';
    expect(() => parseXml(xml)).toThrow(expect.objectContaining({ faultCode: 'syntax_error' }));
    expect(() => parseXml('<a><b></a>')).toThrow(expect.objectContaining({ faultCode: 'syntax_error' }));
  });
});
