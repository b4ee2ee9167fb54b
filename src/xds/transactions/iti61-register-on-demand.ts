/**
 * ITI-61 Register On-Demand Document Entry (ITI TF-2b §3.61): an ITI-42 style submission whose
 * DocumentEntries are all On-Demand (objectType urn:uuid:34268e47-fdf5-41a6-ba33-82133c465248, ITI TF-3
 * §4.2.3.2.18). hash and size are not allowed on them (the validation profile's onDemand optionality);
 * FindDocuments returns them only when $XDSDocumentEntryType asks for On-Demand entries.
 */
import { decodeSubmission } from '../ebrim/decode-submission.js';
import { NS } from '../ebrim/namespaces.js';
import { registryFailureXml, registryResponseXml } from '../ebrim/registry-response.js';
import { ErrorCode, ErrorCollector } from '../errors.js';
import { DocumentEntryType } from '../model/types.js';
import type { RegistryService } from '../registry/register-service.js';
import type { TransactionDescriptor } from './descriptor.js';

export const ITI61_ACTION = 'urn:ihe:iti:2010:RegisterOnDemandDocumentEntry';

export function createIti61Descriptor(deps: { registry: Pick<RegistryService, 'registerSubmission'> }): TransactionDescriptor {
  return {
    id: 'ITI-61',
    name: 'Register On-Demand Document Entry',
    action: ITI61_ACTION,
    responseAction: `${ITI61_ACTION}Response`,
    endpoints: ['registry'],
    requestElement: { ns: NS.lcm, name: 'SubmitObjectsRequest' },
    schema: 'registry',
    metadataErrorCode: ErrorCode.RegistryMetadataError,
    securityPolicy: 'xds-write',
    readPath: false,
    auditEvent: 'ITI-61',
    async handle(request, context) {
      const submission = decodeSubmission(request.body, { errorCode: ErrorCode.RegistryMetadataError });
      const errors = new ErrorCollector();
      if (submission.documents.length === 0) errors.error(ErrorCode.RegistryMetadataError, 'ITI-61 registers On-Demand DocumentEntries, the request has none');
      for (const d of submission.documents) {
        if (d.objectType !== DocumentEntryType.OnDemand) {
          errors.error(ErrorCode.RegistryMetadataError, `DocumentEntry ${d.entryUuid} has objectType ${d.objectType}; ITI-61 accepts only On-Demand entries (${DocumentEntryType.OnDemand})`, d.entryUuid);
        }
      }
      errors.throwIfErrors();
      const { warnings } = await deps.registry.registerSubmission(submission, context, { transaction: 'ITI-42' });
      return { bodyXml: registryResponseXml(warnings) };
    },
    errorResponse: registryFailureXml,
  };
}
