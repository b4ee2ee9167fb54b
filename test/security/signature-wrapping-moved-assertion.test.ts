import { beforeAll, describe, expect, it } from 'vitest';
import type { TestCa } from '../../src/services/sts/test-ca.js';
import { BODY, dgwsXml, expectAccepted, expectFault, makeCa, makeStack, request, userCard } from './support.js';

// The signed card is moved away from wsse:Security and an unsigned or re-labelled card takes its place.
describe('signature wrapping: moved assertion', () => {
  let ca: TestCa;
  beforeAll(() => {
    ca = makeCa();
  });

  it('accepts the card where it belongs', async () => {
    await expectAccepted(makeStack(ca).authenticate(request(dgwsXml(userCard(ca))), 'xds-read'));
  });

  it('rejects a forged card (new ID) carrying the original signature, original moved to another header', async () => {
    const original = userCard(ca);
    const sig = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(original)![0];
    const forged = original.replace(sig, '').replace('id="IDCard"', 'id="Forged"').replace(/0101011234/g, '0202025678').replace('</saml:Assertion>', `${sig}</saml:Assertion>`);
    const xml = dgwsXml(forged, { extraHeadersXml: [`<x:Wrapper xmlns:x="urn:evil">${original}</x:Wrapper>`] });
    const fault = await expectFault(makeStack(ca).authenticate(request(xml), 'xds-read'), 'invalid_signature');
    expect(fault.message).toMatch(/covers "#IDCard"/);
  });

  it('rejects an unsigned card in wsse:Security with the signed one moved into the Body', async () => {
    const original = userCard(ca);
    const unsigned = original.replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '').replace('id="IDCard"', 'id="Other"');
    const xml = dgwsXml(unsigned, { bodyXml: BODY.replace('</query:AdhocQueryRequest>', `${original}</query:AdhocQueryRequest>`) });
    await expectFault(makeStack(ca).authenticate(request(xml), 'xds-read'), 'invalid_signature');
  });

  it('rejects a forged card that nests the signed original inside itself', async () => {
    const original = userCard(ca);
    const sig = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(original)![0];
    const forged = original
      .replace(sig, '')
      .replace('id="IDCard"', 'id="Forged"')
      .replace(/0101011234/g, '0202025678')
      .replace('</saml:Assertion>', `<saml:Advice>${original}</saml:Advice>${sig}</saml:Assertion>`);
    await expectFault(makeStack(ca).authenticate(request(dgwsXml(forged)), 'xds-read'), 'invalid_signature');
  });
});
