/**
 * GetFoldersForDocument (ITI TF-2a §3.18.4.1.2.3.7.12): the Folders that hold (HasMember) the
 * DocumentEntry named by entryUUID or uniqueId. Only the Folders are returned.
 */
import { documentRefSpecs, findDocumentsByRef, hasMembersTo } from './lookups.js';
import { ResultCap, type StoredQuery } from './query-types.js';

export const GET_FOLDERS_FOR_DOCUMENT_ID = 'urn:uuid:10cae35a-c7f9-4cf5-b61e-fc3278ffb578';

export const getFoldersForDocument: StoredQuery = {
  id: GET_FOLDERS_FOR_DOCUMENT_ID,
  name: 'GetFoldersForDocument',
  params: documentRefSpecs({ logicalId: false, multiple: false }),
  async execute(params, store, options) {
    const cap = new ResultCap(options.maxResults);
    const docs = await findDocumentsByRef(params, store, cap);
    const memberships = await hasMembersTo(store, docs.map((d) => d.entryUuid), cap);
    const sources = [...new Set(memberships.map((a) => a.sourceUuid))];
    if (sources.length === 0) return { objects: [], requestedPatientIds: [] };
    const folders = cap.check(await store.findFolders({ entryUuids: sources, allVersions: true }, cap.findOptions));
    return { objects: folders, requestedPatientIds: [] };
  },
};
