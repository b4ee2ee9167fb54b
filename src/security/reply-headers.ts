/**
 * DGWS replies carry a medcom:Header with InResponseToMessageID and FlowStatus (dk-nsp.md §1.4, Seal
 * `SAMLReplyDOMBuilder.java`). The SOAP endpoint adds the handler's headersXml to the response, so the
 * composition root wraps each descriptor once with this and every DGWS reply gets the header.
 */
import type { TransactionDescriptor } from '../xds/transactions/descriptor.js';
import type { SecurityStack } from './security-stack.js';

export function withSecurityReplyHeaders(descriptor: TransactionDescriptor, stack: Pick<SecurityStack, 'replyHeaders'>): TransactionDescriptor {
  const wrapped: TransactionDescriptor = Object.create(descriptor) as TransactionDescriptor;
  wrapped.handle = async (request, context) => {
    const response = await descriptor.handle(request, context);
    const extra = stack.replyHeaders(context.security);
    return extra.length ? { ...response, headersXml: [...(response.headersXml ?? []), ...extra] } : response;
  };
  return wrapped;
}
