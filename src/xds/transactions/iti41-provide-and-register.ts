/**
 * ITI-41 Provide and Register Document Set-b (ITI TF-2b §3.41): the transaction descriptor. The body is an
 * xdsb:ProvideAndRegisterDocumentSetRequest validated against XDS.b_DocumentRepository.xsd; the answer is an
 * rs:RegistryResponse (Failure with a RegistryErrorList when anything is wrong, ITI TF-2b §3.41.4.2).
 */
import { NS } from '../ebrim/namespaces.js';
import { registryFailureXml, registryResponseXml } from '../ebrim/registry-response.js';
import { ErrorCode } from '../errors.js';
import type { ProvideAndRegisterService } from '../repository/provide-and-register.js';
import type { TransactionDescriptor } from './descriptor.js';

export const ITI41_ACTION = 'urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b';

export function createIti41Descriptor(service: ProvideAndRegisterService): TransactionDescriptor {
  return {
    id: 'ITI-41',
    name: 'Provide and Register Document Set-b',
    action: ITI41_ACTION,
    responseAction: `${ITI41_ACTION}Response`,
    endpoints: ['repository'],
    requestElement: { ns: NS.xdsb, name: 'ProvideAndRegisterDocumentSetRequest' },
    schema: 'repository',
    metadataErrorCode: ErrorCode.RepositoryMetadataError,
    securityPolicy: 'xds-write',
    readPath: false,
    auditEvent: 'ITI-41',
    async handle(request, context) {
      const warnings = await service.provideAndRegister(request, context);
      return { bodyXml: registryResponseXml(warnings) };
    },
    errorResponse: registryFailureXml,
  };
}
