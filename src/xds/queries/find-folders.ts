/** FindFolders (ITI TF-2a §3.18.4.1.2.3.7.3): the Folders of one patient; patient id and status required. */
import { compileFolderSearch, F, folderSearchSpecs } from './folder-params.js';
import type { QueryParams } from './params.js';
import { ResultCap, type StoredQuery } from './query-types.js';

export const FIND_FOLDERS_ID = 'urn:uuid:958f3006-baad-4929-a4de-ff1114824431';

export const findFolders: StoredQuery = {
  id: FIND_FOLDERS_ID,
  name: 'FindFolders',
  params: { [F.patientId]: { kind: 'string', required: true }, ...folderSearchSpecs },
  async execute(params: QueryParams, store, options) {
    const patientId = params.string(F.patientId)!;
    const cap = new ResultCap(options.maxResults);
    const folders = cap.check(
      await store.findFolders({ ...compileFolderSearch(params), patientIds: [patientId] }, cap.findOptions),
    );
    return { objects: folders, requestedPatientIds: [patientId] };
  },
};
