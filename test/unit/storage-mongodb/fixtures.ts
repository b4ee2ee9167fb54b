/** Small domain objects for the MongoDB adapter unit tests. */
import {
  AssociationType,
  DocumentEntryType,
  Status,
  type Association,
  type DocumentEntry,
  type Folder,
  type SubmissionSet,
} from '../../../src/xds/model/types.js';

export const PID = 'P1^^^&1.2.3&ISO';
export const PID2 = 'P2^^^&1.2.3&ISO';

export function doc(n: number, over: Partial<DocumentEntry> = {}): DocumentEntry {
  const uuid = `urn:uuid:00000000-0000-0000-0000-${String(n).padStart(12, '0')}`;
  return {
    kind: 'DocumentEntry',
    entryUuid: uuid,
    logicalId: uuid,
    version: 1,
    status: Status.Approved,
    extraSlots: [],
    objectType: DocumentEntryType.Stable,
    mimeType: 'text/xml',
    patientId: PID,
    uniqueId: `1.2.3.${n}`,
    sourcePatientInfo: [],
    confidentialityCodes: [],
    eventCodes: [],
    authors: [],
    referenceIds: [],
    ...over,
  };
}

export function submissionSet(n: number, over: Partial<SubmissionSet> = {}): SubmissionSet {
  const uuid = `urn:uuid:11111111-0000-0000-0000-${String(n).padStart(12, '0')}`;
  return {
    kind: 'SubmissionSet',
    entryUuid: uuid,
    logicalId: uuid,
    version: 1,
    status: Status.Approved,
    extraSlots: [],
    patientId: PID,
    uniqueId: `1.2.4.${n}`,
    sourceId: '1.2.5',
    authors: [],
    intendedRecipients: [],
    ...over,
  };
}

export function folder(n: number, over: Partial<Folder> = {}): Folder {
  const uuid = `urn:uuid:22222222-0000-0000-0000-${String(n).padStart(12, '0')}`;
  return {
    kind: 'Folder',
    entryUuid: uuid,
    logicalId: uuid,
    version: 1,
    status: Status.Approved,
    extraSlots: [],
    patientId: PID,
    uniqueId: `1.2.6.${n}`,
    codeList: [],
    ...over,
  };
}

export function association(n: number, source: string, target: string, over: Partial<Association> = {}): Association {
  const uuid = `urn:uuid:33333333-0000-0000-0000-${String(n).padStart(12, '0')}`;
  return {
    kind: 'Association',
    entryUuid: uuid,
    logicalId: uuid,
    version: 1,
    status: Status.Approved,
    extraSlots: [],
    associationType: AssociationType.HasMember,
    sourceUuid: source,
    targetUuid: target,
    codes: [],
    ...over,
  };
}
