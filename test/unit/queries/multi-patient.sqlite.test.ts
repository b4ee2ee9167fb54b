/** ITI-51 Multi-Patient Stored Query end to end (ITI TF-2b §3.51; NIST 12364 cases). */
import { describe, expect, it } from 'vitest';
import { FIND_DOCUMENTS_ID } from '../../../src/xds/queries/find-documents.js';
import { FIND_DOCUMENTS_MULTI_PATIENT_ID } from '../../../src/xds/queries/find-documents-multi-patient.js';
import { FIND_FOLDERS_MULTI_PATIENT_ID } from '../../../src/xds/queries/find-folders-multi-patient.js';
import { APPROVED, CLASS, EVENT, SNOMED, list, q, type SlotArg } from './fixture.js';
import { countKinds, useHarness } from './harness.js';

const h = useHarness();
const approved: SlotArg = ['$XDSDocumentEntryStatus', list(APPROVED)];
const mpq = (slots: SlotArg[], rt = 'ObjectRef') => h.xml(FIND_DOCUMENTS_MULTI_PATIENT_ID, slots, rt, true);

describe('FindDocumentsForMultiplePatients', () => {
  it('without patient ids searches every patient (12364 classcode)', async () => {
    const r = await mpq([approved, ['$XDSDocumentEntryClassCode', list(`DISPENSATIONS^^${CLASS}`)]]);
    expect(r.status).toBe('Success');
    expect(r.ids.sort()).toEqual([h.a.docs.d1.entryUuid, h.b.docs.d1.entryUuid].sort());
  });
  it('LeafClass results may span patients', async () => {
    const r = await mpq([approved, ['$XDSDocumentEntryHealthcareFacilityTypeCode', list(`66280005^^${SNOMED}`)]], 'LeafClass');
    expect(r.status).toBe('Success');
    expect(r.elements).toEqual(['ExtrinsicObject', 'ExtrinsicObject']);
  });
  it('a list of patient ids restricts the search (12364 one_pid / multi_pid)', async () => {
    const ev: SlotArg = ['$XDSDocumentEntryEventCodeList', list(`urn:connectathon:policy:full-access^^${EVENT}`)];
    const one = await mpq([['$XDSDocumentEntryPatientId', list(h.a.patientId)], ev, approved]);
    expect(one.ids).toEqual([h.a.docs.d2.entryUuid]);
    const both = await mpq([['$XDSDocumentEntryPatientId', list(h.a.patientId, h.b.patientId)], ev, approved]);
    expect(both.ids.sort()).toEqual([h.a.docs.d2.entryUuid, h.b.docs.d2.entryUuid].sort());
  });
  it('codes combine with AND (12364 classcode_eventcode)', async () => {
    const r = await mpq([
      ['$XDSDocumentEntryClassCode', list(`REPORTS^^${CLASS}`)],
      ['$XDSDocumentEntryEventCodeList', list(`urn:connectathon:policy:deny-access^^${EVENT}`)],
      approved,
    ]);
    expect(r.ids).toEqual([]);
  });
  it('needs a classCode, eventCodeList or healthcareFacilityTypeCode (12364 nothing)', async () => {
    const r = await mpq([approved]);
    expect(r.status).toBe('Failure');
    expect(r.errorCodes).toEqual(['XDSStoredQueryMissingParam']);
  });
  it('ITI-18 queries are unknown on the ITI-51 action and vice versa', async () => {
    const onIti51 = await h.xml(FIND_DOCUMENTS_ID, [['$XDSDocumentEntryPatientId', q(h.a.patientId)], approved], 'ObjectRef', true);
    expect(onIti51.errorCodes).toEqual(['XDSUnknownStoredQuery']);
    const onIti18 = await h.xml(FIND_DOCUMENTS_MULTI_PATIENT_ID, [approved, ['$XDSDocumentEntryClassCode', list(`REPORTS^^${CLASS}`)]], 'ObjectRef', false);
    expect(onIti18.errorCodes).toEqual(['XDSUnknownStoredQuery']);
  });
  it('hands every requested patient to the read hooks', async () => {
    await mpq([['$XDSDocumentEntryPatientId', list(h.a.patientId, h.b.patientId)], approved, ['$XDSDocumentEntryClassCode', list(`REPORTS^^${CLASS}`)]]);
    expect(h.hooks.accesses.at(-1)!.patientIds).toEqual([h.a.patientId, h.b.patientId]);
  });
});

describe('FindFoldersForMultiplePatients', () => {
  it('all patients, or the listed ones', async () => {
    const all = await h.objects(FIND_FOLDERS_MULTI_PATIENT_ID, [['$XDSFolderStatus', list(APPROVED)]], 'LeafClass', true);
    expect(countKinds(all).Folder).toBe(4);
    const one = await h.objects(
      FIND_FOLDERS_MULTI_PATIENT_ID,
      [['$XDSFolderPatientId', list(h.b.patientId)], ['$XDSFolderStatus', list(APPROVED)]],
      'LeafClass',
      true,
    );
    expect(one.map((f) => f.entryUuid).sort()).toEqual([h.b.folders.f1.entryUuid, h.b.folders.f2.entryUuid].sort());
  });
});
