/**
 * The other ITI-18 stored queries end to end against SQLite, with the counts the NIST tests expect on the
 * 12346-shaped data set (11898 .. 11909, 15803, 12368).
 */
import { describe, expect, it } from 'vitest';
import { AssociationType, Status, type RegistryObject } from '../../../src/xds/model/types.js';
import { FIND_SUBMISSION_SETS_ID } from '../../../src/xds/queries/find-submission-sets.js';
import { FIND_FOLDERS_ID } from '../../../src/xds/queries/find-folders.js';
import { GET_ALL_ID } from '../../../src/xds/queries/get-all.js';
import { GET_DOCUMENTS_ID } from '../../../src/xds/queries/get-documents.js';
import { GET_FOLDERS_ID } from '../../../src/xds/queries/get-folders.js';
import { GET_ASSOCIATIONS_ID } from '../../../src/xds/queries/get-associations.js';
import { GET_DOCUMENTS_AND_ASSOCIATIONS_ID } from '../../../src/xds/queries/get-documents-and-associations.js';
import { GET_SUBMISSION_SETS_ID } from '../../../src/xds/queries/get-submission-sets.js';
import { GET_SUBMISSION_SET_AND_CONTENTS_ID } from '../../../src/xds/queries/get-submission-set-and-contents.js';
import { GET_FOLDER_AND_CONTENTS_ID } from '../../../src/xds/queries/get-folder-and-contents.js';
import { GET_FOLDERS_FOR_DOCUMENT_ID } from '../../../src/xds/queries/get-folders-for-document.js';
import { GET_RELATED_DOCUMENTS_ID } from '../../../src/xds/queries/get-related-documents.js';
import { CONF, EVENT, FORMAT, list, q, APPROVED, DEPRECATED } from './fixture.js';
import { countKinds, useHarness } from './harness.js';

const h = useHarness();
const ids = (objs: RegistryObject[]) => objs.map((o) => o.entryUuid).sort();
const sorted = (...o: { entryUuid: string }[]) => o.map((x) => x.entryUuid).sort();
const counts = (d = 0, s = 0, f = 0, a = 0) => ({ DocumentEntry: d, SubmissionSet: s, Folder: f, Association: a });

describe('FindSubmissionSets (11898)', () => {
  const find = (...slots: [string, ...string[]][]) =>
    h.objects(FIND_SUBMISSION_SETS_ID, [
      ['$XDSSubmissionSetPatientId', q(h.a.patientId)],
      ['$XDSSubmissionSetStatus', list(APPROVED)],
      ...slots,
    ]);
  it('patient and status (simple: 5)', async () => {
    expect(ids(await find())).toEqual(sorted(...h.a.ss));
  });
  it('sourceId', async () => {
    expect(await find(['$XDSSubmissionSetSourceId', list('1.2.669847365.352.1')])).toEqual([]);
    expect(await find(['$XDSSubmissionSetSourceId', list('1.3.6.1.4.1.21367.2010.1.2')])).toHaveLength(5);
  });
  it('submissionTime in, out and open ended', async () => {
    expect(await find(['$XDSSubmissionSetSubmissionTimeFrom', '200412'], ['$XDSSubmissionSetSubmissionTimeTo', '200501'])).toHaveLength(5);
    expect(await find(['$XDSSubmissionSetSubmissionTimeFrom', '200312'], ['$XDSSubmissionSetSubmissionTimeTo', '200401'])).toEqual([]);
    expect(await find(['$XDSSubmissionSetSubmissionTimeTo', '200501'])).toHaveLength(5);
    expect(await find(['$XDSSubmissionSetSubmissionTimeFrom', '200412'])).toHaveLength(5);
    // times are 2004122i0800: From 20041223 keeps i = 3, 4, 5
    expect(await find(['$XDSSubmissionSetSubmissionTimeFrom', '20041223'])).toHaveLength(3);
  });
  it('authorPerson', async () => {
    expect(await find(['$XDSSubmissionSetAuthorPerson', q('%Dopplemeyer%')])).toHaveLength(5);
    expect(await find(['$XDSSubmissionSetAuthorPerson', q('%Smith%')])).toEqual([]);
  });
  it('contentType', async () => {
    expect(await find(['$XDSSubmissionSetContentType', list('Group counseling^^1.3.6.1.4.1.21367.100.1')])).toHaveLength(5);
    expect(await find(['$XDSSubmissionSetContentType', list('66280005^^2.16.840.1.113883.6.96')])).toEqual([]);
  });
  it('status is required', async () => {
    const r = await h.xml(FIND_SUBMISSION_SETS_ID, [['$XDSSubmissionSetPatientId', q(h.a.patientId)]]);
    expect(r.errorCodes).toEqual(['XDSStoredQueryMissingParam']);
  });
});

describe('FindFolders (11899)', () => {
  const find = (...slots: [string, ...string[]][]) =>
    h.objects(FIND_FOLDERS_ID, [['$XDSFolderPatientId', q(h.a.patientId)], ['$XDSFolderStatus', list(APPROVED)], ...slots]);
  it('basic: 2', async () => {
    expect(ids(await find())).toEqual(sorted(h.a.folders.f1, h.a.folders.f2));
  });
  it('lastUpdateTime in and out', async () => {
    expect(await find(['$XDSFolderLastUpdateTimeFrom', '2024'], ['$XDSFolderLastUpdateTimeTo', '2025'])).toHaveLength(2);
    expect(await find(['$XDSFolderLastUpdateTimeFrom', '2001'], ['$XDSFolderLastUpdateTimeTo', '2003'])).toEqual([]);
  });
  it('codeList OR within a Slot, AND across Slots', async () => {
    expect(await find(['$XDSFolderCodeList', list(`Referrals^^${EVENT}`)])).toHaveLength(2);
    expect(ids(await find(['$XDSFolderCodeList', list(`Referrals^^${EVENT}`)], ['$XDSFolderCodeList', list(`Other^^${EVENT}`)]))).toEqual(
      sorted(h.a.folders.f2),
    );
  });
});

describe('GetAll (15803)', () => {
  it('returns 6 documents, 5 submission sets, 2 folders and the 15 associations between them', async () => {
    const r = await h.objects(GET_ALL_ID, [
      ['$patientId', q(h.a.patientId)],
      ['$XDSDocumentEntryStatus', list(APPROVED), list(DEPRECATED)],
      ['$XDSSubmissionSetStatus', list(APPROVED), list(DEPRECATED)],
      ['$XDSFolderStatus', list(APPROVED), list(DEPRECATED)],
      ['$XDSDocumentEntryType', list('urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1')],
    ]);
    expect(countKinds(r)).toEqual(counts(6, 5, 2, 15));
    expect(r.every((o) => o.kind === 'Association' || o.patientId === h.a.patientId)).toBe(true);
  });
  it('drops associations of filtered-out documents', async () => {
    const r = await h.objects(GET_ALL_ID, [
      ['$patientId', q(h.a.patientId)],
      ['$XDSDocumentEntryStatus', list(APPROVED)],
      ['$XDSSubmissionSetStatus', list(APPROVED)],
      ['$XDSFolderStatus', list(APPROVED)],
      ['$XDSDocumentEntryFormatCode', list(`urn:ihe:pcc:aps:2007^^${FORMAT}`)],
    ]);
    // d3 only: SS3→d3, F2→d3, SS3→(F2→d3), SS2→F1, SS3→F2
    expect(countKinds(r)).toEqual(counts(1, 5, 2, 5));
  });
  it('requires every status parameter', async () => {
    const r = await h.xml(GET_ALL_ID, [['$patientId', q(h.a.patientId)], ['$XDSDocumentEntryStatus', list(APPROVED)]]);
    expect(r.errorCodes).toEqual(['XDSStoredQueryMissingParam']);
  });
});

describe('GetDocuments (11901, 12000.1a)', () => {
  it('by uniqueId, one and two', async () => {
    expect(ids(await h.objects(GET_DOCUMENTS_ID, [['$XDSDocumentEntryUniqueId', list(h.a.docs.d1.uniqueId)]]))).toEqual(sorted(h.a.docs.d1));
    const two = await h.objects(GET_DOCUMENTS_ID, [['$XDSDocumentEntryUniqueId', list(h.a.docs.d1.uniqueId, h.a.docs.d5.uniqueId)]]);
    expect(ids(two)).toEqual(sorted(h.a.docs.d1, h.a.docs.d5));
  });
  it('by entryUUID, list spread over several Values', async () => {
    const r = await h.objects(GET_DOCUMENTS_ID, [['$XDSDocumentEntryEntryUUID', list(h.a.docs.d1.entryUuid), list(h.a.docs.d2.entryUuid)]]);
    expect(ids(r)).toEqual(sorted(h.a.docs.d1, h.a.docs.d2));
  });
  it('uuids of a SubmissionSet or Folder return no documents', async () => {
    expect(await h.objects(GET_DOCUMENTS_ID, [['$XDSDocumentEntryEntryUUID', list(h.a.ss[0].entryUuid, h.a.folders.f1.entryUuid)]])).toEqual([]);
  });
  it('a home attribute does not cause an error (11901 homeCommunityId)', async () => {
    const r = await h.service.run(
      (await import('./fixture.js')).adhocRequest(GET_DOCUMENTS_ID, [['$XDSDocumentEntryUniqueId', list(h.a.docs.d1.uniqueId)]], 'LeafClass', 'urn:oid:1.1.1'),
      (await import('./harness.js')).context(),
      { multiPatient: false },
    );
    expect(r).toContain('ResponseStatusType:Success');
    expect(r).toContain(h.a.docs.d1.entryUuid);
  });
  it('both entryUUID and uniqueId, or neither, is XDSStoredQueryParamNumber', async () => {
    const both = await h.xml(GET_DOCUMENTS_ID, [
      ['$XDSDocumentEntryUniqueId', list(h.a.docs.d1.uniqueId)],
      ['$XDSDocumentEntryEntryUUID', list(h.a.docs.d1.entryUuid)],
    ]);
    expect(both.errorCodes).toEqual(['XDSStoredQueryParamNumber']);
    const neither = await h.xml(GET_DOCUMENTS_ID, []);
    expect(neither.errorCodes).toEqual(['XDSStoredQueryParamNumber']);
  });
});

describe('GetFolders (11902)', () => {
  it('by entryUUID and by uniqueId: 2 folders, nothing else', async () => {
    const f = h.a.folders;
    expect(countKinds(await h.objects(GET_FOLDERS_ID, [['$XDSFolderEntryUUID', list(f.f1.entryUuid, f.f2.entryUuid)]]))).toEqual(counts(0, 0, 2, 0));
    expect(ids(await h.objects(GET_FOLDERS_ID, [['$XDSFolderUniqueId', list(f.f1.uniqueId, f.f2.uniqueId)]]))).toEqual(sorted(f.f1, f.f2));
  });
});

describe('GetAssociations (11903)', () => {
  it('associations from and to the named objects', async () => {
    expect(ids(await h.objects(GET_ASSOCIATIONS_ID, [['$uuid', list(h.a.docs.d1.entryUuid)]]))).toEqual(sorted(h.a.assocs.s1d1));
    expect(ids(await h.objects(GET_ASSOCIATIONS_ID, [['$uuid', list(h.a.docs.d2.entryUuid)]]))).toEqual(sorted(h.a.assocs.s2d2, h.a.assocs.f1d2));
    // SubmissionSet of doc_w_fol: SS→d2, SS→F1, SS→(F1→d2)
    expect(await h.objects(GET_ASSOCIATIONS_ID, [['$uuid', list(h.a.ss[1].entryUuid)]])).toHaveLength(3);
    expect(await h.objects(GET_ASSOCIATIONS_ID, [['$uuid', list(h.a.docs.d1.entryUuid, h.a.docs.d2.entryUuid)]])).toHaveLength(3);
  });
  it('$uuid is required', async () => {
    expect((await h.xml(GET_ASSOCIATIONS_ID, [])).errorCodes).toEqual(['XDSStoredQueryMissingParam']);
  });
});

describe('GetDocumentsAndAssociations (11904)', () => {
  it('documents with every association touching them', async () => {
    expect(countKinds(await h.objects(GET_DOCUMENTS_AND_ASSOCIATIONS_ID, [['$XDSDocumentEntryUniqueId', list(h.a.docs.d1.uniqueId)]]))).toEqual(
      counts(1, 0, 0, 1),
    );
    const two = await h.objects(GET_DOCUMENTS_AND_ASSOCIATIONS_ID, [['$XDSDocumentEntryEntryUUID', list(h.a.docs.d1.entryUuid, h.a.docs.d2.entryUuid)]]);
    expect(countKinds(two)).toEqual(counts(2, 0, 0, 3));
  });
});

describe('GetSubmissionSets (11905)', () => {
  it('the SubmissionSets holding the objects, with the HasMember associations', async () => {
    const one = await h.objects(GET_SUBMISSION_SETS_ID, [['$uuid', list(h.a.docs.d1.entryUuid)]]);
    expect(ids(one)).toEqual(sorted(h.a.ss[0], h.a.assocs.s1d1));
    expect(countKinds(await h.objects(GET_SUBMISSION_SETS_ID, [['$uuid', list(h.a.docs.d3.entryUuid, h.a.docs.d4.entryUuid)]]))).toEqual(counts(0, 1, 0, 2));
    expect(countKinds(await h.objects(GET_SUBMISSION_SETS_ID, [['$uuid', list(h.a.docs.d1.entryUuid, h.a.docs.d2.entryUuid)]]))).toEqual(counts(0, 2, 0, 2));
    expect(ids(await h.objects(GET_SUBMISSION_SETS_ID, [['$uuid', list(h.a.folders.f1.entryUuid)]]))).toEqual(sorted(h.a.ss[1], h.a.assocs.s2f1));
  });
  it('a document in a folder is not a member of the folder SubmissionSet twice', async () => {
    expect(countKinds(await h.objects(GET_SUBMISSION_SETS_ID, [['$uuid', list(h.a.docs.d2.entryUuid)]]))).toEqual(counts(0, 1, 0, 1));
  });
});

describe('GetSubmissionSetAndContents (11906)', () => {
  const get = (slots: [string, ...string[]][], rt = 'LeafClass') => h.objects(GET_SUBMISSION_SET_AND_CONTENTS_ID, slots, rt);
  it('by uniqueId and by entryUUID: SS with one document', async () => {
    expect(ids(await get([['$XDSSubmissionSetUniqueId', q(h.a.ss[0].uniqueId)]]))).toEqual(sorted(h.a.ss[0], h.a.docs.d1, h.a.assocs.s1d1));
    expect(countKinds(await get([['$XDSSubmissionSetEntryUUID', q(h.a.ss[0].entryUuid)]]))).toEqual(counts(1, 1, 0, 1));
  });
  it('two documents and a folder with every association of the submission', async () => {
    const r = await get([['$XDSSubmissionSetUniqueId', q(h.a.ss[2].uniqueId)]]);
    expect(countKinds(r)).toEqual(counts(2, 1, 1, 7));
  });
  it('formatCode filter keeps the folder and drops the other document and its associations', async () => {
    const r = await get([['$XDSSubmissionSetUniqueId', q(h.a.ss[2].uniqueId)], ['$XDSDocumentEntryFormatCode', list(`urn:ihe:pcc:aps:2007^^${FORMAT}`)]]);
    const a = h.a.assocs;
    expect(ids(r)).toEqual(sorted(h.a.ss[2], h.a.docs.d3, h.a.folders.f2, a.s3d3, a.s3f2, a.f2d3, a.s3f2d3));
  });
  it('confidentialityCode filter', async () => {
    const r = await get([['$XDSSubmissionSetUniqueId', q(h.a.ss[2].uniqueId)], ['$XDSDocumentEntryConfidentialityCode', list(`R^^${CONF}`)]]);
    expect(countKinds(r)).toEqual(counts(1, 1, 1, 4));
    expect(r.some((o) => o.entryUuid === h.a.docs.d4.entryUuid)).toBe(true);
  });
  it('ObjectRef return (objectrefs: 3)', async () => {
    const r = await h.xml(GET_SUBMISSION_SET_AND_CONTENTS_ID, [['$XDSSubmissionSetUniqueId', q(h.a.ss[0].uniqueId)]], 'ObjectRef');
    expect(r.elements).toEqual(['ObjectRef', 'ObjectRef', 'ObjectRef']);
  });
  it('an unknown SubmissionSet returns nothing', async () => {
    expect(await get([['$XDSSubmissionSetUniqueId', q('1.2.3.4.5')]])).toEqual([]);
  });
  it('both identifiers is XDSStoredQueryParamNumber', async () => {
    const r = await h.xml(GET_SUBMISSION_SET_AND_CONTENTS_ID, [
      ['$XDSSubmissionSetUniqueId', q(h.a.ss[0].uniqueId)],
      ['$XDSSubmissionSetEntryUUID', q(h.a.ss[0].entryUuid)],
    ]);
    expect(r.errorCodes).toEqual(['XDSStoredQueryParamNumber']);
  });
});

describe('GetFolderAndContents (11907)', () => {
  const f2 = () => ['$XDSFolderEntryUUID', q(h.a.folders.f2.entryUuid)] as [string, string];
  it('by uniqueId: folder, document, association', async () => {
    const r = await h.objects(GET_FOLDER_AND_CONTENTS_ID, [['$XDSFolderUniqueId', q(h.a.folders.f1.uniqueId)]]);
    expect(ids(r)).toEqual(sorted(h.a.folders.f1, h.a.docs.d2, h.a.assocs.f1d2));
  });
  it('confidentialityCode one code and both codes', async () => {
    expect(countKinds(await h.objects(GET_FOLDER_AND_CONTENTS_ID, [f2(), ['$XDSDocumentEntryConfidentialityCode', list(`R^^${CONF}`)]]))).toEqual(counts(1, 0, 1, 1));
    expect(
      countKinds(await h.objects(GET_FOLDER_AND_CONTENTS_ID, [f2(), ['$XDSDocumentEntryConfidentialityCode', list(`R^^${CONF}`, `N^^${CONF}`)]])),
    ).toEqual(counts(2, 0, 1, 2));
  });
  it('formatCode', async () => {
    const r = await h.objects(GET_FOLDER_AND_CONTENTS_ID, [f2(), ['$XDSDocumentEntryFormatCode', list(`urn:ihe:rad:TEXT^^${FORMAT}`)]]);
    expect(ids(r)).toEqual(sorted(h.a.folders.f2, h.a.docs.d4, h.a.assocs.f2d4));
  });
});

describe('GetFoldersForDocument (11908)', () => {
  it('by uniqueId and entryUUID: the folder only', async () => {
    expect(ids(await h.objects(GET_FOLDERS_FOR_DOCUMENT_ID, [['$XDSDocumentEntryUniqueId', q(h.a.docs.d2.uniqueId)]]))).toEqual(sorted(h.a.folders.f1));
    expect(ids(await h.objects(GET_FOLDERS_FOR_DOCUMENT_ID, [['$XDSDocumentEntryEntryUUID', q(h.a.docs.d3.entryUuid)]]))).toEqual(sorted(h.a.folders.f2));
    expect(await h.objects(GET_FOLDERS_FOR_DOCUMENT_ID, [['$XDSDocumentEntryEntryUUID', q(h.a.docs.d1.entryUuid)]])).toEqual([]);
  });
});

describe('GetRelatedDocuments (11909)', () => {
  const types = ['$AssociationTypes', list(AssociationType.HasMember, AssociationType.Replace)] as [string, string];
  it('the replacement, the original and the RPLC association', async () => {
    const r = await h.objects(GET_RELATED_DOCUMENTS_ID, [['$XDSDocumentEntryUniqueId', q(h.a.docs.d6.uniqueId)], types]);
    expect(ids(r)).toEqual(sorted(h.a.docs.d6, h.a.docs.d5, h.a.assocs.rplc));
    const fromOriginal = await h.objects(GET_RELATED_DOCUMENTS_ID, [['$XDSDocumentEntryEntryUUID', q(h.a.docs.d5.entryUuid)], types]);
    expect(countKinds(fromOriginal)).toEqual(counts(2, 0, 0, 1));
  });
  it('nothing for an unknown entry, an unrelated entry, or folder membership (no_initial_doc, uuid_no_related, near_folder)', async () => {
    expect(await h.objects(GET_RELATED_DOCUMENTS_ID, [['$XDSDocumentEntryEntryUUID', q('urn:uuid:d90e5407-b356-4d91-a89f-873917b4b0e6')], types])).toEqual([]);
    expect(await h.objects(GET_RELATED_DOCUMENTS_ID, [['$XDSDocumentEntryUniqueId', q(h.a.docs.d1.uniqueId)], types])).toEqual([]);
    expect(await h.objects(GET_RELATED_DOCUMENTS_ID, [['$XDSDocumentEntryUniqueId', q(h.a.docs.d2.uniqueId)], types])).toEqual([]);
  });
  it('only the requested association types', async () => {
    const r = await h.objects(GET_RELATED_DOCUMENTS_ID, [
      ['$XDSDocumentEntryUniqueId', q(h.a.docs.d6.uniqueId)],
      ['$AssociationTypes', list(AssociationType.Append)],
    ]);
    expect(r).toEqual([]);
  });
  it('$XDSDocumentEntryType filters the related entries (default stable)', async () => {
    const onDemand = ['$XDSDocumentEntryType', list('urn:uuid:34268e47-fdf5-41a6-ba33-82133c465248')] as [string, string];
    expect(await h.objects(GET_RELATED_DOCUMENTS_ID, [['$XDSDocumentEntryUniqueId', q(h.a.docs.d6.uniqueId)], types, onDemand])).toEqual([]);
  });
  it('$AssociationTypes is required', async () => {
    const r = await h.xml(GET_RELATED_DOCUMENTS_ID, [['$XDSDocumentEntryUniqueId', q(h.a.docs.d6.uniqueId)]]);
    expect(r.errorCodes).toEqual(['XDSStoredQueryMissingParam']);
  });
});

describe('XDSResultNotSinglePatient (12368)', () => {
  it('GetDocuments LeafClass across patients fails, ObjectRef succeeds', async () => {
    const slots: [string, ...string[]][] = [['$XDSDocumentEntryEntryUUID', list(h.a.docs.d1.entryUuid, h.b.docs.d1.entryUuid)]];
    const leaf = await h.xml(GET_DOCUMENTS_ID, slots, 'LeafClass');
    expect(leaf.status).toBe('Failure');
    expect(leaf.errorCodes).toEqual(['XDSResultNotSinglePatient']);
    expect(leaf.elements).toEqual([]);
    const refs = await h.xml(GET_DOCUMENTS_ID, slots, 'ObjectRef');
    expect(refs.status).toBe('Success');
    expect(refs.elements).toHaveLength(2);
  });
  it('GetSubmissionSets across patients: LeafClass fails, ObjectRef returns 2 sets + 2 associations', async () => {
    const slots: [string, ...string[]][] = [['$uuid', list(h.a.docs.d1.entryUuid, h.b.docs.d1.entryUuid)]];
    expect((await h.xml(GET_SUBMISSION_SETS_ID, slots)).errorCodes).toEqual(['XDSResultNotSinglePatient']);
    expect((await h.xml(GET_SUBMISSION_SETS_ID, slots, 'ObjectRef')).elements).toHaveLength(4);
  });
  it('GetFolders across patients', async () => {
    expect((await h.xml(GET_FOLDERS_ID, [['$XDSFolderEntryUUID', list(h.a.folders.f1.entryUuid, h.b.folders.f1.entryUuid)]])).errorCodes).toEqual([
      'XDSResultNotSinglePatient',
    ]);
    expect(
      (await h.xml(GET_FOLDERS_ID, [['$XDSFolderUniqueId', list(h.a.folders.f1.uniqueId, h.b.folders.f1.uniqueId)]], 'ObjectRef')).elements,
    ).toHaveLength(2);
  });
});

describe('$MetadataLevel and logicalID (ITI-57 versions)', () => {
  it('GetDocuments by logicalID: latest version at level 1, every version at level 2', async () => {
    const { emptyWrite } = await import('../../../src/storage/ports.js');
    const v1 = h.a.docs.d1;
    const v2 = { ...v1, entryUuid: 'urn:uuid:11111111-2222-4333-8444-555555555555', version: 2 };
    await h.stores.metadata.commit({
      ...emptyWrite(),
      insert: [v2],
      statusChanges: [{ entryUuid: v1.entryUuid, status: Status.Deprecated }],
    });
    const level1 = await h.objects(GET_DOCUMENTS_ID, [['$XDSDocumentEntryLogicalID', list(v1.logicalId)]]);
    expect(ids(level1)).toEqual([v2.entryUuid]);
    const level2 = await h.objects(GET_DOCUMENTS_ID, [['$XDSDocumentEntryLogicalID', list(v1.logicalId)], ['$MetadataLevel', '2']]);
    expect(ids(level2)).toEqual([v1.entryUuid, v2.entryUuid].sort());
    // an entryUUID names one version, whatever the level
    expect(ids(await h.objects(GET_DOCUMENTS_ID, [['$XDSDocumentEntryEntryUUID', list(v1.entryUuid)]]))).toEqual([v1.entryUuid]);
  });
});
