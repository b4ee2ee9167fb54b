/**
 * GetSubmissionSetAndContents (ITI TF-2a §3.18.4.1.2.3.7.10): a SubmissionSet (by entryUUID or uniqueId)
 * with its members: the DocumentEntries (filtered by $XDSDocumentEntryFormatCode /
 * ConfidentialityCode / Type), the Folders, the member Associations (e.g. Folder→DocumentEntry
 * HasMember submitted in this set) and the SubmissionSet's HasMember Associations to the returned
 * members. Associations that point at a filtered-out DocumentEntry are left out too.
 */
import { compileContentFilter, contentFilterSpecs, P } from './document-entry-params.js';
import { connected, hasMembersFrom } from './lookups.js';
import { ResultCap, type StoredQuery } from './query-types.js';

export const GET_SUBMISSION_SET_AND_CONTENTS_ID = 'urn:uuid:e8e3cb2c-e39c-46b9-99e4-c12f57260b83';

const SS_UUID = '$XDSSubmissionSetEntryUUID';
const SS_UID = '$XDSSubmissionSetUniqueId';

export const getSubmissionSetAndContents: StoredQuery = {
  id: GET_SUBMISSION_SET_AND_CONTENTS_ID,
  name: 'GetSubmissionSetAndContents',
  params: {
    [SS_UUID]: { kind: 'string' },
    [SS_UID]: { kind: 'string' },
    ...contentFilterSpecs,
    [P.metadataLevel]: { kind: 'integer' },
    [P.homeCommunityId]: { kind: 'string' },
  },
  async execute(params, store, options) {
    const cap = new ResultCap(options.maxResults);
    const which = params.exactlyOne(SS_UUID, SS_UID);
    const value = params.string(which)!;
    const contentFilter = compileContentFilter(params);
    params.metadataLevel(); // validated even though a SubmissionSet has a single version
    const sets = await store.findSubmissionSets(which === SS_UUID ? { entryUuids: [value] } : { uniqueIds: [value] });
    const ss = sets[0];
    if (!ss) return { objects: [], requestedPatientIds: [] };

    const memberships = await hasMembersFrom(store, [ss.entryUuid], cap);
    const targets = [...new Set(memberships.map((a) => a.targetUuid))];
    if (targets.length === 0) return { objects: [ss], requestedPatientIds: [] };
    const [docs, folders, memberAssocs] = await Promise.all([
      store.findDocumentEntries({ ...contentFilter, entryUuids: targets, allVersions: true }, cap.findOptions),
      store.findFolders({ entryUuids: targets, allVersions: true }, cap.findOptions),
      store.findAssociations({ entryUuids: targets }, cap.findOptions),
    ]);
    const ids = new Set<string>([ss.entryUuid, ...docs.map((d) => d.entryUuid), ...folders.map((f) => f.entryUuid)]);
    // member associations and the SubmissionSet's HasMembers survive only when both their ends do
    const assocs = connected([...memberAssocs, ...memberships], ids);
    return { objects: cap.check([ss, ...docs, ...folders, ...assocs]), requestedPatientIds: [] };
  },
};
