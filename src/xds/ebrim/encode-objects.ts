/**
 * RegistryObject → ebRIM 3.0 XML (ITI TF-3 §4.2.3 wire form; ebRIM 3.0 rim.xsd content model:
 * Slot*, Name?, Description?, VersionInfo?, Classification*, ExternalIdentifier*). Used for stored-query
 * results (ITI TF-2a §3.18.4.1.3: LeafClass or ObjectRef) and anywhere metadata is shown as XML.
 * Output is deterministic: stored Classification ids are reused and the others are derived from the
 * object's entryUUID, so the same object always encodes to the same bytes.
 */
import type { Association, Author, DocumentEntry, Folder, RegistryObject, Slot, SubmissionSet } from '../model/types.js';
import {
  AssociationScheme,
  ClassificationNode,
  DocumentEntryIdentifier,
  DocumentEntryScheme,
  FolderIdentifier,
  FolderScheme,
  IdentifierName,
  RimObjectType,
  SubmissionSetIdentifier,
  SubmissionSetScheme,
} from '../model/uuids.js';
import { NS } from './namespaces.js';
import {
  attrs,
  codeXml,
  derivedUuid,
  externalIdentifierXml,
  localizedXml,
  nodeClassificationXml,
  slotXml,
} from './write-rim.js';

export type ReturnType = 'LeafClass' | 'ObjectRef';

export interface EncodeOptions {
  /** homeCommunityId written as `home` on objects that do not carry their own (ITI TF-3 §4.2.3.2.12). */
  homeCommunityId?: string;
}

function slotsXml(slots: (Slot | undefined)[]): string {
  return slots
    .filter((s): s is Slot => s !== undefined && s.values.length > 0)
    .map(slotXml)
    .join('');
}

function one(name: string, value: string | number | undefined): Slot | undefined {
  return value === undefined ? undefined : { name, values: [String(value)] };
}

function many(name: string, values: string[]): Slot | undefined {
  return values.length ? { name, values } : undefined;
}

function versionXml(version: number): string {
  return `<rim:VersionInfo versionName="${version}"/>`;
}

function authorXml(author: Author, scheme: string, classifiedObject: string, index: number): string {
  const id = author.classificationId ?? derivedUuid(classifiedObject, 'author', String(index));
  return (
    `<rim:Classification${attrs([
      ['id', id],
      ['objectType', RimObjectType.Classification],
      ['classificationScheme', scheme],
      ['classifiedObject', classifiedObject],
      ['nodeRepresentation', ''],
    ])}>` +
    slotsXml([
      author.person !== undefined ? { name: 'authorPerson', values: [author.person] } : undefined,
      many('authorInstitution', author.institutions),
      many('authorRole', author.roles),
      many('authorSpecialty', author.specialties),
      many('authorTelecommunication', author.telecoms),
    ]) +
    `</rim:Classification>`
  );
}

function commonAttrs(o: RegistryObject, options: EncodeOptions): [string, string | undefined][] {
  return [
    ['id', o.entryUuid],
    ['home', o.homeCommunityId ?? options.homeCommunityId],
    ['lid', o.logicalId],
    ['status', o.status],
  ];
}

/** URI longer than a Slot value (256 chars, rim.xsd LongName) is split "1|...", "2|..." (ITI TF-3 §4.2.3.2.30). */
function uriSlot(uri: string | undefined): Slot | undefined {
  if (uri === undefined) return undefined;
  if (uri.length <= 256) return { name: 'URI', values: [uri] };
  const values: string[] = [];
  for (let i = 0, n = 1; i < uri.length; n++) {
    const prefix = `${n}|`;
    const take = 256 - prefix.length;
    values.push(prefix + uri.slice(i, i + take));
    i += take;
  }
  return { name: 'URI', values };
}

export function encodeDocumentEntry(d: DocumentEntry, options: EncodeOptions = {}): string {
  const id = d.entryUuid;
  const s = DocumentEntryScheme;
  const single = (code: DocumentEntry['classCode'], scheme: string, role: string): string =>
    code ? codeXml(code, scheme, id, role) : '';
  return (
    `<rim:ExtrinsicObject${attrs([
      ['id', id],
      ['home', d.homeCommunityId ?? options.homeCommunityId],
      ['lid', d.logicalId],
      ['objectType', d.objectType],
      ['status', d.status],
      ['mimeType', d.mimeType],
    ])}>` +
    slotsXml([
      one('creationTime', d.creationTime),
      one('documentAvailability', d.documentAvailability),
      one('hash', d.hash),
      one('languageCode', d.languageCode),
      one('legalAuthenticator', d.legalAuthenticator),
      one('repositoryUniqueId', d.repositoryUniqueId),
      one('serviceStartTime', d.serviceStartTime),
      one('serviceStopTime', d.serviceStopTime),
      one('size', d.size),
      one('sourcePatientId', d.sourcePatientId),
      many('sourcePatientInfo', d.sourcePatientInfo),
      uriSlot(d.uri),
      many('urn:ihe:iti:xds:2013:referenceIdList', d.referenceIds),
      ...d.extraSlots,
    ]) +
    localizedXml('Name', d.title) +
    localizedXml('Description', d.comments) +
    versionXml(d.version) +
    d.authors.map((a, i) => authorXml(a, s.author, id, i)).join('') +
    single(d.classCode, s.classCode, 'classCode') +
    d.confidentialityCodes.map((c) => codeXml(c, s.confidentialityCode, id, 'confidentialityCode')).join('') +
    d.eventCodes.map((c) => codeXml(c, s.eventCodeList, id, 'eventCodeList')).join('') +
    single(d.formatCode, s.formatCode, 'formatCode') +
    single(d.healthcareFacilityTypeCode, s.healthcareFacilityTypeCode, 'healthcareFacilityTypeCode') +
    single(d.practiceSettingCode, s.practiceSettingCode, 'practiceSettingCode') +
    single(d.typeCode, s.typeCode, 'typeCode') +
    externalIdentifierXml(DocumentEntryIdentifier.patientId, IdentifierName[DocumentEntryIdentifier.patientId]!, d.patientId, id) +
    externalIdentifierXml(DocumentEntryIdentifier.uniqueId, IdentifierName[DocumentEntryIdentifier.uniqueId]!, d.uniqueId, id) +
    `</rim:ExtrinsicObject>`
  );
}

export function encodeSubmissionSet(ss: SubmissionSet, options: EncodeOptions = {}): string {
  const id = ss.entryUuid;
  return (
    `<rim:RegistryPackage${attrs([...commonAttrs(ss, options), ['objectType', RimObjectType.RegistryPackage]])}>` +
    slotsXml([one('submissionTime', ss.submissionTime), many('intendedRecipient', ss.intendedRecipients), ...ss.extraSlots]) +
    localizedXml('Name', ss.title) +
    localizedXml('Description', ss.comments) +
    versionXml(ss.version) +
    ss.authors.map((a, i) => authorXml(a, SubmissionSetScheme.author, id, i)).join('') +
    (ss.contentTypeCode ? codeXml(ss.contentTypeCode, SubmissionSetScheme.contentTypeCode, id, 'contentTypeCode') : '') +
    nodeClassificationXml(ClassificationNode.SubmissionSet, id) +
    externalIdentifierXml(SubmissionSetIdentifier.uniqueId, IdentifierName[SubmissionSetIdentifier.uniqueId]!, ss.uniqueId, id) +
    externalIdentifierXml(SubmissionSetIdentifier.sourceId, IdentifierName[SubmissionSetIdentifier.sourceId]!, ss.sourceId, id) +
    externalIdentifierXml(SubmissionSetIdentifier.patientId, IdentifierName[SubmissionSetIdentifier.patientId]!, ss.patientId, id) +
    `</rim:RegistryPackage>`
  );
}

export function encodeFolder(f: Folder, options: EncodeOptions = {}): string {
  const id = f.entryUuid;
  return (
    `<rim:RegistryPackage${attrs([...commonAttrs(f, options), ['objectType', RimObjectType.RegistryPackage]])}>` +
    slotsXml([one('lastUpdateTime', f.lastUpdateTime), ...f.extraSlots]) +
    localizedXml('Name', f.title) +
    localizedXml('Description', f.comments) +
    versionXml(f.version) +
    f.codeList.map((c) => codeXml(c, FolderScheme.codeList, id, 'codeList')).join('') +
    nodeClassificationXml(ClassificationNode.Folder, id) +
    externalIdentifierXml(FolderIdentifier.patientId, IdentifierName[FolderIdentifier.patientId]!, f.patientId, id) +
    externalIdentifierXml(FolderIdentifier.uniqueId, IdentifierName[FolderIdentifier.uniqueId]!, f.uniqueId, id) +
    `</rim:RegistryPackage>`
  );
}

export function encodeAssociation(a: Association, options: EncodeOptions = {}): string {
  return (
    `<rim:Association${attrs([
      ...commonAttrs(a, options),
      ['objectType', RimObjectType.Association],
      ['associationType', a.associationType],
      ['sourceObject', a.sourceUuid],
      ['targetObject', a.targetUuid],
    ])}>` +
    slotsXml(a.extraSlots) +
    a.codes.map((c) => codeXml(c, AssociationScheme.documentation, a.entryUuid, 'documentation')).join('') +
    `</rim:Association>`
  );
}

/** One object as LeafClass XML (rim: prefix; the caller's enclosing element declares it). */
export function encodeRegistryObject(o: RegistryObject, options: EncodeOptions = {}): string {
  switch (o.kind) {
    case 'DocumentEntry':
      return encodeDocumentEntry(o, options);
    case 'SubmissionSet':
      return encodeSubmissionSet(o, options);
    case 'Folder':
      return encodeFolder(o, options);
    case 'Association':
      return encodeAssociation(o, options);
  }
}

/** rim:ObjectRef for the ObjectRef return type (ITI TF-2a §3.18.4.1.2.1). */
export function encodeObjectRef(o: RegistryObject, options: EncodeOptions = {}): string {
  return `<rim:ObjectRef${attrs([['id', o.entryUuid], ['home', o.homeCommunityId ?? options.homeCommunityId]])}/>`;
}

/**
 * rim:RegistryObjectList with the objects as LeafClass or ObjectRef, declaring the rim namespace itself so
 * it can be dropped into any response body (query:AdhocQueryResponse).
 */
export function encodeRegistryObjectList(
  objects: readonly RegistryObject[],
  returnType: ReturnType,
  options: EncodeOptions = {},
): string {
  const encode = returnType === 'ObjectRef' ? encodeObjectRef : encodeRegistryObject;
  return `<rim:RegistryObjectList xmlns:rim="${NS.rim}">${objects.map((o) => encode(o, options)).join('')}</rim:RegistryObjectList>`;
}
