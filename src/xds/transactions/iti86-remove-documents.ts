/**
 * ITI-86 Remove Documents (RMD, ITI TF-2b §3.86): the transaction descriptor on the repository endpoint.
 * The body is an rmd:RemoveDocumentsRequest (schema set 'rmd'); the answer an rs:RegistryResponse:
 * Success, PartialSuccess (some documents removed) or Failure, with a RegistryError per document not removed.
 */
import { registryFailureXml, registryResponseXml, ResponseStatus, type ResponseStatusValue } from '../ebrim/registry-response.js';
import { ErrorCode } from '../errors.js';
import { decodeRemoveDocumentsRequest, RMD_NS, type RemoveDocumentsService } from '../removal/remove-documents-service.js';
import type { TransactionDescriptor } from './descriptor.js';

export const ITI86_ACTION = 'urn:ihe:iti:2017:RemoveDocuments';

export function createIti86Descriptor(deps: { removal: Pick<RemoveDocumentsService, 'remove'> }): TransactionDescriptor {
  return {
    id: 'ITI-86',
    name: 'Remove Documents',
    action: ITI86_ACTION,
    responseAction: `${ITI86_ACTION}Response`,
    endpoints: ['repository'],
    requestElement: { ns: RMD_NS, name: 'RemoveDocumentsRequest' },
    schema: 'rmd',
    metadataErrorCode: ErrorCode.RepositoryMetadataError,
    securityPolicy: 'xds-write',
    readPath: false,
    auditEvent: 'ITI-86',
    async handle(request) {
      const { removed, errors } = await deps.removal.remove(decodeRemoveDocumentsRequest(request.body));
      return { bodyXml: registryResponseXml(errors, statusOf(removed.length, errors.length)) };
    },
    errorResponse: registryFailureXml,
  };
}

function statusOf(removed: number, failed: number): ResponseStatusValue {
  if (failed === 0) return ResponseStatus.Success;
  return removed === 0 ? ResponseStatus.Failure : ResponseStatus.PartialSuccess;
}
