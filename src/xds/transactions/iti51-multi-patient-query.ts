/**
 * ITI-51 Multi-Patient Stored Query (ITI TF-2b §3.51): the same AdhocQueryRequest/Response as ITI-18 on its
 * own action, answering only the multi-patient queries (FindDocumentsForMultiplePatients,
 * FindFoldersForMultiplePatients), whose results may span patients.
 */
import { adhocQueryFailureXml } from '../ebrim/adhoc-query-response.js';
import { NS } from '../ebrim/namespaces.js';
import { ErrorCode } from '../errors.js';
import type { StoredQueryService } from '../queries/stored-query-service.js';
import type { TransactionDescriptor } from './descriptor.js';

export const ITI51_ACTION = 'urn:ihe:iti:2009:MultiPatientStoredQuery';

export function createIti51Descriptor(service: StoredQueryService): TransactionDescriptor {
  return {
    id: 'ITI-51',
    name: 'Multi-Patient Stored Query',
    action: ITI51_ACTION,
    responseAction: `${ITI51_ACTION}Response`,
    endpoints: ['registry'],
    requestElement: { ns: NS.query, name: 'AdhocQueryRequest' },
    schema: 'registry',
    metadataErrorCode: ErrorCode.RegistryMetadataError,
    securityPolicy: 'xds-read',
    readPath: true,
    auditEvent: 'ITI-51',
    async handle(request, context) {
      return { bodyXml: await service.run(request.body, context, { multiPatient: true }) };
    },
    errorResponse: adhocQueryFailureXml,
  };
}
