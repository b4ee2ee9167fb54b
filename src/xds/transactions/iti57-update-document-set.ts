/**
 * ITI-57 Update Document Set (ITI TF-2b §3.57): the transaction descriptor. The body is an
 * lcm:SubmitObjectsRequest (ebRS 3.0 schemas); MetadataUpdateService applies the registry rules; the answer
 * is an rs:RegistryResponse, Success or Failure with a RegistryErrorList (ITI TF-2b §3.57.4.2).
 * Served on the registry endpoint; on the NSP also as /dros/iti57 and /ddsregistry/metadataupdate.
 */
import { NS } from '../ebrim/namespaces.js';
import { registryFailureXml, registryResponseXml } from '../ebrim/registry-response.js';
import { ErrorCode } from '../errors.js';
import type { MetadataUpdateService } from '../update/update-service.js';
import type { TransactionDescriptor } from './descriptor.js';

export const ITI57_ACTION = 'urn:ihe:iti:2010:UpdateDocumentSet';

export interface Iti57Deps {
  update: Pick<MetadataUpdateService, 'update'>;
}

export function createIti57Descriptor(deps: Iti57Deps): TransactionDescriptor {
  return {
    id: 'ITI-57',
    name: 'Update Document Set',
    action: ITI57_ACTION,
    responseAction: `${ITI57_ACTION}Response`,
    endpoints: ['registry'],
    requestElement: { ns: NS.lcm, name: 'SubmitObjectsRequest' },
    schema: 'registry',
    metadataErrorCode: ErrorCode.RegistryMetadataError,
    securityPolicy: 'xds-write',
    readPath: false,
    auditEvent: 'ITI-57',
    async handle(request, context) {
      const { warnings } = await deps.update.update(request.body, context);
      return { bodyXml: registryResponseXml(warnings) };
    },
    errorResponse: registryFailureXml,
  };
}
