/**
 * ITI-62 Delete Document Set (RMD, ITI TF-2b §3.62): the transaction descriptor on the registry endpoint.
 * The body is an lcm:RemoveObjectsRequest (ebRS 3.0 lcm.xsd); the answer an rs:RegistryResponse.
 */
import { NS } from '../ebrim/namespaces.js';
import { registryFailureXml, registryResponseXml } from '../ebrim/registry-response.js';
import { ErrorCode } from '../errors.js';
import type { RemoveMetadataService } from '../removal/remove-metadata-service.js';
import type { TransactionDescriptor } from './descriptor.js';

export const ITI62_ACTION = 'urn:ihe:iti:2010:DeleteDocumentSet';

export function createIti62Descriptor(deps: { removal: Pick<RemoveMetadataService, 'remove'> }): TransactionDescriptor {
  return {
    id: 'ITI-62',
    name: 'Delete Document Set',
    action: ITI62_ACTION,
    responseAction: `${ITI62_ACTION}Response`,
    endpoints: ['registry'],
    requestElement: { ns: NS.lcm, name: 'RemoveObjectsRequest' },
    schema: 'registry',
    metadataErrorCode: ErrorCode.RegistryMetadataError,
    securityPolicy: 'xds-write',
    readPath: false,
    auditEvent: 'ITI-62',
    async handle(request) {
      await deps.removal.remove(request.body);
      return { bodyXml: registryResponseXml() };
    },
    errorResponse: registryFailureXml,
  };
}
