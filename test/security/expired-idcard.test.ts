import { beforeAll, describe, expect, it } from 'vitest';
import type { TestCa } from '../../src/services/sts/test-ca.js';
import { NOW, dgwsXml, expectAccepted, expectFault, makeCa, makeStack, request, userCard } from './support.js';

const min = (n: number): Date => new Date(NOW.getTime() + n * 60_000);

describe('expired ID card (clock skew 300 s)', () => {
  let ca: TestCa;
  beforeAll(() => {
    ca = makeCa();
  });

  it('accepts a card that expired 2 minutes ago (within the skew)', async () => {
    const card = userCard(ca, { notBefore: min(-60), notOnOrAfter: min(-2) });
    await expectAccepted(makeStack(ca).authenticate(request(dgwsXml(card)), 'xds-read'));
  });

  it('rejects a card that expired 10 minutes ago', async () => {
    const card = userCard(ca, { notBefore: min(-60), notOnOrAfter: min(-10) });
    const fault = await expectFault(makeStack(ca).authenticate(request(dgwsXml(card)), 'xds-read'), 'expired_idcard');
    expect(fault.message).toMatch(/expired/);
  });

  it('rejects a cached card once it has expired', async () => {
    let now = NOW;
    const stack = makeStack(ca, { now: () => now });
    const card = userCard(ca, { notBefore: min(-60), notOnOrAfter: min(1) });
    await expectAccepted(stack.authenticate(request(dgwsXml(card)), 'xds-read'));
    now = min(30);
    await expectFault(stack.authenticate(request(dgwsXml(card)), 'xds-read'), 'expired_idcard');
  });
});
