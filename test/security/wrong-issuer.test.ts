import { beforeAll, describe, expect, it } from 'vitest';
import type { TestCa } from '../../src/services/sts/test-ca.js';
import { dgwsXml, expectAccepted, expectFault, makeCa, makeStack, request, userCard } from './support.js';

describe('wrong issuer', () => {
  let ca: TestCa;
  let other: TestCa;
  beforeAll(() => {
    ca = makeCa();
    other = makeCa(); // another STS using the same issuer name
  });

  it('accepts a card from the trusted STS naming the trusted issuer', async () => {
    const stack = makeStack(ca, { trustedIssuers: [ca.issuer] });
    const ctx = await expectAccepted(stack.authenticate(request(dgwsXml(userCard(ca))), 'xds-read'));
    expect(ctx.issuer).toBe(ca.issuer);
  });

  it('rejects a card signed with the trusted key but naming another issuer', async () => {
    const stack = makeStack(ca, { trustedIssuers: [ca.issuer] });
    const card = userCard(ca, { issuer: 'SOME-OTHER-STS' });
    const fault = await expectFault(stack.authenticate(request(dgwsXml(card)), 'xds-read'), 'invalid_idcard');
    expect(fault.message).toMatch(/SOME-OTHER-STS/);
  });

  it('rejects a card naming the trusted issuer but signed by another STS', async () => {
    const stack = makeStack(ca, { trustedIssuers: [ca.issuer] });
    await expectFault(stack.authenticate(request(dgwsXml(userCard(other))), 'xds-read'), 'invalid_certificate');
  });
});
