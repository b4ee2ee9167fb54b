import { beforeAll, describe, it } from 'vitest';
import type { TestCa } from '../../src/services/sts/test-ca.js';
import { dgwsXml, expectAccepted, expectFault, makeCa, makeStack, request, userCard } from './support.js';

// Two assertions in one wsse:Security: which one is "the" card is ambiguous, so neither is used.
describe('signature wrapping: duplicated assertion', () => {
  let ca: TestCa;
  beforeAll(() => {
    ca = makeCa();
  });

  it('accepts a single card', async () => {
    await expectAccepted(makeStack(ca).authenticate(request(dgwsXml(userCard(ca))), 'xds-read'));
  });

  it('rejects a valid card followed by a second, forged one', async () => {
    const card = userCard(ca);
    const forged = card.replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '').replace('id="IDCard"', 'id="IDCard2"').replace(/0101011234/g, '0202025678');
    await expectFault(makeStack(ca).authenticate(request(dgwsXml(card + forged)), 'xds-read'), 'invalid_signature');
  });

  it('rejects two wsse:Security headers', async () => {
    const card = userCard(ca);
    const second = `<wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd" />`;
    await expectFault(makeStack(ca).authenticate(request(dgwsXml(card, { extraHeadersXml: [second] })), 'xds-read'), 'invalid_signature');
  });
});
