/**
 * ITI-18 Registry Stored Query (ITI TF-2a §3.18): the transaction descriptor. The body is a
 * query:AdhocQueryRequest validated against the registry schemas; the answer is a query:AdhocQueryResponse
 * (also for failures: status Failure with a RegistryErrorList, ITI TF-2a §3.18.4.1.3).
 */
import { adhocQueryFailureXml } from '../ebrim/adhoc-query-response.js';
import { NS } from '../ebrim/namespaces.js';
import { ErrorCode } from '../errors.js';
import type { StoredQueryService } from '../queries/stored-query-service.js';
import type { TransactionDescriptor } from './descriptor.js';

export const ITI18_ACTION = 'urn:ihe:iti:2007:RegistryStoredQuery';

export function createIti18Descriptor(service: StoredQueryService): TransactionDescriptor {
  return {
    id: 'ITI-18',
    name: 'Registry Stored Query',
    action: ITI18_ACTION,
    responseAction: `${ITI18_ACTION}Response`,
    endpoints: ['registry'],
    requestElement: { ns: NS.query, name: 'AdhocQueryRequest' },
    schema: 'registry',
    metadataErrorCode: ErrorCode.RegistryMetadataError,
    securityPolicy: 'xds-read',
    readPath: true,
    auditEvent: 'ITI-18',
    async handle(request, context) {
      return { bodyXml: await service.run(request.body, context, { multiPatient: false }) };
    },
    errorResponse: adhocQueryFailureXml,
  };
}
