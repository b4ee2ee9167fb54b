import { beforeAll, describe, expect, it } from 'vitest';
import type { TestCa } from '../../src/services/sts/test-ca.js';
import { BODY, dgwsXml, expectAccepted, expectFault, makeCa, makeStack, request, userCard } from './support.js';

const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/';

describe('missing required header', () => {
  let ca: TestCa;
  beforeAll(() => {
    ca = makeCa();
  });

  it('accepts a request with wsse:Security and medcom:Header', async () => {
    await expectAccepted(makeStack(ca).authenticate(request(dgwsXml(userCard(ca))), 'xds-read'));
  });

  it('rejects a request without wsse:Security', async () => {
    const xml = `<soap:Envelope xmlns:soap="${SOAP11}"><soap:Header/><soap:Body>${BODY}</soap:Body></soap:Envelope>`;
    await expectFault(makeStack(ca).authenticate(request(xml), 'xds-read'), 'missing_required_header');
  });

  it('rejects a request without any soap:Header', async () => {
    const xml = `<soap:Envelope xmlns:soap="${SOAP11}"><soap:Body>${BODY}</soap:Body></soap:Envelope>`;
    await expectFault(makeStack(ca).authenticate(request(xml), 'xds-read'), 'missing_required_header');
  });

  it('rejects a request without medcom:Header', async () => {
    const xml = dgwsXml(userCard(ca)).replace(/<medcom:Header[\s\S]*<\/medcom:Header>/, '');
    await expectFault(makeStack(ca).authenticate(request(xml), 'xds-read'), 'missing_required_header');
  });

  it('rejects a medcom:Header without Linking/MessageID', async () => {
    const xml = dgwsXml(userCard(ca)).replace(/<medcom:MessageID>[^<]*<\/medcom:MessageID>/, '');
    await expectFault(makeStack(ca).authenticate(request(xml), 'xds-read'), 'missing_required_header');
  });

  it('rejects wsse:Security without an ID card', async () => {
    const xml = dgwsXml(userCard(ca)).replace(/<saml:Assertion[\s\S]*<\/saml:Assertion>/, '');
    await expectFault(makeStack(ca).authenticate(request(xml), 'xds-read'), 'missing_required_header');
  });

  it('rejects a system card without the HSUID header where the read policy requires it', async () => {
    const { systemCard } = await import('./support.js');
    const fault = await expectFault(
      makeStack(ca).authenticate(request(dgwsXml(systemCard(ca), { medcom: { securityLevel: 3 } })), 'xds-read'),
      'missing_required_header',
    );
    expect(fault.message).toMatch(/HSUID/);
  });

  it('lets a request without a token through only in explicit insecure development mode', async () => {
    const xml = `<soap:Envelope xmlns:soap="${SOAP11}"><soap:Body>${BODY}</soap:Body></soap:Envelope>`;
    const ctx = await makeStack(ca, { insecureDevelopment: true }).authenticate(request(xml), 'xds-read');
    expect(ctx).toMatchObject({ tokenType: 'none', insecureDevelopment: true, authLevel: 0 });
    // a token that is present is still checked in development mode
    const bad = userCard(ca).replace(/0101011234/g, '0202025678');
    await expectFault(makeStack(ca, { insecureDevelopment: true }).authenticate(request(dgwsXml(bad)), 'xds-read'), 'invalid_signature');
  });

  it('echoes the request MessageID in the fault medcom:Header', async () => {
    const xml = dgwsXml(userCard(ca).replace(/0101011234/g, '0202025678'), { medcom: { securityLevel: 4, messageId: 'msg-42', flowId: 'flow-7' } });
    const fault = await expectFault(makeStack(ca).authenticate(request(xml), 'xds-read'), 'invalid_signature');
    expect(fault.headersXml?.[0]).toMatch(/<medcom:InResponseToMessageID>msg-42<\/medcom:InResponseToMessageID>/);
    expect(fault.headersXml?.[0]).toMatch(/<medcom:FlowID>flow-7<\/medcom:FlowID>/);
    expect(fault.headersXml?.[0]).toMatch(/<medcom:FlowStatus>flow_finalized_succesfully<\/medcom:FlowStatus>/);
  });
});
