/**
 * The XDS.b domain model (IHE ITI TF-3 §4.2 "Metadata Attributes", §4.1 "Metadata Object Types").
 *
 * These are clean domain objects, decoupled from the ebRIM wire form (src/xds/ebrim/ maps between the
 * two). Every object keeps the Slots the XDS tables do not define (`extraSlots`), because ITI TF-3
 * §4.1.14 requires a registry to store and return them.
 *
 * Times are kept as the HL7 DTM strings the submitter sent (YYYY[MM[DD[hh[mm[ss]]]]], UTC), because
 * stored-query time comparisons (ITI TF-2a §3.18.4.1.2.3.6) are defined on those strings.
 */

/** ebRIM status URNs (ITI TF-3 §4.2.3.2.6). */
export const Status = {
  Approved: 'urn:oasis:names:tc:ebxml-regrep:StatusType:Approved',
  Deprecated: 'urn:oasis:names:tc:ebxml-regrep:StatusType:Deprecated',
  Submitted: 'urn:oasis:names:tc:ebxml-regrep:StatusType:Submitted',
} as const;
export type AvailabilityStatus = (typeof Status)[keyof typeof Status];

/** An ebRIM Slot (rim:Slot): a name with a list of string values. */
export interface Slot {
  name: string;
  values: string[];
  slotType?: string;
}

/** An ebRIM InternationalString with one LocalizedString (XDS uses one). */
export interface LocalizedText {
  value: string;
  lang?: string;
  charset?: string;
}

/**
 * A coded value carried as an ebRIM Classification (ITI TF-3 §4.2.3.1.2):
 * nodeRepresentation = code, Slot codingScheme = scheme, Name = display name.
 */
export interface Code {
  code: string;
  scheme: string;
  display?: string;
  /** id of the Classification that carried it; kept so re-encoded metadata is stable. */
  classificationId?: string;
}

/**
 * The Author classification (ITI TF-3 §4.2.3.1.4). Values stay HL7 strings (XCN, XON, XTN);
 * src/xds/model/hl7.ts splits them into fields where a caller needs them.
 */
export interface Author {
  person?: string;
  institutions: string[];
  roles: string[];
  specialties: string[];
  telecoms: string[];
  classificationId?: string;
}

/** What every XDS metadata object shares (ITI TF-3 §4.1.3). */
export interface RegistryObjectBase {
  /** entryUUID: the ebRIM id, always `urn:uuid:...` once stored. */
  entryUuid: string;
  /** logicalID (lid); equals entryUuid for the first version (ITI TF-3 §4.1.3.2). */
  logicalId: string;
  /** VersionInfo/@versionName; "1" for a first submission (ITI-57 raises it). */
  version: number;
  status: AvailabilityStatus;
  homeCommunityId?: string;
  title?: LocalizedText;
  comments?: LocalizedText;
  /** Slots not defined by the XDS tables, stored and returned as sent (ITI TF-3 §4.1.14). */
  extraSlots: Slot[];
}

/** objectType of a DocumentEntry (ITI TF-3 §4.2.3.2.18). */
export const DocumentEntryType = {
  Stable: 'urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1',
  OnDemand: 'urn:uuid:34268e47-fdf5-41a6-ba33-82133c465248',
} as const;

/** XDSDocumentEntry (ITI TF-3 §4.2.3.2, Table 4.2.3.2-1). */
export interface DocumentEntry extends RegistryObjectBase {
  kind: 'DocumentEntry';
  objectType: string;
  mimeType: string;
  /** patientId as HL7 CX, e.g. `123^^^&1.2.3&ISO`. */
  patientId: string;
  uniqueId: string;
  hash?: string;
  size?: number;
  repositoryUniqueId?: string;
  uri?: string;
  creationTime?: string;
  serviceStartTime?: string;
  serviceStopTime?: string;
  languageCode?: string;
  legalAuthenticator?: string;
  sourcePatientId?: string;
  sourcePatientInfo: string[];
  classCode?: Code;
  typeCode?: Code;
  formatCode?: Code;
  healthcareFacilityTypeCode?: Code;
  practiceSettingCode?: Code;
  confidentialityCodes: Code[];
  eventCodes: Code[];
  authors: Author[];
  /** referenceIdList values (CXi), ITI TF-3 §4.2.3.2.28. */
  referenceIds: string[];
  /** documentAvailability (Online/Offline) of ITI-57 / On-Demand, when sent. */
  documentAvailability?: string;
}

/** XDSSubmissionSet (ITI TF-3 §4.2.3.3). */
export interface SubmissionSet extends RegistryObjectBase {
  kind: 'SubmissionSet';
  patientId: string;
  uniqueId: string;
  sourceId: string;
  submissionTime?: string;
  contentTypeCode?: Code;
  authors: Author[];
  intendedRecipients: string[];
}

/** XDSFolder (ITI TF-3 §4.2.3.4). */
export interface Folder extends RegistryObjectBase {
  kind: 'Folder';
  patientId: string;
  uniqueId: string;
  codeList: Code[];
  /** Set and kept by the registry (ITI TF-3 §4.2.3.4.4). */
  lastUpdateTime?: string;
}

/** Association types used by XDS (ITI TF-3 §4.2.2). */
export const AssociationType = {
  HasMember: 'urn:oasis:names:tc:ebxml-regrep:AssociationType:HasMember',
  Replace: 'urn:ihe:iti:2007:AssociationType:RPLC',
  Append: 'urn:ihe:iti:2007:AssociationType:APND',
  Transform: 'urn:ihe:iti:2007:AssociationType:XFRM',
  TransformAndReplace: 'urn:ihe:iti:2007:AssociationType:XFRM_RPLC',
  Signs: 'urn:ihe:iti:2007:AssociationType:signs',
  IsSnapshotOf: 'urn:ihe:iti:2007:AssociationType:IsSnapshotOf',
  /** ITI-57 Update Document Set marker association (ITI TF-3 §4.2.2.4 / ITI-57). */
  UpdateAvailabilityStatus: 'urn:ihe:iti:2010:AssociationType:UpdateAvailabilityStatus',
  SubmitAssociation: 'urn:ihe:iti:2010:AssociationType:SubmitAssociation',
} as const;

/** An ebRIM Association between two registry objects (ITI TF-3 §4.2.2). */
export interface Association extends Omit<RegistryObjectBase, 'title' | 'comments'> {
  kind: 'Association';
  associationType: string;
  sourceUuid: string;
  targetUuid: string;
  /** Classifications on the association (e.g. the documentation/signs code), kept as codes. */
  codes: Code[];
}

export type RegistryObject = DocumentEntry | SubmissionSet | Folder | Association;
export type RegistryObjectKind = RegistryObject['kind'];

/** A whole ITI-41/42 submission after decoding (ITI TF-3 §4.1.4: one SubmissionSet per request). */
export interface Submission {
  submissionSet: SubmissionSet;
  documents: DocumentEntry[];
  folders: Folder[];
  associations: Association[];
}
