import { beforeAll, describe, expect, it } from 'vitest';
import type { TestCa } from '../../src/services/sts/test-ca.js';
import { dgwsXml, expectAccepted, expectFault, makeCa, makeStack, request, userCard } from './support.js';

// Comment injection (CVE-2017-11427 family): c14n drops comments, so a comment inside a signed text
// value keeps the signature valid while a naive reader sees only the first text node.
describe('comment injection in NameID', () => {
  let ca: TestCa;
  beforeAll(() => {
    ca = makeCa();
  });

  it('accepts the card without comments and reads the full NameID', async () => {
    const ctx = await expectAccepted(makeStack(ca).authenticate(request(dgwsXml(userCard(ca))), 'xds-read'));
    expect(ctx.subjectCpr).toBe('0101011234');
  });

  it('rejects the card with a comment injected into the NameID', async () => {
    const card = userCard(ca).replace('>0101011234</saml:NameID>', '>01010<!-- injected -->11234</saml:NameID>');
    expect(card).toContain('<!-- injected -->');
    await expectFault(makeStack(ca).authenticate(request(dgwsXml(card)), 'xds-read'), 'invalid_signature');
  });

  it('accepts a comment elsewhere in the envelope (outside the card)', async () => {
    const xml = dgwsXml(userCard(ca)).replace('<soap:Body>', '<!-- a harmless comment --><soap:Body>');
    await expectAccepted(makeStack(ca).authenticate(request(xml), 'xds-read'));
  });
});
