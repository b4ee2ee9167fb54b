/** GetFolders (ITI TF-2a §3.18.4.1.2.3.7.6): Folders by entryUUID, uniqueId or (ITI-57) logicalID. */
import { findFoldersByRef, folderRefSpecs } from './lookups.js';
import { ResultCap, type StoredQuery } from './query-types.js';

export const GET_FOLDERS_ID = 'urn:uuid:5737b14c-8a1a-4539-b659-e03a34a5e1e4';

export const getFolders: StoredQuery = {
  id: GET_FOLDERS_ID,
  name: 'GetFolders',
  params: folderRefSpecs({ logicalId: true, multiple: true }),
  async execute(params, store, options) {
    const folders = await findFoldersByRef(params, store, new ResultCap(options.maxResults), true);
    return { objects: folders, requestedPatientIds: [] };
  },
};
