/**
 * The pure MongoDB filter translation, tested without a server in two ways: the exact query documents
 * (what the server receives) and their meaning, by evaluating them with mingo (MongoDB query semantics in
 * memory) over stored objects built by document-shape.ts.
 */
import { Query } from 'mingo';
import { describe, expect, it } from 'vitest';
import type { DocumentEntryFilter } from '../../../src/storage/ports.js';
import { toStored, type StoredObject } from '../../../src/storage/mongodb/document-shape.js';
import {
  MATCH_NOTHING,
  associationQuery,
  authorPersons,
  codeCondition,
  documentEntryQuery,
  folderQuery,
  inList,
  latestOnly,
  likeToRegExp,
  referenceIds,
  submissionSetQuery,
  timeRange,
  type MongoQuery,
} from '../../../src/storage/mongodb/filter-translation.js';
import { Status, type RegistryObject } from '../../../src/xds/model/types.js';
import { PID, PID2, association, doc, folder, submissionSet } from './fixtures.js';

function stored(objs: RegistryObject[], latest: Set<string> = new Set(objs.map((o) => o.entryUuid))): StoredObject[] {
  return objs.map((o) => {
    const s = toStored(o);
    if ('_latest' in s) s._latest = latest.has(o.entryUuid);
    return s;
  });
}
function matching(query: MongoQuery, docs: StoredObject[]): string[] {
  const q = new Query(query);
  return docs.filter((d) => q.test(d)).map((d) => d._id);
}

const C = (code: string, scheme = 'S') => ({ code, scheme });

describe('inList', () => {
  it('leaves an undefined list unconstrained, makes an empty list match nothing', () => {
    expect(inList('patientId', undefined)).toBeUndefined();
    expect(inList('patientId', [])).toBe(MATCH_NOTHING);
    expect(inList('patientId', ['a'])).toEqual({ patientId: 'a' });
    expect(inList('patientId', ['a', 'b', 'a'])).toEqual({ patientId: { $in: ['a', 'b'] } });
    expect(matching(MATCH_NOTHING, stored([doc(1)]))).toEqual([]);
  });
});

describe('codeCondition (ITI TF-2a §3.18.4.1.2.3.5: AND of OR-groups, code and scheme)', () => {
  it('builds one $elemMatch per OR-group and $all across groups', () => {
    expect(codeCondition('classCode', [[{ code: 'A', scheme: 'S' }]])).toEqual({
      _codes: { $elemMatch: { k: 'classCode', c: 'A', s: 'S' } },
    });
    expect(codeCondition('eventCode', [[{ code: 'A', scheme: 'S' }, { code: 'B' }], [{ code: 'C', scheme: 'T' }]])).toEqual({
      _codes: {
        $all: [
          { $elemMatch: { k: 'eventCode', $or: [{ c: 'A', s: 'S' }, { c: 'B' }] } },
          { $elemMatch: { k: 'eventCode', c: 'C', s: 'T' } },
        ],
      },
    });
    expect(codeCondition('classCode', undefined)).toBeUndefined();
    expect(codeCondition('classCode', [])).toBeUndefined();
    expect(codeCondition('classCode', [[{ code: 'A' }], []])).toBe(MATCH_NOTHING);
  });

  const docs = stored([
    doc(1, { classCode: C('A'), eventCodes: [C('E1'), C('E2', 'T')], confidentialityCodes: [C('N', 'conf')] }),
    doc(2, { classCode: C('A', 'other'), eventCodes: [C('E1')] }),
    doc(3, { classCode: C('B'), eventCodes: [C('E2')], typeCode: C('A') }),
    doc(4, {}),
  ]);
  const ids = (q: MongoQuery | undefined) => matching(q ?? {}, docs).map((id) => Number(id.slice(-2)));

  it('matches code AND scheme; scheme undefined matches any scheme', () => {
    expect(ids(codeCondition('classCode', [[{ code: 'A', scheme: 'S' }]]))).toEqual([1]);
    expect(ids(codeCondition('classCode', [[{ code: 'A' }]]))).toEqual([1, 2]);
    expect(ids(codeCondition('classCode', [[{ code: 'A', scheme: 'nope' }]]))).toEqual([]);
  });

  it('ORs within a group and ANDs across groups on a multi-valued attribute', () => {
    expect(ids(codeCondition('classCode', [[{ code: 'A', scheme: 'S' }, { code: 'B', scheme: 'S' }]]))).toEqual([1, 3]);
    expect(ids(codeCondition('eventCode', [[{ code: 'E1', scheme: 'S' }], [{ code: 'E2', scheme: 'T' }]]))).toEqual([1]);
    expect(ids(codeCondition('eventCode', [[{ code: 'E1' }], [{ code: 'E2' }]]))).toEqual([1]);
    expect(ids(codeCondition('eventCode', [[{ code: 'E1' }, { code: 'E2' }]]))).toEqual([1, 2, 3]);
  });

  it('requires code and scheme on the same element, and keeps attributes apart', () => {
    // doc 1 has E2 with scheme T and E1 with scheme S: E2/S must not match by mixing elements.
    expect(ids(codeCondition('eventCode', [[{ code: 'E2', scheme: 'S' }]]))).toEqual([3]);
    // typeCode A of doc 3 is not a classCode A.
    expect(ids(codeCondition('typeCode', [[{ code: 'A' }]]))).toEqual([3]);
    expect(ids(codeCondition('confidentialityCode', [[{ code: 'N', scheme: 'conf' }]]))).toEqual([1]);
  });
});

describe('timeRange (§3.18.4.1.2.3.6: From inclusive, To exclusive, normalised DTM)', () => {
  it('normalises the bounds and targets the _n field', () => {
    expect(timeRange('creationTime', { from: '2004', to: '20041224' })).toEqual({
      '_n.creationTime': { $gte: '20040101000000', $lt: '20041224000000' },
    });
    expect(timeRange('creationTime', { to: '200412241530' })).toEqual({ '_n.creationTime': { $lt: '20041224153000' } });
    expect(timeRange('creationTime', {})).toBeUndefined();
    expect(timeRange('creationTime', undefined)).toBeUndefined();
  });

  const docs = stored([
    doc(1, { creationTime: '20041224' }),
    doc(2, { creationTime: '20041223235959' }),
    doc(3, { creationTime: '2005' }),
    doc(4, {}),
  ]);
  const ids = (q: MongoQuery | undefined) => matching(q ?? {}, docs).map((id) => Number(id.slice(-2)));

  it('includes the left edge, excludes the right edge, never matches an absent time', () => {
    expect(ids(timeRange('creationTime', { from: '20041224' }))).toEqual([1, 3]);
    expect(ids(timeRange('creationTime', { to: '20041224' }))).toEqual([2]);
    expect(ids(timeRange('creationTime', { from: '2004', to: '2005' }))).toEqual([1, 2]);
    expect(ids(timeRange('creationTime', { from: '200501010000' }))).toEqual([3]);
  });
});

describe('likeToRegExp / authorPersons (§3.18.4.1.2.3.7.8)', () => {
  it('anchors, maps % and _, escapes everything else', () => {
    expect(likeToRegExp('Sm%').source).toBe('^Sm[\\s\\S]*$');
    expect(likeToRegExp('a_c').source).toBe('^a[\\s\\S]c$');
    const tricky = 'Dr. (Jr.) [x]*+?^$|{1}\\/';
    expect(likeToRegExp(tricky).test(tricky)).toBe(true);
    expect(likeToRegExp(tricky).test('Dr! (Jr.) [x]*+?^$|{1}\\/')).toBe(false);
    expect(likeToRegExp('a-b').test('a-b')).toBe(true);
  });

  it('follows LIKE: % spans anything (also empty and newlines), _ is exactly one character, case-sensitive', () => {
    expect(likeToRegExp('%Smith%').test('Dr John Smith Jr')).toBe(true);
    expect(likeToRegExp('%Smith%').test('Smith')).toBe(true);
    expect(likeToRegExp('%Smith').test('Smith\nX')).toBe(false);
    expect(likeToRegExp('%X').test('Smith\nX')).toBe(true);
    expect(likeToRegExp('S_ith').test('Smith')).toBe(true);
    expect(likeToRegExp('S_ith').test('Sith')).toBe(false);
    expect(likeToRegExp('S_ith').test('Sææith')).toBe(false);
    expect(likeToRegExp('S_ith').test('S\u{1F600}ith')).toBe(true);
    expect(likeToRegExp('smith').test('Smith')).toBe(false);
    expect(likeToRegExp('Smith').test('xSmith')).toBe(false);
  });

  it('escapes control characters (BSON refuses a NUL byte in a pattern)', () => {
    const re = likeToRegExp('a\u0000b\tc');
    expect(re.source).toBe('^a\\x00b\\x09c$');
    expect(re.test('a\u0000b\tc')).toBe(true);
  });

  it('ORs the patterns over every author of the object', () => {
    expect(authorPersons(undefined)).toBeUndefined();
    expect(authorPersons([])).toBe(MATCH_NOTHING);
    const docs = stored([
      doc(1, { authors: [{ person: '^Smith^John', institutions: [], roles: [], specialties: [], telecoms: [] }] }),
      doc(2, {
        authors: [
          { institutions: ['X'], roles: [], specialties: [], telecoms: [] },
          { person: '^Jones^Ann', institutions: [], roles: [], specialties: [], telecoms: [] },
        ],
      }),
      doc(3, {}),
    ]);
    expect(matching(authorPersons(['%Smith%'])!, docs)).toEqual([docs[0]._id]);
    expect(matching(authorPersons(['%Smith%', '%Jones%'])!, docs)).toEqual([docs[0]._id, docs[1]._id]);
    expect(matching(authorPersons(['%'])!, docs)).toEqual([docs[0]._id, docs[1]._id]);
  });
});

describe('referenceIds (§3.18.4.1.2.3.7.15: AND of OR-groups)', () => {
  const docs = stored([doc(1, { referenceIds: ['r1', 'r2'] }), doc(2, { referenceIds: ['r2'] }), doc(3, {})]);
  it('translates and matches', () => {
    expect(referenceIds(undefined)).toBeUndefined();
    expect(referenceIds([['a'], []])).toBe(MATCH_NOTHING);
    expect(referenceIds([['r1', 'r2']])).toEqual({ referenceIds: { $in: ['r1', 'r2'] } });
    expect(referenceIds([['r1'], ['r2']])).toEqual({ $and: [{ referenceIds: 'r1' }, { referenceIds: 'r2' }] });
    expect(matching(referenceIds([['r1', 'r2']])!, docs)).toEqual([docs[0]._id, docs[1]._id]);
    expect(matching(referenceIds([['r1'], ['r2']])!, docs)).toEqual([docs[0]._id]);
    expect(matching(referenceIds([['r3']])!, docs)).toEqual([]);
  });
});

describe('documentEntryQuery', () => {
  it('is empty for an empty filter except the latest-version rule', () => {
    expect(documentEntryQuery({ allVersions: true })).toEqual({});
    expect(documentEntryQuery({})).toEqual({ _latest: true });
    expect(latestOnly(true)).toBeUndefined();
  });

  it('ANDs every field into one $and', () => {
    const filter: DocumentEntryFilter = {
      patientIds: [PID],
      entryUuids: ['u1', 'u2'],
      uniqueIds: ['1.2'],
      logicalIds: ['l1'],
      statuses: [Status.Approved],
      objectTypes: ['t'],
      classCode: [[{ code: 'c1', scheme: 's' }]],
      typeCode: [[{ code: 't1' }]],
      practiceSettingCode: [[{ code: 'p1' }]],
      healthcareFacilityTypeCode: [[{ code: 'h1' }]],
      eventCode: [[{ code: 'e1' }]],
      confidentialityCode: [[{ code: 'n1' }]],
      formatCode: [[{ code: 'f1' }]],
      creationTime: { from: '2004' },
      serviceStartTime: { to: '2005' },
      serviceStopTime: { from: '2006', to: '2007' },
      authorPersons: ['%a%'],
      referenceIds: [['r']],
      allVersions: false,
    };
    const q = documentEntryQuery(filter) as { $and: MongoQuery[] };
    expect(q.$and).toEqual([
      { patientId: PID },
      { _id: { $in: ['u1', 'u2'] } },
      { uniqueId: '1.2' },
      { logicalId: 'l1' },
      { status: Status.Approved },
      { objectType: 't' },
      { _codes: { $elemMatch: { k: 'classCode', c: 'c1', s: 's' } } },
      { _codes: { $elemMatch: { k: 'typeCode', c: 't1' } } },
      { _codes: { $elemMatch: { k: 'practiceSettingCode', c: 'p1' } } },
      { _codes: { $elemMatch: { k: 'healthcareFacilityTypeCode', c: 'h1' } } },
      { _codes: { $elemMatch: { k: 'eventCode', c: 'e1' } } },
      { _codes: { $elemMatch: { k: 'confidentialityCode', c: 'n1' } } },
      { _codes: { $elemMatch: { k: 'formatCode', c: 'f1' } } },
      { '_n.creationTime': { $gte: '20040101000000' } },
      { '_n.serviceStartTime': { $lt: '20050101000000' } },
      { '_n.serviceStopTime': { $gte: '20060101000000', $lt: '20070101000000' } },
      { 'authors.person': { $in: [likeToRegExp('%a%')] } },
      { referenceIds: 'r' },
      { _latest: true },
    ]);
  });

  it('finds the expected entries: FindDocuments by patient, status, codes, time and latest version', () => {
    const v1 = doc(1, { classCode: C('A'), creationTime: '2010', status: Status.Deprecated });
    const v2 = doc(2, { classCode: C('A'), creationTime: '2011', logicalId: v1.logicalId, version: 2, uniqueId: v1.uniqueId });
    const other = doc(3, { classCode: C('B'), creationTime: '2012' });
    const otherPatient = doc(4, { classCode: C('A'), patientId: PID2 });
    const submitted = doc(5, { classCode: C('A'), status: Status.Submitted });
    const docs = stored([v1, v2, other, otherPatient, submitted], new Set([v2, other, otherPatient, submitted].map((d) => d.entryUuid)));
    const find = (f: DocumentEntryFilter) => matching(documentEntryQuery(f), docs);

    expect(find({ patientIds: [PID], statuses: [Status.Approved] })).toEqual([v2.entryUuid, other.entryUuid]);
    expect(find({ patientIds: [PID], statuses: [Status.Approved, Status.Deprecated], allVersions: true })).toEqual([
      v1.entryUuid,
      v2.entryUuid,
      other.entryUuid,
    ]);
    // the latest-version rule is about the whole logicalID, not the entries that match the rest.
    expect(find({ patientIds: [PID], statuses: [Status.Deprecated] })).toEqual([]);
    expect(find({ patientIds: [PID], classCode: [[{ code: 'A' }]], statuses: [Status.Approved] })).toEqual([v2.entryUuid]);
    expect(find({ patientIds: [PID, PID2], classCode: [[{ code: 'A' }]], statuses: [Status.Approved] })).toEqual([
      v2.entryUuid,
      otherPatient.entryUuid,
    ]);
    expect(find({ patientIds: [PID], creationTime: { from: '2011', to: '2012' }, statuses: [Status.Approved] })).toEqual([v2.entryUuid]);
    expect(find({ uniqueIds: [v1.uniqueId], allVersions: true })).toEqual([v1.entryUuid, v2.entryUuid]);
    expect(find({ logicalIds: [v1.logicalId] })).toEqual([v2.entryUuid]);
    expect(find({ entryUuids: [v1.entryUuid], allVersions: true })).toEqual([v1.entryUuid]);
    expect(find({ patientIds: [] })).toEqual([]);
  });
});

describe('submissionSetQuery / folderQuery / associationQuery', () => {
  it('finds SubmissionSets by source, time, author and contentTypeCode', () => {
    const a = submissionSet(1, {
      sourceId: 'src1',
      submissionTime: '20200101',
      contentTypeCode: C('ct'),
      authors: [{ person: 'Hansen', institutions: [], roles: [], specialties: [], telecoms: [] }],
    });
    const b = submissionSet(2, { sourceId: 'src2', submissionTime: '20210101' });
    const docs = stored([a, b]);
    expect(matching(submissionSetQuery({ patientIds: [PID], sourceIds: ['src1'] }), docs)).toEqual([a.entryUuid]);
    expect(matching(submissionSetQuery({ submissionTime: { from: '2021' } }), docs)).toEqual([b.entryUuid]);
    expect(matching(submissionSetQuery({ authorPersons: ['Han%'] }), docs)).toEqual([a.entryUuid]);
    expect(matching(submissionSetQuery({ contentTypeCode: [[{ code: 'ct', scheme: 'S' }]] }), docs)).toEqual([a.entryUuid]);
    expect(submissionSetQuery({})).toEqual({});
  });

  it('finds Folders by codeList, lastUpdateTime and latest version', () => {
    const f1 = folder(1, { codeList: [C('x'), C('y')], lastUpdateTime: '20200102' });
    const f2 = folder(2, { codeList: [C('y')], logicalId: f1.logicalId, version: 2, uniqueId: f1.uniqueId, lastUpdateTime: '20200103' });
    const docs = stored([f1, f2], new Set([f2.entryUuid]));
    expect(matching(folderQuery({ codeList: [[{ code: 'y' }]] }), docs)).toEqual([f2.entryUuid]);
    expect(matching(folderQuery({ codeList: [[{ code: 'x' }], [{ code: 'y' }]], allVersions: true }), docs)).toEqual([f1.entryUuid]);
    expect(matching(folderQuery({ lastUpdateTime: { to: '20200103' }, allVersions: true }), docs)).toEqual([f1.entryUuid]);
  });

  it('finds Associations by source OR target, type and status', () => {
    const a1 = association(1, 'A', 'B');
    const a2 = association(2, 'B', 'C', { associationType: 'urn:ihe:iti:2007:AssociationType:RPLC' });
    const a3 = association(3, 'C', 'D', { status: Status.Deprecated });
    const docs = stored([a1, a2, a3]);
    expect(associationQuery({ sourceOrTarget: ['B'] })).toEqual({ $or: [{ sourceUuid: 'B' }, { targetUuid: 'B' }] });
    expect(matching(associationQuery({ sourceOrTarget: ['B'] }), docs)).toEqual([a1.entryUuid, a2.entryUuid]);
    expect(matching(associationQuery({ sourceOrTarget: ['B'], types: ['urn:ihe:iti:2007:AssociationType:RPLC'] }), docs)).toEqual([a2.entryUuid]);
    expect(matching(associationQuery({ sourceOrTarget: ['C', 'D'], statuses: [Status.Approved] }), docs)).toEqual([a2.entryUuid]);
    expect(matching(associationQuery({ sourceUuids: ['A', 'C'], targetUuids: ['D'] }), docs)).toEqual([a3.entryUuid]);
    expect(matching(associationQuery({ sourceOrTarget: [] }), docs)).toEqual([]);
    expect(matching(associationQuery({ entryUuids: [a3.entryUuid] }), docs)).toEqual([a3.entryUuid]);
  });
});
