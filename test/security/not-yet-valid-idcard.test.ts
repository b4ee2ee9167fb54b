import { beforeAll, describe, expect, it } from 'vitest';
import type { TestCa } from '../../src/services/sts/test-ca.js';
import { NOW, dgwsXml, expectAccepted, expectFault, makeCa, makeStack, request, userCard } from './support.js';

const min = (n: number): Date => new Date(NOW.getTime() + n * 60_000);

// trifork/dgws answers a card that is "not yet" valid with expired_idcard as well (dk-nsp.md §1.5).
describe('ID card not yet valid (clock skew 300 s)', () => {
  let ca: TestCa;
  beforeAll(() => {
    ca = makeCa();
  });

  it('accepts a card valid from 2 minutes ahead (within the skew)', async () => {
    const card = userCard(ca, { notBefore: min(2), notOnOrAfter: min(60) });
    await expectAccepted(makeStack(ca).authenticate(request(dgwsXml(card)), 'xds-read'));
  });

  it('rejects a card valid only from 10 minutes ahead', async () => {
    const card = userCard(ca, { notBefore: min(10), notOnOrAfter: min(60) });
    const fault = await expectFault(makeStack(ca).authenticate(request(dgwsXml(card)), 'xds-read'), 'expired_idcard');
    expect(fault.message).toMatch(/not valid before/);
  });

  it('honours a configured skew of 0', async () => {
    const card = userCard(ca, { notBefore: min(2), notOnOrAfter: min(60) });
    await expectFault(makeStack(ca, { clockSkewSeconds: 0 }).authenticate(request(dgwsXml(card)), 'xds-read'), 'expired_idcard');
  });
});
