/**
 * GetAll (ITI TF-2a §3.18.4.1.2.3.7.4): every SubmissionSet, DocumentEntry and Folder of a patient with
 * the given statuses (DocumentEntries also filtered by format, confidentiality and type), and the
 * Associations that connect them.
 */
import { compileContentFilter, contentFilterSpecs, P } from './document-entry-params.js';
import { associationsAmong } from './lookups.js';
import { ResultCap, type StoredQuery } from './query-types.js';

export const GET_ALL_ID = 'urn:uuid:10b545ea-725c-446d-9b95-8aeb444eddf3';

const SS_STATUS = '$XDSSubmissionSetStatus';
const FOL_STATUS = '$XDSFolderStatus';

export const getAll: StoredQuery = {
  id: GET_ALL_ID,
  name: 'GetAll',
  params: {
    $patientId: { kind: 'string', required: true },
    [P.status]: { kind: 'string', required: true, multiple: true },
    [SS_STATUS]: { kind: 'string', required: true, multiple: true },
    [FOL_STATUS]: { kind: 'string', required: true, multiple: true },
    ...contentFilterSpecs,
    [P.metadataLevel]: { kind: 'integer' },
    [P.homeCommunityId]: { kind: 'string' },
  },
  async execute(params, store, options) {
    const patientId = params.string('$patientId')!;
    const cap = new ResultCap(options.maxResults);
    const allVersions = params.metadataLevel() === 2;
    const patientIds = [patientId];
    const docFilter = { ...compileContentFilter(params), patientIds, statuses: params.statuses(P.status), allVersions };
    const [docs, sets, folders] = await Promise.all([
      store.findDocumentEntries(docFilter, cap.findOptions),
      store.findSubmissionSets({ patientIds, statuses: params.statuses(SS_STATUS) }, cap.findOptions),
      store.findFolders({ patientIds, statuses: params.statuses(FOL_STATUS), allVersions }, cap.findOptions),
    ]);
    const found = cap.check([...docs, ...sets, ...folders]);
    const assocs = await associationsAmong(store, found, cap);
    return { objects: cap.check([...found, ...assocs]), requestedPatientIds: patientIds };
  },
};
