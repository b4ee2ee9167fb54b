/**
 * Small builders of XDS domain objects for tests (ITI TF-3 §4.2). Every builder returns a complete,
 * valid-looking object with fresh ids; pass overrides for what the test is about.
 *   const de = documentEntry({ patientId: PATIENT, classCode: code('11488-4', LOINC) });
 */
import { randomUUID } from 'node:crypto';
import {
  AssociationType,
  DocumentEntryType,
  Status,
  type Association,
  type Author,
  type Code,
  type DocumentEntry,
  type Folder,
  type SubmissionSet,
} from '../../src/xds/model/types.js';

export const PATIENT = '4711^^^&1.2.208.176.1.2&ISO';
export const OTHER_PATIENT = '4712^^^&1.2.208.176.1.2&ISO';
export const LOINC = '2.16.840.1.113883.6.1';
export const CONNECTATHON = '1.3.6.1.4.1.21367.100.1';

export function uuid(): string {
  return `urn:uuid:${randomUUID()}`;
}

/** A fresh OID-style uniqueId (ITI TF-3 §4.2.3.2.26). */
export function oid(root = '1.2.208.184.100'): string {
  const n = BigInt(`0x${randomUUID().replace(/-/g, '')}`);
  return `${root}.${n.toString().slice(0, 30)}`;
}

export function code(value: string, scheme = CONNECTATHON, display?: string): Code {
  return display === undefined ? { code: value, scheme } : { code: value, scheme, display };
}

export function author(person: string, extra: Partial<Author> = {}): Author {
  return { person, institutions: [], roles: [], specialties: [], telecoms: [], ...extra };
}

export function documentEntry(overrides: Partial<DocumentEntry> = {}): DocumentEntry {
  const entryUuid = overrides.entryUuid ?? uuid();
  return {
    kind: 'DocumentEntry',
    entryUuid,
    logicalId: entryUuid,
    version: 1,
    status: Status.Approved,
    extraSlots: [],
    objectType: DocumentEntryType.Stable,
    mimeType: 'text/xml',
    patientId: PATIENT,
    uniqueId: oid(),
    hash: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
    size: 0,
    repositoryUniqueId: '1.3.6.1.4.1.21367.2010.1.2.1125',
    creationTime: '20241224101500',
    serviceStartTime: '20241223080000',
    serviceStopTime: '20241223090000',
    languageCode: 'da-DK',
    sourcePatientId: PATIENT,
    sourcePatientInfo: [],
    title: { value: 'Test document' },
    classCode: code('Summarization', CONNECTATHON),
    typeCode: code('11488-4', LOINC),
    formatCode: code('urn:ihe:pcc:xphr:2007', '1.3.6.1.4.1.19376.1.2.3'),
    healthcareFacilityTypeCode: code('Outpatient', CONNECTATHON),
    practiceSettingCode: code('General Medicine', CONNECTATHON),
    confidentialityCodes: [code('N', '2.16.840.1.113883.5.25')],
    eventCodes: [],
    authors: [author('^Dopplemeyer^Sherry^^^')],
    referenceIds: [],
    ...overrides,
  };
}

export function submissionSet(overrides: Partial<SubmissionSet> = {}): SubmissionSet {
  const entryUuid = overrides.entryUuid ?? uuid();
  return {
    kind: 'SubmissionSet',
    entryUuid,
    logicalId: entryUuid,
    version: 1,
    status: Status.Approved,
    extraSlots: [],
    patientId: PATIENT,
    uniqueId: oid(),
    sourceId: '1.3.6.1.4.1.21367.2010.1.2',
    submissionTime: '20241224101600',
    contentTypeCode: code('Group counseling', CONNECTATHON),
    authors: [author('^Smitty^Gerald^^^')],
    intendedRecipients: [],
    ...overrides,
  };
}

export function folder(overrides: Partial<Folder> = {}): Folder {
  const entryUuid = overrides.entryUuid ?? uuid();
  return {
    kind: 'Folder',
    entryUuid,
    logicalId: entryUuid,
    version: 1,
    status: Status.Approved,
    extraSlots: [],
    patientId: PATIENT,
    uniqueId: oid(),
    codeList: [code('Referrals', CONNECTATHON)],
    lastUpdateTime: '20241224101600',
    ...overrides,
  };
}

export function association(
  sourceUuid: string,
  targetUuid: string,
  overrides: Partial<Association> = {},
): Association {
  const entryUuid = overrides.entryUuid ?? uuid();
  return {
    kind: 'Association',
    entryUuid,
    logicalId: entryUuid,
    version: 1,
    status: Status.Approved,
    extraSlots: [],
    associationType: AssociationType.HasMember,
    sourceUuid,
    targetUuid,
    codes: [],
    ...overrides,
  };
}

/**
 * A whole submission as ITI-42 stores it: SubmissionSet + documents + HasMember associations
 * (SubmissionSetStatus Original, ITI TF-3 §4.2.2.1.1).
 */
export function submission(documents: DocumentEntry[], ss: SubmissionSet = submissionSet()) {
  const members = documents.map((d) =>
    association(ss.entryUuid, d.entryUuid, {
      extraSlots: [{ name: 'SubmissionSetStatus', values: ['Original'] }],
    }),
  );
  return { submissionSet: ss, documents, associations: members, objects: [ss, ...documents, ...members] };
}
