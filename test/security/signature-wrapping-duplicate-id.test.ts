import { beforeAll, describe, expect, it } from 'vitest';
import type { TestCa } from '../../src/services/sts/test-ca.js';
import { BODY, dgwsXml, expectAccepted, expectFault, makeCa, makeStack, request, userCard } from './support.js';

// XML signature wrapping (McIntosh & Austel 2005): a second element with the signed ID lets a verifier
// digest one element while the application reads another. The stack refuses any duplicate ID.
describe('signature wrapping: duplicate IDs', () => {
  let ca: TestCa;
  beforeAll(() => {
    ca = makeCa();
  });

  it('accepts the valid card', async () => {
    const ctx = await expectAccepted(makeStack(ca).authenticate(request(dgwsXml(userCard(ca))), 'xds-read'));
    expect(ctx.subjectCpr).toBe('0101011234');
  });

  it('rejects a second header element carrying id="IDCard"', async () => {
    const xml = dgwsXml(userCard(ca), { extraHeadersXml: ['<x:Evil xmlns:x="urn:evil" id="IDCard">x</x:Evil>'] });
    await expectFault(makeStack(ca).authenticate(request(xml), 'xds-read'), 'invalid_signature');
  });

  it('rejects a Body element carrying the card ID', async () => {
    const xml = dgwsXml(userCard(ca), { bodyXml: BODY.replace('<query:ResponseOption', '<query:ResponseOption ID="IDCard"') });
    await expectFault(makeStack(ca).authenticate(request(xml), 'xds-read'), 'invalid_signature');
  });

  it('rejects a forged card with the same ID while the signed original hides in another header', async () => {
    const original = userCard(ca);
    const forged = original.replace(/0101011234/g, '0202025678');
    const xml = dgwsXml(forged, { extraHeadersXml: [`<x:Wrapper xmlns:x="urn:evil">${original}</x:Wrapper>`] });
    await expectFault(makeStack(ca).authenticate(request(xml), 'xds-read'), 'invalid_signature');
  });
});
