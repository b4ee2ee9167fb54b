/**
 * Test helper: sets one profile attribute of a decoded Submission to given values (an empty list removes
 * it), so each rule test can break exactly one attribute.
 */
import type { AttributeValue, RuleObjectKind } from '../../../src/xds/validate/attributes.js';
import type { Code, Submission } from '../../../src/xds/model/types.js';

type FieldType = 'str' | 'num' | 'code' | 'list' | 'text';
const F = (field: string, type: FieldType): [string, FieldType] => [field, type];

const FIELDS: Record<RuleObjectKind, Record<string, [string, FieldType]>> = {
  DocumentEntry: {
    author: F('authors', 'list'), classCode: F('classCode', 'code'), comments: F('comments', 'text'),
    confidentialityCode: F('confidentialityCodes', 'list'), creationTime: F('creationTime', 'str'), entryUUID: F('entryUuid', 'str'),
    eventCodeList: F('eventCodes', 'list'), formatCode: F('formatCode', 'code'), hash: F('hash', 'str'),
    healthcareFacilityTypeCode: F('healthcareFacilityTypeCode', 'code'), homeCommunityId: F('homeCommunityId', 'str'),
    languageCode: F('languageCode', 'str'), legalAuthenticator: F('legalAuthenticator', 'str'), mimeType: F('mimeType', 'str'),
    objectType: F('objectType', 'str'), patientId: F('patientId', 'str'), practiceSettingCode: F('practiceSettingCode', 'code'),
    referenceIdList: F('referenceIds', 'list'), repositoryUniqueId: F('repositoryUniqueId', 'str'),
    serviceStartTime: F('serviceStartTime', 'str'), serviceStopTime: F('serviceStopTime', 'str'), size: F('size', 'num'),
    sourcePatientId: F('sourcePatientId', 'str'), sourcePatientInfo: F('sourcePatientInfo', 'list'), title: F('title', 'text'),
    typeCode: F('typeCode', 'code'), uniqueId: F('uniqueId', 'str'), URI: F('uri', 'str'),
  },
  SubmissionSet: {
    author: F('authors', 'list'), comments: F('comments', 'text'), contentTypeCode: F('contentTypeCode', 'code'),
    entryUUID: F('entryUuid', 'str'), homeCommunityId: F('homeCommunityId', 'str'), intendedRecipient: F('intendedRecipients', 'list'),
    patientId: F('patientId', 'str'), sourceId: F('sourceId', 'str'), submissionTime: F('submissionTime', 'str'),
    title: F('title', 'text'), uniqueId: F('uniqueId', 'str'),
  },
  Folder: {
    codeList: F('codeList', 'list'), comments: F('comments', 'text'), entryUUID: F('entryUuid', 'str'),
    homeCommunityId: F('homeCommunityId', 'str'), patientId: F('patientId', 'str'), title: F('title', 'text'), uniqueId: F('uniqueId', 'str'),
  },
  Author: {
    authorPerson: F('person', 'str'), authorInstitution: F('institutions', 'list'), authorRole: F('roles', 'list'),
    authorSpecialty: F('specialties', 'list'), authorTelecommunication: F('telecoms', 'list'),
  },
  Association: {
    entryUUID: F('entryUuid', 'str'), associationType: F('associationType', 'str'), sourceObject: F('sourceUuid', 'str'), targetObject: F('targetUuid', 'str'),
  },
};

export function targetOf(s: Submission, kind: RuleObjectKind): Record<string, unknown> {
  switch (kind) {
    case 'DocumentEntry': return s.documents[0] as unknown as Record<string, unknown>;
    case 'SubmissionSet': return s.submissionSet as unknown as Record<string, unknown>;
    case 'Folder': return s.folders[0] as unknown as Record<string, unknown>;
    case 'Association': return s.associations[0] as unknown as Record<string, unknown>;
    case 'Author': return s.documents[0]!.authors[0] as unknown as Record<string, unknown>;
  }
}

/** Required string fields of the model stay present as '' (that is how the decoder reports them missing). */
const REQUIRED_STRINGS = new Set(['entryUuid', 'mimeType', 'objectType', 'patientId', 'uniqueId', 'sourceId', 'associationType', 'sourceUuid', 'targetUuid']);

export function setAttribute(s: Submission, kind: RuleObjectKind, attr: string, values: AttributeValue[]): void {
  const [field, type] = FIELDS[kind][attr]!;
  const o = targetOf(s, kind);
  if (type === 'list') o[field] = values;
  else if (values.length === 0) {
    if (REQUIRED_STRINGS.has(field)) o[field] = '';
    else delete o[field];
  } else if (type === 'text') o[field] = { value: values[0] as string };
  else if (type === 'num') o[field] = values[0] as unknown as number;
  else if (type === 'code') o[field] = values[0] as Code;
  else o[field] = values[0];
}

export function hasField(kind: RuleObjectKind, attr: string): boolean {
  return FIELDS[kind][attr] !== undefined;
}
