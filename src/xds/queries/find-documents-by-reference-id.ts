/**
 * FindDocumentsByReferenceId (ITI TF-2a §3.18.4.1.2.3.7.14): FindDocuments plus the required
 * $XDSDocumentEntryReferenceIdList (CXi values; OR within a Slot, AND across Slots).
 */
import { compileDocumentEntrySearch, documentEntrySearchSpecs, P } from './document-entry-params.js';
import type { QueryParams } from './params.js';
import { ResultCap, type StoredQuery } from './query-types.js';

export const FIND_DOCUMENTS_BY_REFERENCE_ID_ID = 'urn:uuid:12941a89-e02e-4be5-967c-ce4bfc8fe492';

export const findDocumentsByReferenceId: StoredQuery = {
  id: FIND_DOCUMENTS_BY_REFERENCE_ID_ID,
  name: 'FindDocumentsByReferenceId',
  params: {
    [P.patientId]: { kind: 'string', required: true },
    ...documentEntrySearchSpecs,
    [P.referenceIdList]: { kind: 'string', required: true, multiple: true, andOr: true },
  },
  async execute(params: QueryParams, store, options) {
    const patientId = params.string(P.patientId)!;
    const cap = new ResultCap(options.maxResults);
    const filter = {
      ...compileDocumentEntrySearch(params),
      patientIds: [patientId],
      referenceIds: params.andOrList(P.referenceIdList)!,
    };
    const docs = cap.check(await store.findDocumentEntries(filter, cap.findOptions));
    return { objects: docs, requestedPatientIds: [patientId] };
  },
};
