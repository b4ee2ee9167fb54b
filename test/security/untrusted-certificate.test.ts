import { beforeAll, describe, expect, it } from 'vitest';
import { createCertificate, type KeyAndCert, type TestCa } from '../../src/services/sts/test-ca.js';
import { buildUnsignedIdCard, signAssertion } from '../../src/services/sts/id-card-issuer.js';
import { USER, dgwsXml, expectAccepted, expectFault, makeCa, makeStack, request, userCard } from './support.js';

describe('self-signed or untrusted certificate', () => {
  let ca: TestCa;
  let selfSigned: KeyAndCert;
  beforeAll(() => {
    ca = makeCa();
    selfSigned = createCertificate({ commonName: 'XDS-HUB-TEST-STS signing', keyBits: 1024 });
  });
  const unsigned = (): string => buildUnsignedIdCard({ ...USER, issuer: ca.issuer });

  it('accepts a card signed by the trusted STS certificate', async () => {
    await expectAccepted(makeStack(ca).authenticate(request(dgwsXml(userCard(ca))), 'xds-read'));
  });

  it('rejects a card signed with a self-signed certificate in KeyInfo', async () => {
    const card = signAssertion(unsigned(), selfSigned);
    const fault = await expectFault(makeStack(ca).authenticate(request(dgwsXml(card)), 'xds-read'), 'invalid_certificate');
    expect(fault.message).toMatch(/not a trusted STS certificate/);
  });

  it('rejects a card signed by a certificate the test CA issued to a client (not the STS)', async () => {
    const card = signAssertion(unsigned(), ca.client);
    await expectFault(makeStack(ca).authenticate(request(dgwsXml(card)), 'xds-read'), 'invalid_certificate');
  });

  it('rejects an untrusted key that presents the trusted certificate in KeyInfo', async () => {
    const card = signAssertion(unsigned(), { keyPem: selfSigned.keyPem, certPem: ca.sts.certPem });
    await expectFault(makeStack(ca).authenticate(request(dgwsXml(card)), 'xds-read'), 'invalid_signature');
  });

  it('rejects an untrusted key with no certificate in KeyInfo', async () => {
    const card = signAssertion(unsigned(), selfSigned).replace(/<ds:KeyInfo><ds:X509Data>[\s\S]*?<\/ds:KeyInfo>/, '');
    await expectFault(makeStack(ca).authenticate(request(dgwsXml(card)), 'xds-read'), 'invalid_signature');
  });

  it('rejects a card when the trusted STS certificate itself has expired', async () => {
    const expired = createCertificate({
      commonName: 'old STS',
      keyBits: 1024,
      notBefore: new Date(Date.now() - 10 * 86400_000),
      notAfter: new Date(Date.now() - 86400_000),
    });
    const card = signAssertion(unsigned(), expired);
    const stack = makeStack(ca, { trustedCertificatesPem: [expired.certPem] });
    const fault = await expectFault(stack.authenticate(request(dgwsXml(card)), 'xds-read'), 'invalid_certificate');
    expect(fault.message).toMatch(/not valid at/);
  });
});
