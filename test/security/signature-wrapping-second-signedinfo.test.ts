import { beforeAll, describe, it } from 'vitest';
import type { TestCa } from '../../src/services/sts/test-ca.js';
import { dgwsXml, expectAccepted, expectFault, makeCa, makeStack, request, userCard } from './support.js';

// A second SignedInfo (or a second Signature) lets verifier and application disagree on which
// references count; XML-DSig allows one SignedInfo per Signature and DGWS one Signature per card.
describe('signature wrapping: second SignedInfo / second Signature', () => {
  let ca: TestCa;
  beforeAll(() => {
    ca = makeCa();
  });

  it('accepts the card with one SignedInfo', async () => {
    await expectAccepted(makeStack(ca).authenticate(request(dgwsXml(userCard(ca))), 'xds-read'));
  });

  it('rejects a Signature with a second SignedInfo', async () => {
    const card = userCard(ca);
    const si = /<ds:SignedInfo>[\s\S]*<\/ds:SignedInfo>/.exec(card)![0];
    const evilSi = si.replace('URI="#IDCard"', 'URI="#Evil"');
    const attacked = card.replace(si, si + evilSi);
    await expectFault(makeStack(ca).authenticate(request(dgwsXml(attacked)), 'xds-read'), 'invalid_signature');
  });

  it('rejects a second SignedInfo placed before the genuine one', async () => {
    const card = userCard(ca);
    const si = /<ds:SignedInfo>[\s\S]*<\/ds:SignedInfo>/.exec(card)![0];
    const attacked = card.replace(si, si.replace('URI="#IDCard"', 'URI="#Evil"') + si);
    await expectFault(makeStack(ca).authenticate(request(dgwsXml(attacked)), 'xds-read'), 'invalid_signature');
  });

  it('rejects a card with two Signature elements', async () => {
    const card = userCard(ca);
    const sig = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(card)![0];
    const attacked = card.replace(sig, sig + sig.replace('id="OCESSignature"', 'id="Second"'));
    await expectFault(makeStack(ca).authenticate(request(dgwsXml(attacked)), 'xds-read'), 'invalid_signature');
  });
});
