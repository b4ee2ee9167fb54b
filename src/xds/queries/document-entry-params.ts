/**
 * The DocumentEntry parameters shared by FindDocuments, FindDocumentsByReferenceId and the ITI-51
 * FindDocumentsForMultiplePatients (ITI TF-2a §3.18.4.1.2.3.7.1, §3.18.4.1.2.3.7.14; ITI TF-2b §3.51.4.1.2),
 * and their compilation to a DocumentEntryFilter.
 */
import { DocumentEntryType } from '../model/types.js';
import type { DocumentEntryFilter } from '../../storage/ports.js';
import type { ParamSpecs, QueryParams } from './params.js';

export const P = {
  patientId: '$XDSDocumentEntryPatientId',
  classCode: '$XDSDocumentEntryClassCode',
  typeCode: '$XDSDocumentEntryTypeCode',
  practiceSettingCode: '$XDSDocumentEntryPracticeSettingCode',
  creationTimeFrom: '$XDSDocumentEntryCreationTimeFrom',
  creationTimeTo: '$XDSDocumentEntryCreationTimeTo',
  serviceStartTimeFrom: '$XDSDocumentEntryServiceStartTimeFrom',
  serviceStartTimeTo: '$XDSDocumentEntryServiceStartTimeTo',
  serviceStopTimeFrom: '$XDSDocumentEntryServiceStopTimeFrom',
  serviceStopTimeTo: '$XDSDocumentEntryServiceStopTimeTo',
  healthcareFacilityTypeCode: '$XDSDocumentEntryHealthcareFacilityTypeCode',
  eventCodeList: '$XDSDocumentEntryEventCodeList',
  confidentialityCode: '$XDSDocumentEntryConfidentialityCode',
  authorPerson: '$XDSDocumentEntryAuthorPerson',
  formatCode: '$XDSDocumentEntryFormatCode',
  status: '$XDSDocumentEntryStatus',
  type: '$XDSDocumentEntryType',
  referenceIdList: '$XDSDocumentEntryReferenceIdList',
  entryUuid: '$XDSDocumentEntryEntryUUID',
  uniqueId: '$XDSDocumentEntryUniqueId',
  logicalId: '$XDSDocumentEntryLogicalID',
  metadataLevel: '$MetadataLevel',
  homeCommunityId: '$homeCommunityId',
} as const;

/** The FindDocuments parameters other than the patient id (Table 3.18.4.1.2.3.7.1-1). */
export const documentEntrySearchSpecs: ParamSpecs = {
  [P.classCode]: { kind: 'code', multiple: true },
  [P.typeCode]: { kind: 'code', multiple: true },
  [P.practiceSettingCode]: { kind: 'code', multiple: true },
  [P.creationTimeFrom]: { kind: 'time' },
  [P.creationTimeTo]: { kind: 'time' },
  [P.serviceStartTimeFrom]: { kind: 'time' },
  [P.serviceStartTimeTo]: { kind: 'time' },
  [P.serviceStopTimeFrom]: { kind: 'time' },
  [P.serviceStopTimeTo]: { kind: 'time' },
  [P.healthcareFacilityTypeCode]: { kind: 'code', multiple: true },
  [P.eventCodeList]: { kind: 'code', multiple: true, andOr: true },
  [P.confidentialityCode]: { kind: 'code', multiple: true, andOr: true },
  [P.authorPerson]: { kind: 'pattern', multiple: true },
  [P.formatCode]: { kind: 'code', multiple: true },
  [P.status]: { kind: 'string', multiple: true, required: true },
  [P.type]: { kind: 'string', multiple: true },
  [P.metadataLevel]: { kind: 'integer' },
  [P.homeCommunityId]: { kind: 'string' },
};

/**
 * $XDSDocumentEntryType: stable and/or on-demand objectType UUIDs; absent = stable only
 * (ITI TF-2a §3.18.4.1.2.3.6.2).
 */
export function objectTypes(params: QueryParams): string[] {
  return params.list(P.type) ?? [DocumentEntryType.Stable];
}

/** Compiles the FindDocuments search parameters (everything except patient ids) to a filter. */
export function compileDocumentEntrySearch(params: QueryParams): DocumentEntryFilter {
  const f: DocumentEntryFilter = {
    statuses: params.statuses(P.status),
    objectTypes: objectTypes(params),
    allVersions: params.metadataLevel() === 2,
  };
  const set = <K extends keyof DocumentEntryFilter>(k: K, v: DocumentEntryFilter[K] | undefined): void => {
    if (v !== undefined) f[k] = v;
  };
  set('classCode', params.codes(P.classCode));
  set('typeCode', params.codes(P.typeCode));
  set('practiceSettingCode', params.codes(P.practiceSettingCode));
  set('healthcareFacilityTypeCode', params.codes(P.healthcareFacilityTypeCode));
  set('eventCode', params.codes(P.eventCodeList));
  set('confidentialityCode', params.codes(P.confidentialityCode));
  set('formatCode', params.codes(P.formatCode));
  set('creationTime', params.timeRange(P.creationTimeFrom, P.creationTimeTo));
  set('serviceStartTime', params.timeRange(P.serviceStartTimeFrom, P.serviceStartTimeTo));
  set('serviceStopTime', params.timeRange(P.serviceStopTimeFrom, P.serviceStopTimeTo));
  set('authorPersons', params.list(P.authorPerson));
  return f;
}

/** The content filters of GetSubmissionSetAndContents / GetFolderAndContents / GetAll (format, confidentiality, type). */
export const contentFilterSpecs: ParamSpecs = {
  [P.formatCode]: { kind: 'code', multiple: true },
  [P.confidentialityCode]: { kind: 'code', multiple: true, andOr: true },
  [P.type]: { kind: 'string', multiple: true },
};

export function compileContentFilter(params: QueryParams): DocumentEntryFilter {
  const f: DocumentEntryFilter = { objectTypes: objectTypes(params) };
  const format = params.codes(P.formatCode);
  const conf = params.codes(P.confidentialityCode);
  if (format) f.formatCode = format;
  if (conf) f.confidentialityCode = conf;
  return f;
}
