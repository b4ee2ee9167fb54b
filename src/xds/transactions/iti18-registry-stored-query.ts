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

/**
 * A stored-query transaction: ITI-18 and ITI-51 share the message pair, the schema, the policy and the
 * read-path hooks, and differ only in action and in which queries they answer.
 */
export function storedQueryDescriptor(
  service: StoredQueryService,
  t: { id: string; name: string; action: string; multiPatient: boolean },
): TransactionDescriptor {
  return {
    id: t.id,
    name: t.name,
    action: t.action,
    responseAction: `${t.action}Response`,
    endpoints: ['registry'],
    requestElement: { ns: NS.query, name: 'AdhocQueryRequest' },
    schema: 'registry',
    metadataErrorCode: ErrorCode.RegistryMetadataError,
    securityPolicy: 'xds-read',
    readPath: true,
    auditEvent: t.id,
    async handle(request, context) {
      return { bodyXml: await service.run(request.body, context, { multiPatient: t.multiPatient }) };
    },
    errorResponse: adhocQueryFailureXml,
  };
}

export function createIti18Descriptor(service: StoredQueryService): TransactionDescriptor {
  return storedQueryDescriptor(service, { id: 'ITI-18', name: 'Registry Stored Query', action: ITI18_ACTION, multiPatient: false });
}
