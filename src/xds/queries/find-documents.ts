/**
 * FindDocuments (ITI TF-2a §3.18.4.1.2.3.7.1): the DocumentEntries of one patient matching the search
 * parameters; $XDSDocumentEntryPatientId and $XDSDocumentEntryStatus are required.
 */
import { compileDocumentEntrySearch, documentEntrySearchSpecs, P } from './document-entry-params.js';
import type { QueryParams } from './params.js';
import { ResultCap, type StoredQuery } from './query-types.js';

export const FIND_DOCUMENTS_ID = 'urn:uuid:14d4debf-8f97-4251-9a74-a90016b0af0d';

export const findDocuments: StoredQuery = {
  id: FIND_DOCUMENTS_ID,
  name: 'FindDocuments',
  params: {
    [P.patientId]: { kind: 'string', required: true },
    ...documentEntrySearchSpecs,
  },
  async execute(params: QueryParams, store, options) {
    const patientId = params.string(P.patientId)!;
    const cap = new ResultCap(options.maxResults);
    const filter = { ...compileDocumentEntrySearch(params), patientIds: [patientId] };
    const docs = cap.check(await store.findDocumentEntries(filter, cap.findOptions));
    return { objects: docs, requestedPatientIds: [patientId] };
  },
};
