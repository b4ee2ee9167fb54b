import { beforeAll, describe, expect, it } from 'vitest';
import type { TestCa } from '../../src/services/sts/test-ca.js';
import { createCertificate } from '../../src/services/sts/test-ca.js';
import { buildIdwsEnvelope, issueIdwsToken, type IdwsTokenSpec } from '../../src/services/sts/idws-issuer.js';
import { BODY, expectAccepted, expectFault, makeCa, makeStack, request } from './support.js';

const DDS = 'https://audience.nspop.dk/dds';
const ACTION = 'urn:ihe:iti:2007:RegistryStoredQuery';

// OIO IDWS: the holder-of-key signs Body, Timestamp, MessageID and Action (dk-nsp.md §1.8).
describe('OIO IDWS: tampered Body and other message-signature attacks', () => {
  let ca: TestCa;
  let spec: IdwsTokenSpec;
  beforeAll(() => {
    ca = makeCa();
    spec = { audience: DDS, holderOfKeyCertPem: ca.client.certPem, cpr: '0101011234', name: 'Karen Jensen', cvr: '12345678', systemName: 'EPJ Test', authorizationCode: 'NS363' };
  });
  const envelope = (over: Partial<Parameters<typeof buildIdwsEnvelope>[0]> = {}): string =>
    buildIdwsEnvelope({ tokenXml: issueIdwsToken(ca, spec), action: ACTION, bodyXml: BODY, holderOfKey: ca.client, ...over });

  it('accepts the signed request (SOAP 1.2 and 1.1) and maps the token', async () => {
    const ctx = await expectAccepted(makeStack(ca).authenticate(request(envelope()), 'xds-read'));
    expect(ctx).toMatchObject({ tokenType: 'idws', authLevel: 4, subjectCpr: '0101011234', careProvider: { type: 'cvrnumber', id: '12345678' }, audience: DDS });
    await expectAccepted(makeStack(ca).authenticate(request(envelope({ soapVersion: '1.1' })), 'xds-read'));
  });

  it('rejects a Body changed after signing', async () => {
    const xml = envelope().replace('returnType="LeafClass"', 'returnType="ObjectRef"');
    await expectFault(makeStack(ca).authenticate(request(xml), 'xds-read'), 'invalid_signature');
  });

  it('rejects a message signature that does not cover the Body', async () => {
    const xml = envelope({ signedParts: ['sbf', 'action', 'messageID', 'ts'] });
    const fault = await expectFault(makeStack(ca).authenticate(request(xml), 'xds-read'), 'invalid_signature');
    expect(fault.message).toMatch(/does not cover soap:Body/);
  });

  it('rejects a second Body element id-wrapped next to the signed one', async () => {
    const xml = envelope().replace('</soap:Header>', '<x:Evil xmlns:x="urn:evil" wsu:Id="body"/></soap:Header>');
    await expectFault(makeStack(ca).authenticate(request(xml), 'xds-read'), 'invalid_signature');
  });

  it('rejects a changed wsa:Action', async () => {
    const xml = envelope().replace(ACTION, 'urn:ihe:iti:2007:RegisterDocumentSet-b');
    await expectFault(makeStack(ca).authenticate(request(xml), 'xds-read'), 'invalid_signature');
  });

  it('rejects a message signed by a key other than the holder-of-key', async () => {
    const other = createCertificate({ commonName: 'someone else', keyBits: 1024 });
    await expectFault(makeStack(ca).authenticate(request(envelope({ holderOfKey: other })), 'xds-read'), 'invalid_signature');
  });

  it('rejects a token issued for another audience', async () => {
    const xml = buildIdwsEnvelope({ tokenXml: issueIdwsToken(ca, { ...spec, audience: 'https://audience.nspop.dk/minlog' }), action: ACTION, bodyXml: BODY, holderOfKey: ca.client });
    await expectFault(makeStack(ca).authenticate(request(xml), 'xds-read'), 'invalid_idcard');
    // and the same token is fine for the service that names that audience
    await expectAccepted(makeStack(ca).authenticate(request(xml), 'xds-read', 'https://audience.nspop.dk/minlog'));
  });

  it('rejects a token from an untrusted STS', async () => {
    const other = makeCa();
    const xml = buildIdwsEnvelope({ tokenXml: issueIdwsToken(other, spec), action: ACTION, bodyXml: BODY, holderOfKey: ca.client });
    await expectFault(makeStack(ca).authenticate(request(xml), 'xds-read'), 'invalid_certificate');
  });

  it('rejects a replayed wsa:MessageID', async () => {
    const stack = makeStack(ca);
    const xml = envelope();
    await expectAccepted(stack.authenticate(request(xml), 'xds-read'));
    await expectFault(stack.authenticate(request(xml), 'xds-read'), 'not_authorized');
  });

  it('rejects an expired message timestamp', async () => {
    const xml = envelope({ created: new Date(Date.now() - 3600_000), expiresInSeconds: 300 });
    await expectFault(makeStack(ca).authenticate(request(xml), 'xds-read'), 'expired_idcard');
  });
});
