import { beforeAll, describe, expect, it } from 'vitest';
import type { TestCa } from '../../src/services/sts/test-ca.js';
import { dgwsXml, expectAccepted, expectFault, makeCa, makeStack, request, systemCard, userCard } from './support.js';

describe('ID card changed after signing', () => {
  let ca: TestCa;
  beforeAll(() => {
    ca = makeCa();
  });

  it('accepts the card as issued', async () => {
    await expectAccepted(makeStack(ca).authenticate(request(dgwsXml(systemCard(ca), { medcom: { securityLevel: 3 } })), 'xds-write'));
  });

  it('rejects a raised AuthenticationLevel', async () => {
    const card = systemCard(ca).replace('<saml:AttributeValue>3</saml:AttributeValue>', '<saml:AttributeValue>2</saml:AttributeValue>');
    await expectFault(makeStack(ca).authenticate(request(dgwsXml(card, { medcom: { securityLevel: 2 } })), 'xds-write'), 'invalid_signature');
  });

  it('rejects a changed CPR number', async () => {
    const card = userCard(ca).replace(/0101011234/g, '0202025678');
    await expectFault(makeStack(ca).authenticate(request(dgwsXml(card)), 'xds-read'), 'invalid_signature');
  });

  it('rejects a changed SignatureValue', async () => {
    const card = userCard(ca).replace(/<ds:SignatureValue>(.)/, (_m, c: string) => `<ds:SignatureValue>${c === 'A' ? 'B' : 'A'}`);
    await expectFault(makeStack(ca).authenticate(request(dgwsXml(card)), 'xds-read'), 'invalid_signature');
  });

  it('does not let a cached card vouch for altered content with the same SignatureValue', async () => {
    const stack = makeStack(ca);
    const card = userCard(ca);
    await expectAccepted(stack.authenticate(request(dgwsXml(card)), 'xds-read'));
    expect(stack.stats().cachedCards).toBe(1);
    const altered = card.replace('>Karen<', '>Mallory<');
    await expectFault(stack.authenticate(request(dgwsXml(altered)), 'xds-read'), 'invalid_signature');
  });
});
