/**
 * GetSubmissionSets (ITI TF-2a §3.18.4.1.2.3.7.9): the SubmissionSets that contain (HasMember) one of the
 * objects named by $uuid, with those HasMember Associations.
 */
import { hasMembersTo } from './lookups.js';
import { ResultCap, type StoredQuery } from './query-types.js';

export const GET_SUBMISSION_SETS_ID = 'urn:uuid:51224314-5390-4169-9b91-b1980040715a';

export const getSubmissionSets: StoredQuery = {
  id: GET_SUBMISSION_SETS_ID,
  name: 'GetSubmissionSets',
  params: {
    $uuid: { kind: 'string', required: true, multiple: true },
    $homeCommunityId: { kind: 'string' },
  },
  async execute(params, store, options) {
    const cap = new ResultCap(options.maxResults);
    const memberships = await hasMembersTo(store, params.list('$uuid')!, cap);
    const sourceIds = [...new Set(memberships.map((a) => a.sourceUuid))];
    if (sourceIds.length === 0) return { objects: [], requestedPatientIds: [] };
    const sets = cap.check(await store.findSubmissionSets({ entryUuids: sourceIds }, cap.findOptions));
    const setIds = new Set(sets.map((s) => s.entryUuid));
    const assocs = memberships.filter((a) => setIds.has(a.sourceUuid));
    return { objects: [...sets, ...assocs], requestedPatientIds: [] };
  },
};
