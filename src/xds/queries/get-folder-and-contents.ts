/**
 * GetFolderAndContents (ITI TF-2a §3.18.4.1.2.3.7.11): a Folder (by entryUUID or uniqueId), its member
 * DocumentEntries (filtered by $XDSDocumentEntryFormatCode / ConfidentialityCode / Type) and the
 * Folder→DocumentEntry HasMember Associations of the returned entries. By uniqueId at $MetadataLevel 2
 * every version of the Folder is returned with its contents (ITI-57; NIST 20000d/20000e).
 */
import { compileContentFilter, contentFilterSpecs, P } from './document-entry-params.js';
import { F } from './folder-params.js';
import { findFoldersByRef, hasMembersFrom } from './lookups.js';
import { ResultCap, type StoredQuery } from './query-types.js';

export const GET_FOLDER_AND_CONTENTS_ID = 'urn:uuid:b909a503-523d-4517-8acf-8e5834dfc4c7';

export const getFolderAndContents: StoredQuery = {
  id: GET_FOLDER_AND_CONTENTS_ID,
  name: 'GetFolderAndContents',
  params: {
    [F.entryUuid]: { kind: 'string' },
    [F.uniqueId]: { kind: 'string' },
    ...contentFilterSpecs,
    [P.metadataLevel]: { kind: 'integer' },
    [P.homeCommunityId]: { kind: 'string' },
  },
  async execute(params, store, options) {
    const cap = new ResultCap(options.maxResults);
    const contentFilter = compileContentFilter(params);
    const folders = await findFoldersByRef(params, store, cap);
    if (folders.length === 0) return { objects: [], requestedPatientIds: [] };
    const memberships = await hasMembersFrom(store, folders.map((f) => f.entryUuid), cap);
    const targets = [...new Set(memberships.map((a) => a.targetUuid))];
    if (targets.length === 0) return { objects: folders, requestedPatientIds: [] };
    const docs = cap.check(
      await store.findDocumentEntries({ ...contentFilter, entryUuids: targets, allVersions: true }, cap.findOptions),
    );
    const docIds = new Set(docs.map((d) => d.entryUuid));
    const assocs = memberships.filter((a) => docIds.has(a.targetUuid));
    return { objects: cap.check([...folders, ...docs, ...assocs]), requestedPatientIds: [] };
  },
};
