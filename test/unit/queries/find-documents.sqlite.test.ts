/**
 * FindDocuments / FindDocumentsByReferenceId end to end (AdhocQueryRequest → StoredQueryService → SQLite →
 * AdhocQueryResponse), one test per parameter, modelled on NIST 11897 against the 12346-shaped data set.
 */
import { describe, expect, it } from 'vitest';
import { DocumentEntryType } from '../../../src/xds/model/types.js';
import { FIND_DOCUMENTS_ID } from '../../../src/xds/queries/find-documents.js';
import { FIND_DOCUMENTS_BY_REFERENCE_ID_ID } from '../../../src/xds/queries/find-documents-by-reference-id.js';
import type { DocumentEntry, RegistryObject } from '../../../src/xds/model/types.js';
import {
  APPROVED, CLASS, CONF, DEPRECATED, EVENT, FORMAT, LOINC, PRACTICE, REF_ID, SNOMED, list, q, type SlotArg,
} from './fixture.js';
import { useHarness } from './harness.js';

const h = useHarness();
const pid = (): SlotArg => ['$XDSDocumentEntryPatientId', q(h.a.patientId)];
const approved: SlotArg = ['$XDSDocumentEntryStatus', list(APPROVED)];
const find = (...slots: SlotArg[]) => h.objects(FIND_DOCUMENTS_ID, [pid(), approved, ...slots]);
const ids = (objs: RegistryObject[]) => objs.map((o) => o.entryUuid).sort();
const docIds = (...docs: DocumentEntry[]) => docs.map((d) => d.entryUuid).sort();

describe('FindDocuments: patient and status', () => {
  it('Approved only (11897 approved: 5)', async () => {
    const r = await find();
    expect(r).toHaveLength(5);
    expect(r.every((o) => o.kind === 'DocumentEntry' && o.patientId === h.a.patientId)).toBe(true);
  });
  it('Approved and Deprecated (11897 leafclass: 6)', async () => {
    const r = await h.objects(FIND_DOCUMENTS_ID, [pid(), ['$XDSDocumentEntryStatus', list(APPROVED, DEPRECATED)]]);
    expect(r).toHaveLength(6);
  });
  it('Deprecated only finds the replaced entry (11897 deprecated: 1)', async () => {
    const r = await h.objects(FIND_DOCUMENTS_ID, [pid(), ['$XDSDocumentEntryStatus', list(DEPRECATED)]]);
    expect(ids(r)).toEqual(docIds(h.a.docs.d5));
  });
  it('status as several Values of one Slot', async () => {
    const r = await h.objects(FIND_DOCUMENTS_ID, [pid(), ['$XDSDocumentEntryStatus', list(APPROVED), list(DEPRECATED)]]);
    expect(r).toHaveLength(6);
  });
  it('LeafClass returns ExtrinsicObjects, ObjectRef returns ObjectRefs (11897 objectref: 6)', async () => {
    const slots: SlotArg[] = [pid(), ['$XDSDocumentEntryStatus', list(APPROVED, DEPRECATED)]];
    const leaf = await h.xml(FIND_DOCUMENTS_ID, slots, 'LeafClass');
    expect(leaf.status).toBe('Success');
    expect(leaf.elements).toEqual(Array(6).fill('ExtrinsicObject'));
    const refs = await h.xml(FIND_DOCUMENTS_ID, slots, 'ObjectRef');
    expect(refs.status).toBe('Success');
    expect(refs.elements).toEqual(Array(6).fill('ObjectRef'));
    expect(refs.ids.sort()).toEqual(leaf.ids.sort());
  });
  it('an unknown patient finds nothing', async () => {
    const r = await h.objects(FIND_DOCUMENTS_ID, [['$XDSDocumentEntryPatientId', q('nobody^^^&1.2.3&ISO')], approved]);
    expect(r).toEqual([]);
  });
});

describe('FindDocuments: code parameters', () => {
  it('classCode, one value (11897 classcode_one: 1)', async () => {
    expect(ids(await find(['$XDSDocumentEntryClassCode', list(`DISPENSATIONS^^${CLASS}`)]))).toEqual(docIds(h.a.docs.d1));
  });
  it('classCode, two Values OR-ed (11897 classcode_two)', async () => {
    const r = await find(['$XDSDocumentEntryClassCode', list(`DISPENSATIONS^^${CLASS}`), list(`REPORTS^^${CLASS}`)]);
    expect(ids(r)).toEqual(docIds(h.a.docs.d1, h.a.docs.d2));
  });
  it('classCode matches on code and scheme', async () => {
    expect(await find(['$XDSDocumentEntryClassCode', list(`DISPENSATIONS^^9.9.9`)])).toEqual([]);
  });
  it('classCode with a code lacking its scheme fails (11897 classcode_scheme_mismatch)', async () => {
    const r = await h.xml(FIND_DOCUMENTS_ID, [pid(), approved, ['$XDSDocumentEntryClassCode', `('DEMO-Lab^^1.3.6.1.4.1.21367.100.1', 'a^^')`]]);
    expect(r.status).toBe('Failure');
    expect(r.errorCodes).toEqual(['XDSRegistryError']);
    expect(r.elements).toEqual([]);
  });
  it('practiceSettingCode not in CE form fails; the old ...Scheme parameter is ignored (11897 old_scheme)', async () => {
    const r = await h.xml(FIND_DOCUMENTS_ID, [
      pid(),
      approved,
      ['$XDSDocumentEntryPracticeSettingCode', list('Dialysis')],
      ['$XDSDocumentEntryPracticeSettingCodeScheme', list('Connect-a-thon practiceSettingCodes')],
    ]);
    expect(r.status).toBe('Failure');
    expect(r.errorCodes).toEqual(['XDSRegistryError']);
  });
  it('practiceSettingCode OR, and AND with classCode (11897 practicesetting, classcode_practicesetting)', async () => {
    const ps = await find(['$XDSDocumentEntryPracticeSettingCode', list(`Practice-D^^${PRACTICE}`, `Practice-G^^${PRACTICE}`)]);
    expect(ids(ps)).toEqual(docIds(h.a.docs.d1, h.a.docs.d2, h.a.docs.d4));
    const both = await find(
      ['$XDSDocumentEntryPracticeSettingCode', list(`309927009^^${SNOMED}`)],
      ['$XDSDocumentEntryClassCode', list(`SUMMARIES^^${CLASS}`)],
    );
    expect(ids(both)).toEqual(docIds(h.a.docs.d3));
    const none = await find(
      ['$XDSDocumentEntryPracticeSettingCode', list(`309927009^^${SNOMED}`)],
      ['$XDSDocumentEntryClassCode', list(`REPORTS^^${CLASS}`)],
    );
    expect(none).toEqual([]);
  });
  it('healthcareFacilityTypeCode (11897 hcftc)', async () => {
    const r = await find(['$XDSDocumentEntryHealthcareFacilityTypeCode', list(`66280005^^${SNOMED}`)]);
    expect(ids(r)).toEqual(docIds(h.a.docs.d2));
  });
  it('eventCodeList: values of one Slot are OR-ed', async () => {
    const r = await find([
      '$XDSDocumentEntryEventCodeList',
      list(`urn:connectathon:policy:full-access^^${EVENT}`, `urn:connectathon:policy:deny-access^^${EVENT}`),
    ]);
    expect(ids(r)).toEqual(docIds(h.a.docs.d2, h.a.docs.d4));
  });
  it('eventCodeList: several Slots are AND-ed (11897 eventcode_multi_select / and)', async () => {
    const r = await find(
      ['$XDSDocumentEntryEventCodeList', list(`urn:connectathon:bppc:foundational:policy^^${EVENT}`)],
      ['$XDSDocumentEntryEventCodeList', list(`urn:connectathon:policy:full-access^^${EVENT}`)],
    );
    expect(ids(r)).toEqual(docIds(h.a.docs.d2));
    const single = await find(['$XDSDocumentEntryEventCodeList', list(`urn:connectathon:bppc:foundational:policy^^${EVENT}`)]);
    expect(ids(single)).toEqual(docIds(h.a.docs.d2, h.a.docs.d3));
  });
  it('confidentialityCode (11897 confcode), also AND across Slots', async () => {
    const r = await find(['$XDSDocumentEntryConfidentialityCode', `('V^^${CONF}', 'R^^${CONF}')`]);
    expect(ids(r)).toEqual(docIds(h.a.docs.d2, h.a.docs.d4));
    const and = await find(
      ['$XDSDocumentEntryConfidentialityCode', list(`R^^${CONF}`)],
      ['$XDSDocumentEntryConfidentialityCode', list(`N^^${CONF}`)],
    );
    expect(and).toEqual([]);
  });
  it('formatCode (11897 formatcode)', async () => {
    const r = await find(['$XDSDocumentEntryFormatCode', list(`urn:ihe:pcc:aps:2007^^${FORMAT}`)]);
    expect(ids(r)).toEqual(docIds(h.a.docs.d3));
  });
  it('typeCode (11897 typecode)', async () => {
    expect(await find(['$XDSDocumentEntryTypeCode', list(`11369-6^^${LOINC}`)])).toHaveLength(5);
    expect(await find(['$XDSDocumentEntryTypeCode', list(`11488-4^^${LOINC}`)])).toEqual([]);
  });
  it('classCode given in two Slots is XDSStoredQueryParamNumber (no AND/OR for classCode)', async () => {
    const r = await h.xml(FIND_DOCUMENTS_ID, [
      pid(),
      approved,
      ['$XDSDocumentEntryClassCode', list(`DISPENSATIONS^^${CLASS}`)],
      ['$XDSDocumentEntryClassCode', list(`REPORTS^^${CLASS}`)],
    ]);
    expect(r.errorCodes).toEqual(['XDSStoredQueryParamNumber']);
  });
});

describe('FindDocuments: time ranges (From inclusive, To exclusive)', () => {
  const ct = (from?: string, to?: string): SlotArg[] => [
    ...(from ? [['$XDSDocumentEntryCreationTimeFrom', from] as SlotArg] : []),
    ...(to ? [['$XDSDocumentEntryCreationTimeTo', to] as SlotArg] : []),
  ];
  it('creationTime between (11897 creationtime_between, _long)', async () => {
    expect(ids(await find(...ct('20040101', '20050101')))).toEqual(docIds(h.a.docs.d2));
    expect(ids(await find(...ct('200401010934', '200501010856')))).toEqual(docIds(h.a.docs.d2));
  });
  it('left edge included (11897 creationtime_left_edge)', async () => {
    expect(ids(await find(...ct('20041224', '20050101')))).toEqual(docIds(h.a.docs.d2));
  });
  it('right edge excluded (11897 creationtime_right_edge)', async () => {
    expect(await find(...ct('20041124', '20041224'))).toEqual([]);
  });
  it('open-ended ranges', async () => {
    expect(await find(...ct('20060101'))).toHaveLength(2); // d1, d6 (d5 is Deprecated)
    expect(ids(await find(...ct(undefined, '2005')))).toEqual(docIds(h.a.docs.d2));
  });
  it('creationTime with practiceSettingCode (11897 creationtime_practicesetting)', async () => {
    const r = await find(...ct('20020101', '20060101'), ['$XDSDocumentEntryPracticeSettingCode', list(`Practice-D^^${PRACTICE}`)]);
    expect(ids(r)).toEqual(docIds(h.a.docs.d4));
  });
  it('serviceStartTime and serviceStopTime (11897 servicestarttime / servicestoptime)', async () => {
    const start = await find(['$XDSDocumentEntryServiceStartTimeFrom', '2005'], ['$XDSDocumentEntryServiceStartTimeTo', '2006']);
    expect(ids(start)).toEqual(docIds(h.a.docs.d3, h.a.docs.d4));
    const stop = await find(['$XDSDocumentEntryServiceStopTimeFrom', '200412241600'], ['$XDSDocumentEntryServiceStopTimeTo', '2005']);
    expect(ids(stop)).toEqual(docIds(h.a.docs.d2));
  });
  it('a time that is not a DTM is XDSRegistryError', async () => {
    const r = await h.xml(FIND_DOCUMENTS_ID, [pid(), approved, ['$XDSDocumentEntryCreationTimeFrom', '2004-12-24']]);
    expect(r.errorCodes).toEqual(['XDSRegistryError']);
  });
});

describe('FindDocuments: authorPerson, type, errors', () => {
  it('authorPerson with % wildcards (11897 author)', async () => {
    expect(ids(await find(['$XDSDocumentEntryAuthorPerson', list('%Ford%')]))).toEqual(docIds(h.a.docs.d1));
    expect(ids(await find(['$XDSDocumentEntryAuthorPerson', list('^Ford^%')]))).toEqual(docIds(h.a.docs.d1));
  });
  it('authorPerson with _ wildcard and several values OR-ed', async () => {
    expect(ids(await find(['$XDSDocumentEntryAuthorPerson', list('^F_rd^Harrison^^^')]))).toEqual(docIds(h.a.docs.d1));
    const r = await find(['$XDSDocumentEntryAuthorPerson', list('%Ford%', '%Dopplemeyer%')]);
    expect(r).toHaveLength(5); // d1 by Ford, the other four approved entries by Dopplemeyer
    expect(await find(['$XDSDocumentEntryAuthorPerson', list('%Nobody%')])).toEqual([]);
  });
  it('$XDSDocumentEntryType defaults to stable; on-demand only finds none here', async () => {
    expect(await find(['$XDSDocumentEntryType', list(DocumentEntryType.OnDemand)])).toEqual([]);
    expect(await find(['$XDSDocumentEntryType', list(DocumentEntryType.Stable, DocumentEntryType.OnDemand)])).toHaveLength(5);
  });
  it('missing $XDSDocumentEntryPatientId is XDSStoredQueryMissingParam', async () => {
    const r = await h.xml(FIND_DOCUMENTS_ID, [approved]);
    expect(r.status).toBe('Failure');
    expect(r.errorCodes).toEqual(['XDSStoredQueryMissingParam']);
  });
  it('missing $XDSDocumentEntryStatus is XDSStoredQueryMissingParam', async () => {
    const r = await h.xml(FIND_DOCUMENTS_ID, [pid()]);
    expect(r.errorCodes).toEqual(['XDSStoredQueryMissingParam']);
  });
  it('two patient ids is XDSStoredQueryParamNumber', async () => {
    const r = await h.xml(FIND_DOCUMENTS_ID, [['$XDSDocumentEntryPatientId', list(h.a.patientId, h.b.patientId)], approved]);
    expect(r.errorCodes).toEqual(['XDSStoredQueryParamNumber']);
  });
  it('an unknown query id is XDSUnknownStoredQuery', async () => {
    const r = await h.xml('urn:uuid:00000000-0000-0000-0000-000000000000', [pid(), approved]);
    expect(r.status).toBe('Failure');
    expect(r.errorCodes).toEqual(['XDSUnknownStoredQuery']);
  });
});

describe('FindDocumentsByReferenceId', () => {
  const byRef = (...slots: SlotArg[]) => h.objects(FIND_DOCUMENTS_BY_REFERENCE_ID_ID, [pid(), approved, ...slots]);
  it('finds the entry carrying the referenceId (11897 refid)', async () => {
    expect(ids(await byRef(['$XDSDocumentEntryReferenceIdList', list(REF_ID)]))).toEqual(docIds(h.a.docs.d3));
  });
  it('values OR-ed, Slots AND-ed', async () => {
    expect(ids(await byRef(['$XDSDocumentEntryReferenceIdList', list(REF_ID, 'other^^^&1.2&ISO')]))).toEqual(docIds(h.a.docs.d3));
    expect(
      await byRef(['$XDSDocumentEntryReferenceIdList', list(REF_ID)], ['$XDSDocumentEntryReferenceIdList', list('other^^^&1.2&ISO')]),
    ).toEqual([]);
  });
  it('combines with the FindDocuments parameters', async () => {
    expect(
      await byRef(['$XDSDocumentEntryReferenceIdList', list(REF_ID)], ['$XDSDocumentEntryClassCode', list(`REPORTS^^${CLASS}`)]),
    ).toEqual([]);
  });
  it('requires the referenceIdList', async () => {
    const r = await h.xml(FIND_DOCUMENTS_BY_REFERENCE_ID_ID, [pid(), approved]);
    expect(r.errorCodes).toEqual(['XDSStoredQueryMissingParam']);
  });
});
