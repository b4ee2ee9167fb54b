/**
 * ITI-42 Register Document Set-b (ITI TF-2a §3.42): the transaction descriptor. The body is an
 * lcm:SubmitObjectsRequest validated against the ebRS 3.0 schemas; RegistryService.register applies the
 * registry rules; the answer is an rs:RegistryResponse: Success (with warnings, if any) or Failure with a
 * RegistryErrorList (ITI TF-2a §3.42.4.2).
 */
import { NS } from '../ebrim/namespaces.js';
import { registryFailureXml, registryResponseXml } from '../ebrim/registry-response.js';
import { ErrorCode } from '../errors.js';
import type { RegistryService } from '../registry/register-service.js';
import type { TransactionDescriptor } from './descriptor.js';

export const ITI42_ACTION = 'urn:ihe:iti:2007:RegisterDocumentSet-b';

/** What the descriptor needs of the registry (RegistryService, or a test double). */
export type Iti42Registry = Pick<RegistryService, 'register'>;

export function createIti42Descriptor(registry: Iti42Registry): TransactionDescriptor {
  return {
    id: 'ITI-42',
    name: 'Register Document Set-b',
    action: ITI42_ACTION,
    responseAction: `${ITI42_ACTION}Response`,
    endpoints: ['registry'],
    requestElement: { ns: NS.lcm, name: 'SubmitObjectsRequest' },
    schema: 'registry',
    metadataErrorCode: ErrorCode.RegistryMetadataError,
    securityPolicy: 'xds-write',
    readPath: false,
    auditEvent: 'ITI-42',
    async handle(request, context) {
      const { warnings } = await registry.register(request.body, context, { transaction: 'ITI-42' });
      return { bodyXml: registryResponseXml(warnings) };
    },
    errorResponse: registryFailureXml,
  };
}
