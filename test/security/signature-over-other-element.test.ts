import { beforeAll, describe, expect, it } from 'vitest';
import { SignedXml } from 'xml-crypto';
import type { TestCa } from '../../src/services/sts/test-ca.js';
import { buildUnsignedIdCard } from '../../src/services/sts/id-card-issuer.js';
import { ALG } from '../../src/security/namespaces.js';
import { USER, dgwsXml, expectAccepted, expectFault, makeCa, makeStack, request, userCard } from './support.js';

// A genuine STS signature that covers only part of the card (here the IDCardData statement): the
// UserLog attributes would be unsigned. The reference must be the assertion itself.
describe('signature over another element', () => {
  let ca: TestCa;
  beforeAll(() => {
    ca = makeCa();
  });

  it('accepts a signature over #IDCard', async () => {
    await expectAccepted(makeStack(ca).authenticate(request(dgwsXml(userCard(ca))), 'xds-read'));
  });

  it('rejects a trusted signature whose reference is #IDCardData', async () => {
    const sx = new SignedXml({ privateKey: ca.sts.keyPem, publicCert: ca.sts.certPem, signatureAlgorithm: ALG.rsaSha1, canonicalizationAlgorithm: ALG.excC14n });
    sx.addReference({ xpath: "//*[@id='IDCardData']", transforms: [ALG.excC14n], digestAlgorithm: ALG.sha1 });
    sx.computeSignature(buildUnsignedIdCard({ ...USER, issuer: ca.issuer }), { prefix: 'ds', location: { reference: '/*', action: 'append' } });
    const card = sx.getSignedXml();
    expect(card).toContain('URI="#IDCardData"');
    const fault = await expectFault(makeStack(ca).authenticate(request(dgwsXml(card)), 'xds-read'), 'invalid_signature');
    expect(fault.message).toMatch(/#IDCardData/);
  });
});
