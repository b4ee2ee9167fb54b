/**
 * The fixed UUIDs of XDS metadata (ITI TF-3 §4.2.5 "Metadata Identifiers"; the IHE registry bootstrap
 * `XDSb.Registry.Initialization/initialize.xml` lists the same ClassificationSchemes, ClassificationNodes
 * and ExternalIdentifier schemes). The ebRIM wire form refers to attributes only through these ids, so the
 * codec (src/xds/ebrim/) and nothing else maps them to field names.
 */

/** ClassificationNodes that mark a RegistryPackage as SubmissionSet / Folder (ITI TF-3 §4.2.5.1). */
export const ClassificationNode = {
  SubmissionSet: 'urn:uuid:a54d6aa5-d40d-43f9-88c5-b4633d873bdd',
  Folder: 'urn:uuid:d9d542f3-6cc4-48b6-8870-ea235fbc94c2',
} as const;

/** ExtrinsicObject objectTypes (ITI TF-3 §4.2.5.2, Table 4.2.5.2-1). */
export const ObjectTypeUuid = {
  StableDocumentEntry: 'urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1',
  OnDemandDocumentEntry: 'urn:uuid:34268e47-fdf5-41a6-ba33-82133c465248',
  /** The "XDSDocumentEntryStub" node of the IHE bootstrap (historic; never a valid submission type). */
  DocumentEntryStub: 'urn:uuid:10aa1a4b-715a-4120-bfd0-9760414112c8',
} as const;

/** ebRIM 3.0 objectType URNs of the other RegistryObject classes (ebRIM 3.0 §2, canonical ObjectType scheme). */
export const RimObjectType = {
  RegistryPackage: 'urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:RegistryPackage',
  Association: 'urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:Association',
  Classification: 'urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:Classification',
  ExternalIdentifier: 'urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:ExternalIdentifier',
  ExtrinsicObject: 'urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:ExtrinsicObject',
} as const;

/** DocumentEntry classification schemes (ITI TF-3 §4.2.5.1, Table 4.2.5.1-1). */
export const DocumentEntryScheme = {
  author: 'urn:uuid:93606bcf-9494-43ec-9b4e-a7748d1a838d',
  classCode: 'urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a',
  confidentialityCode: 'urn:uuid:f4f85eac-e6cb-4883-b524-f2705394840f',
  eventCodeList: 'urn:uuid:2c6b8cb7-8b2a-4051-b291-b1ae6a575ef4',
  formatCode: 'urn:uuid:a09d5840-386c-46f2-b5ad-9c3699a4309d',
  healthcareFacilityTypeCode: 'urn:uuid:f33fb8ac-18af-42cc-ae0e-ed0b0bdb91e1',
  practiceSettingCode: 'urn:uuid:cccf5598-8b07-4b77-a05e-ae952c785ead',
  typeCode: 'urn:uuid:f0306f51-975f-434e-a61c-c59651d33983',
  limitedMetadata: 'urn:uuid:ab9b591b-83ab-4d03-8f5d-f93b1fb92e85',
} as const;

/** DocumentEntry external identifier schemes (ITI TF-3 §4.2.5.2). */
export const DocumentEntryIdentifier = {
  patientId: 'urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427',
  uniqueId: 'urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab',
} as const;

/** SubmissionSet classification schemes (ITI TF-3 §4.2.5.1). */
export const SubmissionSetScheme = {
  author: 'urn:uuid:a7058bb9-b4e4-4307-ba5b-e3f0ab85e12d',
  contentTypeCode: 'urn:uuid:aa543740-bdda-424e-8c96-df4873be8500',
  limitedMetadata: 'urn:uuid:5003a9db-8d8d-49e6-bf0c-990e34ac7707',
} as const;

/** SubmissionSet external identifier schemes (ITI TF-3 §4.2.5.2). */
export const SubmissionSetIdentifier = {
  patientId: 'urn:uuid:6b5aea1a-874d-4603-a4bc-96a0a7b38446',
  uniqueId: 'urn:uuid:96fdda7c-d067-4183-912e-bf5ee74998a8',
  sourceId: 'urn:uuid:554ac39e-e3fe-47fe-b233-965d2a147832',
} as const;

/** Folder classification schemes (ITI TF-3 §4.2.5.1). */
export const FolderScheme = {
  codeList: 'urn:uuid:1ba97051-7806-41a8-a48b-8fce7af683c5',
  limitedMetadata: 'urn:uuid:2c144a76-29a9-4b7c-af54-b25409fe7d03',
} as const;

/** Folder external identifier schemes (ITI TF-3 §4.2.5.2). */
export const FolderIdentifier = {
  patientId: 'urn:uuid:f64ffdf0-4b97-4e06-b79f-a52b38ec2f8a',
  uniqueId: 'urn:uuid:75df8f67-9973-4fbe-a900-df66cefecc5a',
} as const;

/** The association documentation classification (ITI TF-3 §4.2.2.3, "Association Documentation"). */
export const AssociationScheme = {
  documentation: 'urn:uuid:abd807a3-4432-4053-87b4-fd82c643d1f3',
} as const;

/** The ExternalIdentifier Name the TF recommends next to each scheme (ITI TF-3 Table 4.2.3.2-1 etc.). */
export const IdentifierName: Readonly<Record<string, string>> = {
  [DocumentEntryIdentifier.patientId]: 'XDSDocumentEntry.patientId',
  [DocumentEntryIdentifier.uniqueId]: 'XDSDocumentEntry.uniqueId',
  [SubmissionSetIdentifier.patientId]: 'XDSSubmissionSet.patientId',
  [SubmissionSetIdentifier.uniqueId]: 'XDSSubmissionSet.uniqueId',
  [SubmissionSetIdentifier.sourceId]: 'XDSSubmissionSet.sourceId',
  [FolderIdentifier.patientId]: 'XDSFolder.patientId',
  [FolderIdentifier.uniqueId]: 'XDSFolder.uniqueId',
};

/** Every fixed UUID above, for "is this a metadata-defined id" checks. */
export const AllXdsUuids: ReadonlySet<string> = new Set<string>([
  ...Object.values(ClassificationNode),
  ...Object.values(ObjectTypeUuid),
  ...Object.values(DocumentEntryScheme),
  ...Object.values(DocumentEntryIdentifier),
  ...Object.values(SubmissionSetScheme),
  ...Object.values(SubmissionSetIdentifier),
  ...Object.values(FolderScheme),
  ...Object.values(FolderIdentifier),
  ...Object.values(AssociationScheme),
]);
