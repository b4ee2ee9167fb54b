import { beforeAll, describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import type { TestCa } from '../../src/services/sts/test-ca.js';
import { certBase64 } from '../../src/services/sts/test-ca.js';
import { dgwsXml, expectAccepted, expectFault, makeCa, makeStack, request, userCard } from './support.js';

// Algorithm confusion: an HMAC "signature" keyed with the (public) STS certificate, or transforms such
// as XPath/XSLT that change what is digested. Only the whitelisted RSA algorithms and exc-c14n pass.
describe('signature algorithm confusion', () => {
  let ca: TestCa;
  beforeAll(() => {
    ca = makeCa();
  });

  it('accepts rsa-sha1 as issued', async () => {
    await expectAccepted(makeStack(ca).authenticate(request(dgwsXml(userCard(ca))), 'xds-read'));
  });

  it('rejects an hmac-sha1 SignatureMethod keyed with the public certificate', async () => {
    const card = userCard(ca).replace('http://www.w3.org/2000/09/xmldsig#rsa-sha1', 'http://www.w3.org/2000/09/xmldsig#hmac-sha1');
    const forgedValue = createHmac('sha1', certBase64(ca.sts.certPem)).update('x').digest('base64');
    const attacked = card.replace(/<ds:SignatureValue>[^<]*<\/ds:SignatureValue>/, `<ds:SignatureValue>${forgedValue}</ds:SignatureValue>`);
    const fault = await expectFault(makeStack(ca).authenticate(request(dgwsXml(attacked)), 'xds-read'), 'invalid_signature');
    expect(fault.message).toMatch(/unsupported SignatureMethod/);
  });

  it('rejects an XPath transform in the reference', async () => {
    const card = userCard(ca).replace(
      '<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>',
      '<ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xpath-19991116"/><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>',
    );
    expect(card).toContain('REC-xpath');
    const fault = await expectFault(makeStack(ca).authenticate(request(dgwsXml(card)), 'xds-read'), 'invalid_signature');
    expect(fault.message).toMatch(/unsupported transform/);
  });

  it('rejects inclusive canonicalisation of SignedInfo', async () => {
    const card = userCard(ca).replace(
      '<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>',
      '<ds:CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments"/>',
    );
    expect(card).toContain('WithComments');
    await expectFault(makeStack(ca).authenticate(request(dgwsXml(card)), 'xds-read'), 'invalid_signature');
  });
});
