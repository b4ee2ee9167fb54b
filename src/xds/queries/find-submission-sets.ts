/**
 * FindSubmissionSets (ITI TF-2a §3.18.4.1.2.3.7.2): the SubmissionSets of one patient;
 * $XDSSubmissionSetPatientId and $XDSSubmissionSetStatus are required.
 */
import type { SubmissionSetFilter } from '../../storage/ports.js';
import type { QueryParams } from './params.js';
import { ResultCap, type StoredQuery } from './query-types.js';

export const FIND_SUBMISSION_SETS_ID = 'urn:uuid:f26abbcb-ac74-4422-8a30-edb644bbc1a9';

const S = {
  patientId: '$XDSSubmissionSetPatientId',
  sourceId: '$XDSSubmissionSetSourceId',
  submissionTimeFrom: '$XDSSubmissionSetSubmissionTimeFrom',
  submissionTimeTo: '$XDSSubmissionSetSubmissionTimeTo',
  authorPerson: '$XDSSubmissionSetAuthorPerson',
  contentType: '$XDSSubmissionSetContentType',
  status: '$XDSSubmissionSetStatus',
} as const;

export const findSubmissionSets: StoredQuery = {
  id: FIND_SUBMISSION_SETS_ID,
  name: 'FindSubmissionSets',
  params: {
    [S.patientId]: { kind: 'string', required: true },
    [S.sourceId]: { kind: 'string', multiple: true },
    [S.submissionTimeFrom]: { kind: 'time' },
    [S.submissionTimeTo]: { kind: 'time' },
    [S.authorPerson]: { kind: 'pattern' },
    [S.contentType]: { kind: 'code', multiple: true },
    [S.status]: { kind: 'string', required: true, multiple: true },
    $homeCommunityId: { kind: 'string' },
  },
  async execute(params: QueryParams, store, options) {
    const patientId = params.string(S.patientId)!;
    const filter: SubmissionSetFilter = { patientIds: [patientId], statuses: params.statuses(S.status) };
    const sourceIds = params.list(S.sourceId);
    const submissionTime = params.timeRange(S.submissionTimeFrom, S.submissionTimeTo);
    const author = params.list(S.authorPerson);
    const contentType = params.codes(S.contentType);
    if (sourceIds) filter.sourceIds = sourceIds;
    if (submissionTime) filter.submissionTime = submissionTime;
    if (author) filter.authorPersons = author;
    if (contentType) filter.contentTypeCode = contentType;
    const cap = new ResultCap(options.maxResults);
    const sets = cap.check(await store.findSubmissionSets(filter, cap.findOptions));
    return { objects: sets, requestedPatientIds: [patientId] };
  },
};
