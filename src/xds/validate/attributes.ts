/**
 * How a profile's attribute names (the names of ITI TF-3 Table 4.3.1-3) are read from the domain
 * objects. Each accessor returns the attribute's values as a list: strings, Codes or Authors; an absent
 * attribute is an empty list, so cardinality is simply the list length.
 */
import type { Association, Author, Code, DocumentEntry, Folder, SubmissionSet } from '../model/types.js';

export type AttributeValue = string | Code | Author;
export type Accessor<T> = (o: T) => AttributeValue[];

const str = (v: string | number | undefined): string[] => (v === undefined || v === '' ? [] : [String(v)]);
const code = (c: Code | undefined): Code[] => (c ? [c] : []);

export const DOCUMENT_ENTRY: Readonly<Record<string, Accessor<DocumentEntry>>> = {
  author: (d) => d.authors,
  classCode: (d) => code(d.classCode),
  comments: (d) => str(d.comments?.value),
  confidentialityCode: (d) => d.confidentialityCodes,
  creationTime: (d) => str(d.creationTime),
  entryUUID: (d) => str(d.entryUuid),
  eventCodeList: (d) => d.eventCodes,
  formatCode: (d) => code(d.formatCode),
  hash: (d) => str(d.hash),
  healthcareFacilityTypeCode: (d) => code(d.healthcareFacilityTypeCode),
  homeCommunityId: (d) => str(d.homeCommunityId),
  languageCode: (d) => str(d.languageCode),
  legalAuthenticator: (d) => str(d.legalAuthenticator),
  mimeType: (d) => str(d.mimeType),
  objectType: (d) => str(d.objectType),
  patientId: (d) => str(d.patientId),
  practiceSettingCode: (d) => code(d.practiceSettingCode),
  referenceIdList: (d) => d.referenceIds,
  repositoryUniqueId: (d) => str(d.repositoryUniqueId),
  serviceStartTime: (d) => str(d.serviceStartTime),
  serviceStopTime: (d) => str(d.serviceStopTime),
  size: (d) => str(d.size),
  sourcePatientId: (d) => str(d.sourcePatientId),
  sourcePatientInfo: (d) => d.sourcePatientInfo,
  title: (d) => str(d.title?.value),
  typeCode: (d) => code(d.typeCode),
  uniqueId: (d) => str(d.uniqueId),
  URI: (d) => str(d.uri),
};

export const SUBMISSION_SET: Readonly<Record<string, Accessor<SubmissionSet>>> = {
  author: (s) => s.authors,
  comments: (s) => str(s.comments?.value),
  contentTypeCode: (s) => code(s.contentTypeCode),
  entryUUID: (s) => str(s.entryUuid),
  homeCommunityId: (s) => str(s.homeCommunityId),
  intendedRecipient: (s) => s.intendedRecipients,
  patientId: (s) => str(s.patientId),
  sourceId: (s) => str(s.sourceId),
  submissionTime: (s) => str(s.submissionTime),
  title: (s) => str(s.title?.value),
  uniqueId: (s) => str(s.uniqueId),
};

export const FOLDER: Readonly<Record<string, Accessor<Folder>>> = {
  codeList: (f) => f.codeList,
  comments: (f) => str(f.comments?.value),
  entryUUID: (f) => str(f.entryUuid),
  homeCommunityId: (f) => str(f.homeCommunityId),
  patientId: (f) => str(f.patientId),
  title: (f) => str(f.title?.value),
  uniqueId: (f) => str(f.uniqueId),
};

export const AUTHOR: Readonly<Record<string, Accessor<Author>>> = {
  authorPerson: (a) => str(a.person),
  authorInstitution: (a) => a.institutions,
  authorRole: (a) => a.roles,
  authorSpecialty: (a) => a.specialties,
  authorTelecommunication: (a) => a.telecoms,
};

export const ASSOCIATION: Readonly<Record<string, Accessor<Association>>> = {
  entryUUID: (a) => str(a.entryUuid),
  associationType: (a) => str(a.associationType),
  sourceObject: (a) => str(a.sourceUuid),
  targetObject: (a) => str(a.targetUuid),
};

export const ACCESSORS = {
  DocumentEntry: DOCUMENT_ENTRY,
  SubmissionSet: SUBMISSION_SET,
  Folder: FOLDER,
  Author: AUTHOR,
  Association: ASSOCIATION,
} as const;

export type RuleObjectKind = keyof typeof ACCESSORS;
