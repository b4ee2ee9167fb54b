/**
 * FindFoldersForMultiplePatients (ITI-51, ITI TF-2b §3.51.4.1.2): FindFolders with an optional list of
 * patient ids (absent = every patient).
 */
import { compileFolderSearch, F, folderSearchSpecs } from './folder-params.js';
import type { QueryParams } from './params.js';
import { ResultCap, type StoredQuery } from './query-types.js';

export const FIND_FOLDERS_MULTI_PATIENT_ID = 'urn:uuid:50d3f5ac-39a2-11de-a1ca-b366239e58df';

export const findFoldersForMultiplePatients: StoredQuery = {
  id: FIND_FOLDERS_MULTI_PATIENT_ID,
  name: 'FindFoldersForMultiplePatients',
  multiPatient: true,
  params: { [F.patientId]: { kind: 'string', multiple: true }, ...folderSearchSpecs },
  async execute(params: QueryParams, store, options) {
    const patientIds = params.list(F.patientId);
    const cap = new ResultCap(options.maxResults);
    const folders = cap.check(
      await store.findFolders({ ...compileFolderSearch(params), ...(patientIds && { patientIds }) }, cap.findOptions),
    );
    return { objects: folders, requestedPatientIds: patientIds ?? [] };
  },
};
