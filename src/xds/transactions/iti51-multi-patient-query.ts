/**
 * ITI-51 Multi-Patient Stored Query (ITI TF-2b §3.51): the same AdhocQueryRequest/Response as ITI-18 on its
 * own action, answering only the multi-patient queries (FindDocumentsForMultiplePatients,
 * FindFoldersForMultiplePatients), whose results may span patients.
 */
import type { StoredQueryService } from '../queries/stored-query-service.js';
import type { TransactionDescriptor } from './descriptor.js';
import { storedQueryDescriptor } from './iti18-registry-stored-query.js';

export const ITI51_ACTION = 'urn:ihe:iti:2009:MultiPatientStoredQuery';

export function createIti51Descriptor(service: StoredQueryService): TransactionDescriptor {
  return storedQueryDescriptor(service, { id: 'ITI-51', name: 'Multi-Patient Stored Query', action: ITI51_ACTION, multiPatient: true });
}
