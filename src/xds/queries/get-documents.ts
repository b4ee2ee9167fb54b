/**
 * GetDocuments (ITI TF-2a §3.18.4.1.2.3.7.5): DocumentEntries by entryUUID, uniqueId or (ITI-57)
 * logicalID, any status.
 */
import { documentRefSpecs, findDocumentsByRef } from './lookups.js';
import { ResultCap, type StoredQuery } from './query-types.js';

export const GET_DOCUMENTS_ID = 'urn:uuid:5c4f972b-d56b-40ac-a5fc-c8ca9b40b9d4';

export const getDocuments: StoredQuery = {
  id: GET_DOCUMENTS_ID,
  name: 'GetDocuments',
  params: documentRefSpecs({ logicalId: true, multiple: true }),
  async execute(params, store, options) {
    const docs = await findDocumentsByRef(params, store, new ResultCap(options.maxResults), true);
    return { objects: docs, requestedPatientIds: [] };
  },
};
