/**
 * Filter compilation: what each query hands the MetadataStore (a spy records the filters), so the
 * backend-neutral query description is pinned independently of any adapter.
 */
import { describe, expect, it } from 'vitest';
import type {
  AssociationFilter, DocumentEntryFilter, FindOptions, FolderFilter, MetadataStore, SubmissionSetFilter,
} from '../../../src/storage/ports.js';
import { DocumentEntryType } from '../../../src/xds/model/types.js';
import { QueryParams } from '../../../src/xds/queries/params.js';
import { findDocuments } from '../../../src/xds/queries/find-documents.js';
import { findSubmissionSets } from '../../../src/xds/queries/find-submission-sets.js';
import { getDocuments } from '../../../src/xds/queries/get-documents.js';
import { getAll } from '../../../src/xds/queries/get-all.js';
import type { StoredQuery } from '../../../src/xds/queries/query-types.js';
import { APPROVED, DEPRECATED, list, q } from './fixture.js';

type Call =
  | ['findDocumentEntries', DocumentEntryFilter, FindOptions | undefined]
  | ['findSubmissionSets', SubmissionSetFilter, FindOptions | undefined]
  | ['findFolders', FolderFilter, FindOptions | undefined]
  | ['findAssociations', AssociationFilter, FindOptions | undefined];

function spyStore(): { store: MetadataStore; calls: Call[] } {
  const calls: Call[] = [];
  const unused = () => Promise.reject(new Error('not used by stored queries'));
  const store: MetadataStore = {
    commit: unused,
    getObjects: unused,
    readOutbox: unused,
    ackOutbox: unused,
    countObjects: unused,
    close: unused,
    findDocumentEntries: async (f, o) => (calls.push(['findDocumentEntries', f, o]), []),
    findSubmissionSets: async (f, o) => (calls.push(['findSubmissionSets', f, o]), []),
    findFolders: async (f, o) => (calls.push(['findFolders', f, o]), []),
    findAssociations: async (f, o) => (calls.push(['findAssociations', f, o]), []),
  };
  return { store, calls };
}

async function compile(query: StoredQuery, slots: [string, ...string[]][]) {
  const spy = spyStore();
  const params = new QueryParams(slots.map(([name, ...values]) => ({ name, values })), query.params);
  await query.execute(params, spy.store, { returnType: 'LeafClass', maxResults: 100 });
  return spy.calls;
}

describe('FindDocuments compiles to one DocumentEntryFilter', () => {
  it('with every parameter', async () => {
    const calls = await compile(findDocuments, [
      ['$XDSDocumentEntryPatientId', q('p^^^&1.2&ISO')],
      ['$XDSDocumentEntryStatus', list(APPROVED, DEPRECATED)],
      ['$XDSDocumentEntryClassCode', list('c1^^s1', 'c2^^s2')],
      ['$XDSDocumentEntryTypeCode', list('t^^s')],
      ['$XDSDocumentEntryPracticeSettingCode', list('p^^s')],
      ['$XDSDocumentEntryHealthcareFacilityTypeCode', list('h^^s')],
      ['$XDSDocumentEntryEventCodeList', list('e1^^s')],
      ['$XDSDocumentEntryEventCodeList', list('e2^^s', 'e3^^s')],
      ['$XDSDocumentEntryConfidentialityCode', list('N^^s')],
      ['$XDSDocumentEntryFormatCode', list('f^^s')],
      ['$XDSDocumentEntryCreationTimeFrom', '2004'],
      ['$XDSDocumentEntryCreationTimeTo', '200501'],
      ['$XDSDocumentEntryServiceStartTimeFrom', '20040101'],
      ['$XDSDocumentEntryServiceStopTimeTo', '2006'],
      ['$XDSDocumentEntryAuthorPerson', list('%Ford%', 'J_ne%')],
      ['$XDSDocumentEntryType', list(DocumentEntryType.OnDemand)],
    ]);
    expect(calls).toEqual([
      [
        'findDocumentEntries',
        {
          patientIds: ['p^^^&1.2&ISO'],
          statuses: [APPROVED, DEPRECATED],
          objectTypes: [DocumentEntryType.OnDemand],
          allVersions: false,
          classCode: [[{ code: 'c1', scheme: 's1' }, { code: 'c2', scheme: 's2' }]],
          typeCode: [[{ code: 't', scheme: 's' }]],
          practiceSettingCode: [[{ code: 'p', scheme: 's' }]],
          healthcareFacilityTypeCode: [[{ code: 'h', scheme: 's' }]],
          eventCode: [[{ code: 'e1', scheme: 's' }], [{ code: 'e2', scheme: 's' }, { code: 'e3', scheme: 's' }]],
          confidentialityCode: [[{ code: 'N', scheme: 's' }]],
          formatCode: [[{ code: 'f', scheme: 's' }]],
          creationTime: { from: '20040101000000', to: '20050101000000' },
          serviceStartTime: { from: '20040101000000' },
          serviceStopTime: { to: '20060101000000' },
          authorPersons: ['%Ford%', 'J_ne%'],
        },
        { limit: 101 },
      ],
    ]);
  });
  it('defaults: stable entries, latest versions', async () => {
    const [[, filter]] = await compile(findDocuments, [
      ['$XDSDocumentEntryPatientId', q('p')],
      ['$XDSDocumentEntryStatus', list(APPROVED)],
    ]);
    expect(filter).toEqual({ patientIds: ['p'], statuses: [APPROVED], objectTypes: [DocumentEntryType.Stable], allVersions: false });
  });
  it('$MetadataLevel 2 asks for every version', async () => {
    const [[, filter]] = await compile(findDocuments, [
      ['$XDSDocumentEntryPatientId', q('p')],
      ['$XDSDocumentEntryStatus', list(APPROVED)],
      ['$MetadataLevel', '2'],
    ]);
    expect((filter as DocumentEntryFilter).allVersions).toBe(true);
  });
});

describe('other compilations', () => {
  it('FindSubmissionSets', async () => {
    const calls = await compile(findSubmissionSets, [
      ['$XDSSubmissionSetPatientId', q('p')],
      ['$XDSSubmissionSetStatus', list(APPROVED)],
      ['$XDSSubmissionSetSourceId', list('1.2.3')],
      ['$XDSSubmissionSetSubmissionTimeFrom', '2004'],
      ['$XDSSubmissionSetAuthorPerson', q('%Smith%')],
      ['$XDSSubmissionSetContentType', list('c^^s')],
    ]);
    expect(calls).toEqual([
      [
        'findSubmissionSets',
        {
          patientIds: ['p'],
          statuses: [APPROVED],
          sourceIds: ['1.2.3'],
          submissionTime: { from: '20040101000000' },
          authorPersons: ['%Smith%'],
          contentTypeCode: [[{ code: 'c', scheme: 's' }]],
        },
        { limit: 101 },
      ],
    ]);
  });
  it('GetDocuments by uniqueId, entryUUID and logicalID', async () => {
    expect((await compile(getDocuments, [['$XDSDocumentEntryUniqueId', list('1.2', '1.3')]]))[0][1]).toEqual({
      uniqueIds: ['1.2', '1.3'],
      allVersions: false,
    });
    expect((await compile(getDocuments, [['$XDSDocumentEntryEntryUUID', list('urn:uuid:a')]]))[0][1]).toEqual({
      entryUuids: ['urn:uuid:a'],
      allVersions: true,
    });
    expect((await compile(getDocuments, [['$XDSDocumentEntryLogicalID', list('urn:uuid:l')], ['$MetadataLevel', '2']]))[0][1]).toEqual({
      logicalIds: ['urn:uuid:l'],
      allVersions: true,
    });
  });
  it('GetAll queries the three kinds for the patient (no associations when nothing was found)', async () => {
    const calls = await compile(getAll, [
      ['$patientId', q('p')],
      ['$XDSDocumentEntryStatus', list(APPROVED)],
      ['$XDSSubmissionSetStatus', list(APPROVED)],
      ['$XDSFolderStatus', list(DEPRECATED)],
    ]);
    expect(calls.map((c) => c[0])).toEqual(['findDocumentEntries', 'findSubmissionSets', 'findFolders']);
    expect(calls[2][1]).toEqual({ patientIds: ['p'], statuses: [DEPRECATED], allVersions: false });
  });
});
