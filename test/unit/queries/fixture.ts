/**
 * A stored-query data set shaped like the NIST 12346 load (single_doc, doc_w_fol, two_doc_w_fol,
 * doc_for_rplc, rplc): 6 DocumentEntries (one Deprecated by an RPLC), 5 SubmissionSets, 2 Folders,
 * 15 Associations per patient. Loaded into a real MetadataStore through commit().
 */
import { AssociationType, Status, type RegistryObject } from '../../../src/xds/model/types.js';
import { emptyWrite, type MetadataStore } from '../../../src/storage/ports.js';
import { parseXml } from '../../../src/xml/parse.js';
import type { XmlElement } from '../../../src/xml/tree.js';
import { association, author, code, documentEntry, folder, submissionSet } from '../../support/domain-builders.js';

export const CLASS = '1.3.6.1.4.1.19376.1.2.6.1';
export const PRACTICE = '1.3.6.1.4.1.21367.2017.3';
export const SNOMED = '2.16.840.1.113883.6.96';
export const CONF = '2.16.840.1.113883.5.25';
export const FORMAT = '1.3.6.1.4.1.19376.1.2.3';
export const LOINC = '2.16.840.1.113883.6.1';
export const EVENT = '1.3.6.1.4.1.21367.2017.3';
export const REF_ID = '20061223^^^&1.2.5643.2&ISO^urn:ihe:iti:xds:2013:uniqueId';

export type DataSet = ReturnType<typeof buildDataSet>;

export function buildDataSet(patientId: string) {
  const common = { patientId, sourcePatientId: patientId, typeCode: code('11369-6', LOINC) };
  const d1 = documentEntry({
    ...common,
    classCode: code('DISPENSATIONS', CLASS),
    practiceSettingCode: code('Practice-D', PRACTICE),
    healthcareFacilityTypeCode: code('264372000', SNOMED),
    confidentialityCodes: [code('N', CONF)],
    formatCode: code('urn:ihe:rad:TEXT', FORMAT),
    creationTime: '20061224',
    serviceStartTime: '200612230800',
    serviceStopTime: '200612230900',
    authors: [author('^Ford^Harrison^^^')],
  });
  const d2 = documentEntry({
    ...common,
    classCode: code('REPORTS', CLASS),
    practiceSettingCode: code('Practice-G', PRACTICE),
    healthcareFacilityTypeCode: code('66280005', SNOMED),
    confidentialityCodes: [code('R', CONF)],
    formatCode: code('urn:ihe:rad:TEXT', FORMAT),
    eventCodes: [code('urn:connectathon:bppc:foundational:policy', EVENT), code('urn:connectathon:policy:full-access', EVENT)],
    creationTime: '20041224',
    serviceStartTime: '200412230800',
    serviceStopTime: '200412241600',
    authors: [author('^Dopplemeyer^Sherry^^^')],
  });
  const d3 = documentEntry({
    ...common,
    classCode: code('SUMMARIES', CLASS),
    practiceSettingCode: code('309927009', SNOMED),
    healthcareFacilityTypeCode: code('264372000', SNOMED),
    confidentialityCodes: [code('N', CONF)],
    formatCode: code('urn:ihe:pcc:aps:2007', FORMAT),
    eventCodes: [code('urn:connectathon:bppc:foundational:policy', EVENT)],
    creationTime: '20051224',
    serviceStartTime: '200512240800',
    serviceStopTime: '200512241100',
    referenceIds: [REF_ID],
  });
  const d4 = documentEntry({
    ...common,
    classCode: code('HEALTH', CLASS),
    practiceSettingCode: code('Practice-D', PRACTICE),
    healthcareFacilityTypeCode: code('264372000', SNOMED),
    confidentialityCodes: [code('R', CONF)],
    formatCode: code('urn:ihe:rad:TEXT', FORMAT),
    eventCodes: [code('urn:connectathon:policy:deny-access', EVENT)],
    creationTime: '20051224',
    serviceStartTime: '200512240800',
    serviceStopTime: '200512241100',
  });
  const d5 = documentEntry({ ...common, status: Status.Deprecated, creationTime: '20061224' });
  const d6 = documentEntry({ ...common, creationTime: '20061224' });

  const ss = [1, 2, 3, 4, 5].map((i) =>
    submissionSet({ patientId, submissionTime: `2004122${i}0800`, authors: [author('^Dopplemeyer^Sherry^^^')] }),
  );
  const f1 = folder({ patientId, codeList: [code('Referrals', EVENT)] });
  const f2 = folder({ patientId, codeList: [code('Referrals', EVENT), code('Other', EVENT)] });

  const hm = (s: string, t: string) => association(s, t);
  const a = {
    s1d1: hm(ss[0].entryUuid, d1.entryUuid),
    s2d2: hm(ss[1].entryUuid, d2.entryUuid),
    s2f1: hm(ss[1].entryUuid, f1.entryUuid),
    f1d2: hm(f1.entryUuid, d2.entryUuid),
    s3d3: hm(ss[2].entryUuid, d3.entryUuid),
    s3d4: hm(ss[2].entryUuid, d4.entryUuid),
    s3f2: hm(ss[2].entryUuid, f2.entryUuid),
    f2d3: hm(f2.entryUuid, d3.entryUuid),
    f2d4: hm(f2.entryUuid, d4.entryUuid),
    s4d5: hm(ss[3].entryUuid, d5.entryUuid),
    s5d6: hm(ss[4].entryUuid, d6.entryUuid),
    rplc: association(d6.entryUuid, d5.entryUuid, { associationType: AssociationType.Replace }),
  };
  const assocOfAssoc = {
    s2f1d2: hm(ss[1].entryUuid, a.f1d2.entryUuid),
    s3f2d3: hm(ss[2].entryUuid, a.f2d3.entryUuid),
    s3f2d4: hm(ss[2].entryUuid, a.f2d4.entryUuid),
  };
  const objects: RegistryObject[] = [
    d1, d2, d3, d4, d5, d6, ...ss, f1, f2, ...Object.values(a), ...Object.values(assocOfAssoc),
  ];
  return { patientId, docs: { d1, d2, d3, d4, d5, d6 }, ss, folders: { f1, f2 }, assocs: { ...a, ...assocOfAssoc }, objects };
}

export async function load(store: MetadataStore, data: DataSet): Promise<void> {
  await store.commit({ ...emptyWrite(), insert: data.objects });
}

export type SlotArg = [name: string, ...values: string[]];

/** An AdhocQueryRequest element built from text, as the SOAP layer would hand it over. */
export function adhocRequest(queryId: string, slots: SlotArg[], returnType = 'LeafClass', home?: string): XmlElement {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const slotXml = slots
    .map(
      ([name, ...values]) =>
        `<rim:Slot name="${name}"><rim:ValueList>${values.map((v) => `<rim:Value>${esc(v)}</rim:Value>`).join('')}</rim:ValueList></rim:Slot>`,
    )
    .join('');
  return parseXml(
    `<query:AdhocQueryRequest xmlns:query="urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0" xmlns:rim="urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0">` +
      `<query:ResponseOption returnComposedObjects="true" returnType="${returnType}"/>` +
      `<rim:AdhocQuery id="${queryId}"${home ? ` home="${home}"` : ''}>${slotXml}</rim:AdhocQuery></query:AdhocQueryRequest>`,
  );
}

export const q = (s: string) => `'${s}'`;
export const list = (...s: string[]) => `(${s.map(q).join(',')})`;
export const APPROVED = Status.Approved;
export const DEPRECATED = Status.Deprecated;
