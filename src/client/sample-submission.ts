/**
 * Builds a complete, valid XDS.b submission (one SubmissionSet, one DocumentEntry, the HasMember
 * association) from the domain model, encoded by the hub's own ebRIM encoder. Used by the `demo` command
 * and the benchmarks; the values satisfy the XDS.b generic profile's required attributes (ITI TF-3
 * Table 4.3.1-3).
 */
import { randomUUID } from 'node:crypto';
import { NS } from '../xds/ebrim/namespaces.js';
import { encodeRegistryObjectList } from '../xds/ebrim/encode-objects.js';
import {
  AssociationType,
  DocumentEntryType,
  Status,
  type Association,
  type DocumentEntry,
  type SubmissionSet,
} from '../xds/model/types.js';

export interface SampleSubmissionOptions {
  patientId: string;
  documentUniqueId: string;
  submissionSetUniqueId: string;
  sourceId: string;
  mimeType: string;
  title: string;
  /** HL7 DTM, UTC. */
  now: string;
  classCode?: { code: string; scheme: string; display: string };
}

export interface SampleSubmission {
  /** the DocumentEntry's entryUUID: the xdsb:Document id of the PnR request. */
  documentEntryUuid: string;
  submitObjectsRequestXml: string;
}

export function hl7Now(date = new Date()): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

export function sampleSubmission(o: SampleSubmissionOptions): SampleSubmission {
  const docId = `urn:uuid:${randomUUID()}`;
  const ssId = `urn:uuid:${randomUUID()}`;
  const author = {
    person: '^Hansen^Hans^^^Dr.',
    institutions: ['Demo Hospital^^^^^&1.2.208.176.1&ISO^^^^1.2.208.176.1.1'],
    roles: ['Attending'],
    specialties: ['General Medicine'],
    telecoms: [],
  };
  const doc: DocumentEntry = {
    kind: 'DocumentEntry',
    entryUuid: docId,
    logicalId: docId,
    version: 1,
    status: Status.Approved,
    objectType: DocumentEntryType.Stable,
    mimeType: o.mimeType,
    patientId: o.patientId,
    uniqueId: o.documentUniqueId,
    title: { value: o.title, lang: 'en-US' },
    creationTime: o.now,
    serviceStartTime: o.now,
    languageCode: 'en-US',
    sourcePatientId: o.patientId,
    sourcePatientInfo: ['PID-3|' + o.patientId, 'PID-5|Doe^Jane^^^', 'PID-7|19700101', 'PID-8|F'],
    classCode: o.classCode ?? { code: 'DEMO-CLASS', scheme: '1.3.6.1.4.1.21367.100.1', display: 'Demo class' },
    typeCode: { code: 'DEMO-TYPE', scheme: '1.3.6.1.4.1.21367.100.1', display: 'Demo type' },
    formatCode: { code: 'urn:ihe:iti:xds:2017:mimeTypeSufficient', scheme: '1.3.6.1.4.1.19376.1.2.3', display: 'mimeType Sufficient' },
    healthcareFacilityTypeCode: { code: 'DEMO-HCFT', scheme: '1.3.6.1.4.1.21367.100.1', display: 'Demo facility' },
    practiceSettingCode: { code: 'DEMO-PS', scheme: '1.3.6.1.4.1.21367.100.1', display: 'Demo practice' },
    confidentialityCodes: [{ code: 'N', scheme: '2.16.840.1.113883.5.25', display: 'normal' }],
    eventCodes: [],
    authors: [author],
    referenceIds: [],
    extraSlots: [],
  };
  const ss: SubmissionSet = {
    kind: 'SubmissionSet',
    entryUuid: ssId,
    logicalId: ssId,
    version: 1,
    status: Status.Approved,
    patientId: o.patientId,
    uniqueId: o.submissionSetUniqueId,
    sourceId: o.sourceId,
    submissionTime: o.now,
    contentTypeCode: { code: 'DEMO-CT', scheme: '1.3.6.1.4.1.21367.100.1', display: 'Demo content' },
    title: { value: `Submission of ${o.title}`, lang: 'en-US' },
    authors: [author],
    intendedRecipients: [],
    extraSlots: [],
  };
  const assoc: Association = {
    kind: 'Association',
    entryUuid: `urn:uuid:${randomUUID()}`,
    logicalId: '',
    version: 1,
    status: Status.Approved,
    associationType: AssociationType.HasMember,
    sourceUuid: ssId,
    targetUuid: docId,
    codes: [],
    extraSlots: [{ name: 'SubmissionSetStatus', values: ['Original'] }],
  };
  assoc.logicalId = assoc.entryUuid;
  const list = encodeRegistryObjectList([ss, doc, assoc], 'LeafClass');
  return {
    documentEntryUuid: docId,
    submitObjectsRequestXml: `<lcm:SubmitObjectsRequest xmlns:lcm="${NS.lcm}">${list}</lcm:SubmitObjectsRequest>`,
  };
}
