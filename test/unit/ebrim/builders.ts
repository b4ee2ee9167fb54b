/**
 * Builds SubmitObjectsRequest XML for tests: a complete, valid ITI-42 submission by default, with hooks to
 * drop or change exactly one thing. Markers <!--EXTRA_DE--> / <!--EXTRA_DE_SLOT--> (first document) and
 * <!--EXTRA_OBJECTS--> let a test splice raw XML in.
 */
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

export const DEFAULT_PATIENT = 'P1^^^&1.3.6.1.4.1.21367.2005.13.20.1000&ISO';

export interface DocOpts {
  id?: string;
  uniqueId?: string;
  patientId?: string;
  hash?: string;
  size?: number;
  mimeType?: string;
  /** slot names to leave out. */
  omitSlots?: string[];
  /** code attributes to leave out: classCode, typeCode, formatCode, healthcareFacilityTypeCode, practiceSettingCode, confidentialityCode, author. */
  omit?: string[];
  /** replace slot values: name → values. */
  slots?: Record<string, string[]>;
  /** replace codes: attribute → [code, scheme, display?]. */
  codes?: Record<string, [string, string, string?]>;
  title?: string;
  lid?: string;
  objectType?: string;
}

export interface FolderOpts {
  id?: string;
  uniqueId?: string;
  patientId?: string;
  omit?: string[];
}

export interface AssocOpts {
  id: string;
  type: string;
  source: string;
  target: string;
  slots?: Record<string, string[]>;
  inner?: string;
}

export interface SubmissionOpts {
  patientId?: string;
  ssId?: string;
  ssUniqueId?: string;
  sourceId?: string;
  docs?: DocOpts[];
  folders?: FolderOpts[];
  /** extra associations (HasMember SS→doc and SS→folder are added unless `noDefaultAssociations`). */
  associations?: AssocOpts[];
  noDefaultAssociations?: boolean;
  ssOmit?: string[];
  ssSlots?: Record<string, string[]>;
}

let counter = 0;
/** A fresh OID per call, so tests never collide on uniqueIds. */
export function freshOid(): string {
  counter += 1;
  return `1.2.3.4.${process.pid}.${Date.now() % 100000}.${counter}`;
}

function slot(name: string, values: string[]): string {
  return `<rim:Slot name="${esc(name)}"><rim:ValueList>${values.map((v) => `<rim:Value>${esc(v)}</rim:Value>`).join('')}</rim:ValueList></rim:Slot>`;
}

let clCounter = 0;
function code(scheme: string, obj: string, value: [string, string, string?]): string {
  clCounter += 1;
  const [c, s, d] = value;
  return `<rim:Classification id="cl${clCounter}" classificationScheme="${scheme}" classifiedObject="${obj}" nodeRepresentation="${esc(c)}">${slot('codingScheme', [s])}${d === undefined ? '' : `<rim:Name><rim:LocalizedString value="${esc(d)}"/></rim:Name>`}</rim:Classification>`;
}

function author(scheme: string, obj: string): string {
  clCounter += 1;
  return `<rim:Classification id="cl${clCounter}" classificationScheme="${scheme}" classifiedObject="${obj}" nodeRepresentation="">${slot('authorPerson', ['^Smitty^Gerald^^^'])}${slot('authorInstitution', ['Cleveland Clinic'])}${slot('authorRole', ['Attending'])}${slot('authorSpecialty', ['Orthopedic'])}</rim:Classification>`;
}

function ei(scheme: string, obj: string, value: string, name: string): string {
  clCounter += 1;
  return `<rim:ExternalIdentifier id="ei${clCounter}" registryObject="${obj}" identificationScheme="${scheme}" value="${esc(value)}"><rim:Name><rim:LocalizedString value="${name}"/></rim:Name></rim:ExternalIdentifier>`;
}

export const DE_CODES: Record<string, [string, [string, string, string]]> = {
  classCode: ['urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a', ['History and Physical', 'Connect-a-thon classCodes', 'History and Physical']],
  confidentialityCode: ['urn:uuid:f4f85eac-e6cb-4883-b524-f2705394840f', ['N', '2.16.840.1.113883.5.25', 'Normal']],
  formatCode: ['urn:uuid:a09d5840-386c-46f2-b5ad-9c3699a4309d', ['urn:ihe:pcc:xphr:2007', '1.3.6.1.4.1.19376.1.2.3', 'XPHR']],
  healthcareFacilityTypeCode: ['urn:uuid:f33fb8ac-18af-42cc-ae0e-ed0b0bdb91e1', ['Outpatient', 'Connect-a-thon healthcareFacilityTypeCodes', 'Outpatient']],
  practiceSettingCode: ['urn:uuid:cccf5598-8b07-4b77-a05e-ae952c785ead', ['General Medicine', 'Connect-a-thon practiceSettingCodes', 'General Medicine']],
  typeCode: ['urn:uuid:f0306f51-975f-434e-a61c-c59651d33983', ['34108-1', 'LOINC', 'Outpatient Evaluation And Management']],
};

export function documentXml(o: DocOpts, defaults: { patientId: string }, first: boolean): string {
  const id = o.id ?? 'Document01';
  const slots: Record<string, string[]> = {
    creationTime: ['20051224'],
    hash: [o.hash ?? 'e543712c0e10501972de13a5bfcbe826c49feb75'],
    languageCode: ['en-us'],
    repositoryUniqueId: ['1.19.6.24.109.42.1'],
    serviceStartTime: ['200412230800'],
    serviceStopTime: ['200412230801'],
    size: [String(o.size ?? 36)],
    sourcePatientId: ['89765a87b^^^&1.3.4.5&ISO'],
    sourcePatientInfo: ['PID-3|pid1^^^&1.2.3&ISO', 'PID-5|Doe^John^^^', 'PID-7|19560527', 'PID-8|M'],
    ...o.slots,
  };
  for (const n of o.omitSlots ?? []) delete slots[n];
  const omit = new Set(o.omit ?? []);
  const codes = Object.entries(DE_CODES)
    .filter(([k]) => !omit.has(k))
    .map(([k, [scheme, v]]) => code(scheme, id, o.codes?.[k] ?? v))
    .join('');
  return (
    `<rim:ExtrinsicObject id="${id}"${o.lid ? ` lid="${o.lid}"` : ''} mimeType="${o.mimeType ?? 'text/plain'}" objectType="${o.objectType ?? 'urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1'}">` +
    Object.entries(slots).map(([k, v]) => slot(k, v)).join('') +
    (first ? '<!--EXTRA_DE_SLOT-->' : '') +
    `<rim:Name><rim:LocalizedString value="${esc(o.title ?? 'Physical')}"/></rim:Name>` +
    (omit.has('author') ? '' : author('urn:uuid:93606bcf-9494-43ec-9b4e-a7748d1a838d', id)) +
    codes +
    (first ? '<!--EXTRA_DE-->' : '') +
    (omit.has('patientId') ? '' : ei('urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427', id, o.patientId ?? defaults.patientId, 'XDSDocumentEntry.patientId')) +
    (omit.has('uniqueId') ? '' : ei('urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab', id, o.uniqueId ?? freshOid(), 'XDSDocumentEntry.uniqueId')) +
    `</rim:ExtrinsicObject>`
  );
}

function folderXml(f: FolderOpts, defaults: { patientId: string }): string {
  const id = f.id ?? 'Folder01';
  const omit = new Set(f.omit ?? []);
  return (
    `<rim:RegistryPackage id="${id}">` +
    `<rim:Name><rim:LocalizedString value="Folder"/></rim:Name>` +
    (omit.has('codeList') ? '' : code('urn:uuid:1ba97051-7806-41a8-a48b-8fce7af683c5', id, ['Emergency', 'Connect-a-thon codeList', 'Emergency'])) +
    (omit.has('patientId') ? '' : ei('urn:uuid:f64ffdf0-4b97-4e06-b79f-a52b38ec2f8a', id, f.patientId ?? defaults.patientId, 'XDSFolder.patientId')) +
    (omit.has('uniqueId') ? '' : ei('urn:uuid:75df8f67-9973-4fbe-a900-df66cefecc5a', id, f.uniqueId ?? freshOid(), 'XDSFolder.uniqueId')) +
    `</rim:RegistryPackage>` +
    `<rim:Classification id="${id}-node" classifiedObject="${id}" classificationNode="urn:uuid:d9d542f3-6cc4-48b6-8870-ea235fbc94c2"/>`
  );
}

export function associationXml(a: AssocOpts): string {
  return `<rim:Association id="${a.id}" associationType="${a.type}" sourceObject="${a.source}" targetObject="${a.target}">${Object.entries(a.slots ?? {}).map(([k, v]) => slot(k, v)).join('')}${a.inner ?? ''}</rim:Association>`;
}

export function submissionXml(o: SubmissionOpts = {}): string {
  const patientId = o.patientId ?? DEFAULT_PATIENT;
  const ssId = o.ssId ?? 'SubmissionSet01';
  const docs = o.docs ?? [{}];
  const folders = o.folders ?? [];
  const ssOmit = new Set(o.ssOmit ?? []);
  const ssSlots: Record<string, string[]> = { submissionTime: ['20041225235050'], ...o.ssSlots };
  for (const n of ssOmit) delete ssSlots[n];
  const defaults = { patientId };
  const assocs: AssocOpts[] = o.noDefaultAssociations
    ? []
    : [
        ...docs.map((d, i) => ({ id: `ssde${i}`, type: 'urn:oasis:names:tc:ebxml-regrep:AssociationType:HasMember', source: ssId, target: d.id ?? 'Document01', slots: { SubmissionSetStatus: ['Original'] } })),
        ...folders.map((f, i) => ({ id: `ssfd${i}`, type: 'urn:oasis:names:tc:ebxml-regrep:AssociationType:HasMember', source: ssId, target: f.id ?? 'Folder01' })),
      ];
  return (
    `<lcm:SubmitObjectsRequest xmlns:lcm="urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0" xmlns:rim="urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0"><rim:RegistryObjectList>` +
    docs.map((d, i) => documentXml(d, defaults, i === 0)).join('') +
    folders.map((f) => folderXml(f, defaults)).join('') +
    `<rim:RegistryPackage id="${ssId}">` +
    Object.entries(ssSlots).map(([k, v]) => slot(k, v)).join('') +
    `<rim:Name><rim:LocalizedString value="Submission"/></rim:Name>` +
    (ssOmit.has('author') ? '' : author('urn:uuid:a7058bb9-b4e4-4307-ba5b-e3f0ab85e12d', ssId)) +
    (ssOmit.has('contentTypeCode') ? '' : code('urn:uuid:aa543740-bdda-424e-8c96-df4873be8500', ssId, ['History and Physical', 'Connect-a-thon contentTypeCodes', 'History and Physical'])) +
    (ssOmit.has('uniqueId') ? '' : ei('urn:uuid:96fdda7c-d067-4183-912e-bf5ee74998a8', ssId, o.ssUniqueId ?? freshOid(), 'XDSSubmissionSet.uniqueId')) +
    (ssOmit.has('sourceId') ? '' : ei('urn:uuid:554ac39e-e3fe-47fe-b233-965d2a147832', ssId, o.sourceId ?? '1.3.6.1.4.1.21367.4', 'XDSSubmissionSet.sourceId')) +
    (ssOmit.has('patientId') ? '' : ei('urn:uuid:6b5aea1a-874d-4603-a4bc-96a0a7b38446', ssId, patientId, 'XDSSubmissionSet.patientId')) +
    `</rim:RegistryPackage>` +
    `<rim:Classification id="ssnode" classifiedObject="${ssId}" classificationNode="urn:uuid:a54d6aa5-d40d-43f9-88c5-b4633d873bdd"/>` +
    [...assocs, ...(o.associations ?? [])].map(associationXml).join('') +
    `<!--EXTRA_OBJECTS-->` +
    `</rim:RegistryObjectList></lcm:SubmitObjectsRequest>`
  );
}

/** The default submission with fixed uniqueIds (1.2.3.4.1 document, 1.2.3.4.2 SubmissionSet). */
export function minimalSubmission(): string {
  return submissionXml({ docs: [{ uniqueId: '1.2.3.4.1' }], ssUniqueId: '1.2.3.4.2' });
}
