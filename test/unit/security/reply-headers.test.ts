import { describe, expect, it } from 'vitest';
import { withSecurityReplyHeaders } from '../../../src/security/reply-headers.js';
import { createSecurityStack, defaultPolicies } from '../../../src/security/index.js';
import type { RequestContext, TransactionDescriptor } from '../../../src/xds/transactions/descriptor.js';
import type { SoapRequest } from '../../../src/soap/types.js';

describe('withSecurityReplyHeaders', () => {
  const stack = createSecurityStack({ trustedCertificatesPem: [], clockSkewSeconds: 0, policies: defaultPolicies(), insecureDevelopment: true });
  const descriptor = {
    id: 'ITI-18',
    securityPolicy: 'xds-read',
    marker: 'kept',
    async handle() {
      return { bodyXml: '<r/>', headersXml: ['<h/>'] };
    },
    errorResponse(this: { id: string }) {
      return `<e id="${this.id}"/>`;
    },
  } as unknown as TransactionDescriptor;
  const ctx = (security: RequestContext['security']): RequestContext => ({ requestId: 'r', receivedAt: new Date(), security, transaction: 'ITI-18' });

  it('appends the medcom:Header reply to DGWS responses and keeps the descriptor otherwise intact', async () => {
    const d = withSecurityReplyHeaders(descriptor, stack);
    const res = await d.handle({} as SoapRequest, ctx({ tokenType: 'dgws-system', authLevel: 3, medcom: { messageId: 'm-1', securityLevel: 3 } }));
    expect(res.headersXml).toHaveLength(2);
    expect(res.headersXml![1]).toMatch(/<medcom:InResponseToMessageID>m-1<\/medcom:InResponseToMessageID>/);
    expect(d.errorResponse([])).toBe('<e id="ITI-18"/>');
    expect((d as unknown as { marker: string }).marker).toBe('kept');
  });

  it('adds nothing for IDWS or anonymous contexts', async () => {
    const d = withSecurityReplyHeaders(descriptor, stack);
    expect((await d.handle({} as SoapRequest, ctx({ tokenType: 'none', authLevel: 0 }))).headersXml).toEqual(['<h/>']);
    expect((await d.handle({} as SoapRequest, ctx({ tokenType: 'idws', authLevel: 4 }))).headersXml).toEqual(['<h/>']);
  });
});
