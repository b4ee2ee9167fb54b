import { beforeAll, describe, expect, it } from 'vitest';
import type { TestCa } from '../../src/services/sts/test-ca.js';
import { NOW, dgwsXml, expectAccepted, expectFault, makeCa, makeStack, request, userCard } from './support.js';

describe('replayed medcom MessageID', () => {
  let ca: TestCa;
  beforeAll(() => {
    ca = makeCa();
  });

  it('accepts successive requests with fresh MessageIDs (the card from the cache)', async () => {
    const stack = makeStack(ca);
    const card = userCard(ca);
    await expectAccepted(stack.authenticate(request(dgwsXml(card, { medcom: { securityLevel: 4, messageId: 'a' } })), 'xds-read'));
    await expectAccepted(stack.authenticate(request(dgwsXml(card, { medcom: { securityLevel: 4, messageId: 'b' } })), 'xds-read'));
    expect(stack.stats()).toMatchObject({ verifications: 1, cacheHits: 1 });
  });

  it('rejects the same MessageID within the card validity window', async () => {
    const stack = makeStack(ca);
    const xml = dgwsXml(userCard(ca), { medcom: { securityLevel: 4, messageId: 'same-id' } });
    await expectAccepted(stack.authenticate(request(xml), 'xds-read'));
    const fault = await expectFault(stack.authenticate(request(xml), 'xds-read'), 'not_authorized');
    expect(fault.message).toMatch(/replay/);
  });

  it('does not burn a MessageID on a rejected request', async () => {
    const stack = makeStack(ca);
    const bad = userCard(ca).replace(/0101011234/g, '0202025678');
    await expectFault(stack.authenticate(request(dgwsXml(bad, { medcom: { securityLevel: 4, messageId: 'm1' } })), 'xds-read'), 'invalid_signature');
    await expectAccepted(stack.authenticate(request(dgwsXml(userCard(ca), { medcom: { securityLevel: 4, messageId: 'm1' } })), 'xds-read'));
  });

  it('scopes MessageIDs per card: another client card may use the same MessageID', async () => {
    const stack = makeStack(ca);
    await expectAccepted(stack.authenticate(request(dgwsXml(userCard(ca), { medcom: { securityLevel: 4, messageId: '1' } })), 'xds-read'));
    await expectAccepted(stack.authenticate(request(dgwsXml(userCard(ca, { cpr: '0202025678' }), { medcom: { securityLevel: 4, messageId: '1' } })), 'xds-read'));
  });

  it('keeps refusing the replay until the card itself has expired', async () => {
    let now = NOW;
    const stack = makeStack(ca, { now: () => now });
    const xml = dgwsXml(userCard(ca, { notOnOrAfter: new Date(NOW.getTime() + 3600_000) }), { medcom: { securityLevel: 4, messageId: 'late' } });
    await expectAccepted(stack.authenticate(request(xml), 'xds-read'));
    now = new Date(NOW.getTime() + 3000_000);
    await expectFault(stack.authenticate(request(xml), 'xds-read'), 'not_authorized');
    now = new Date(NOW.getTime() + 2 * 3600_000);
    await expectFault(stack.authenticate(request(xml), 'xds-read'), 'expired_idcard');
  });
});
