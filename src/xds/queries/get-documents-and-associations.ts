/**
 * GetDocumentsAndAssociations (ITI TF-2a §3.18.4.1.2.3.7.8): DocumentEntries by entryUUID or uniqueId,
 * with every Association that has one of them as source or target.
 */
import { documentRefSpecs, findDocumentsByRef } from './lookups.js';
import { ResultCap, type StoredQuery } from './query-types.js';

export const GET_DOCUMENTS_AND_ASSOCIATIONS_ID = 'urn:uuid:bab9529a-4a10-40b3-a01f-f68a615d247a';

export const getDocumentsAndAssociations: StoredQuery = {
  id: GET_DOCUMENTS_AND_ASSOCIATIONS_ID,
  name: 'GetDocumentsAndAssociations',
  params: documentRefSpecs({ logicalId: false, multiple: true }),
  async execute(params, store, options) {
    const cap = new ResultCap(options.maxResults);
    const docs = await findDocumentsByRef(params, store, cap);
    if (docs.length === 0) return { objects: [], requestedPatientIds: [] };
    const assocs = cap.check(
      await store.findAssociations({ sourceOrTarget: docs.map((d) => d.entryUuid) }, cap.findOptions),
    );
    return { objects: [...docs, ...assocs], requestedPatientIds: [] };
  },
};
