/**
 * Contract suite of the MetadataStore port (src/storage/ports.ts). Every adapter runs it:
 *   describeMetadataStoreContract('sqlite', async () => { ...; return { store, cleanup } });
 * It pins the stored-query filter semantics (ITI TF-2a §3.18.4.1.2.3.5-7) and the all-or-nothing commit.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, emptyWrite, type MetadataStore, type MetadataWrite } from '../../src/storage/ports.js';
import { AssociationType, DocumentEntryType, Status, type RegistryObject } from '../../src/xds/model/types.js';
import {
  association,
  author,
  code,
  CONNECTATHON,
  documentEntry,
  folder,
  LOINC,
  OTHER_PATIENT,
  PATIENT,
  submission,
  submissionSet,
  uuid,
} from '../support/domain-builders.js';

export type MetadataStoreFactory = () => Promise<{ store: MetadataStore; cleanup(): Promise<void> }>;

const ids = (objs: { entryUuid: string }[]) => objs.map((o) => o.entryUuid).sort();

async function expectConflict(p: Promise<unknown>, reason: ConflictError['reason'], subject?: string) {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConflictError);
  expect((err as ConflictError).reason).toBe(reason);
  if (subject !== undefined) expect((err as ConflictError).subject).toBe(subject);
}

export function describeMetadataStoreContract(name: string, factory: MetadataStoreFactory): void {
  describe(`MetadataStore contract: ${name}`, () => {
    let store: MetadataStore;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, cleanup } = await factory());
    });
    afterEach(async () => {
      await cleanup();
    });

    const write = (w: Partial<MetadataWrite>) => store.commit({ ...emptyWrite(), ...w });
    const insert = (...objs: RegistryObject[]) => write({ insert: objs });

    describe('commit and getObjects', () => {
      it('round-trips every object kind unchanged, in the order asked, skipping unknown ids', async () => {
        const de = documentEntry({ extraSlots: [{ name: 'urn:example:extra', values: ['a', 'b'] }] });
        const fo = folder();
        const sub = submission([de]);
        await insert(...sub.objects, fo);
        const got = await store.getObjects([fo.entryUuid, uuid(), de.entryUuid, sub.submissionSet.entryUuid]);
        expect(got).toEqual([fo, de, sub.submissionSet]);
        expect(await store.getObjects([sub.associations[0].entryUuid])).toEqual([sub.associations[0]]);
        expect(await store.getObjects([])).toEqual([]);
      });

      it('counts objects per kind', async () => {
        await insert(...submission([documentEntry(), documentEntry()]).objects, folder());
        expect(await store.countObjects()).toEqual({ DocumentEntry: 2, SubmissionSet: 1, Folder: 1, Association: 2 });
      });

      it('applies status changes, Folder lastUpdateTime changes and deletes', async () => {
        const de = documentEntry();
        const fo = folder({ lastUpdateTime: '20240101000000' });
        const gone = documentEntry();
        await insert(de, fo, gone);
        await write({
          statusChanges: [{ entryUuid: de.entryUuid, status: Status.Deprecated }],
          folderLastUpdate: [{ entryUuid: fo.entryUuid, lastUpdateTime: '20250102030405' }],
          delete: [gone.entryUuid],
        });
        const [deNow, foNow] = await store.getObjects([de.entryUuid, fo.entryUuid]);
        expect(deNow.status).toBe(Status.Deprecated);
        expect((foNow as typeof fo).lastUpdateTime).toBe('20250102030405');
        expect(await store.getObjects([gone.entryUuid])).toEqual([]);
        // a deleted entry no longer matches through any side index (codes, authors)
        expect(
          await store.findDocumentEntries({ entryUuids: [gone.entryUuid], classCode: [[{ code: 'Summarization' }]] }),
        ).toEqual([]);
        expect(await store.findDocumentEntries({ patientIds: [PATIENT], statuses: [Status.Approved] })).toEqual([]);
        expect(ids(await store.findDocumentEntries({ patientIds: [PATIENT], statuses: [Status.Deprecated] }))).toEqual([
          de.entryUuid,
        ]);
      });

      it('a deleted entryUUID and uniqueId can be used again', async () => {
        const de = documentEntry();
        await insert(de);
        await write({ delete: [de.entryUuid] });
        await insert(de);
        expect(await store.getObjects([de.entryUuid])).toEqual([de]);
      });
    });

    describe('all-or-nothing commit', () => {
      async function expectNothingWritten() {
        expect(await store.countObjects()).toEqual({ DocumentEntry: 1, SubmissionSet: 0, Folder: 0, Association: 0 });
        expect(await store.readOutbox(10)).toEqual([]);
      }
      let existing: ReturnType<typeof documentEntry>;
      beforeEach(async () => {
        existing = documentEntry();
        await insert(existing);
      });
      const fresh = () => ({
        insert: submission([documentEntry()]).objects,
        outbox: [{ queue: 'audit', key: uuid(), payload: { x: 1 } }],
        statusChanges: [{ entryUuid: existing.entryUuid, status: Status.Deprecated }],
      });

      it('a failing status precondition leaves nothing', async () => {
        await expectConflict(
          write({
            ...fresh(),
            preconditions: [{ kind: 'status', entryUuid: existing.entryUuid, expected: Status.Deprecated }],
          }),
          'precondition',
          existing.entryUuid,
        );
        await expectNothingWritten();
        expect((await store.getObjects([existing.entryUuid]))[0].status).toBe(Status.Approved);
      });

      it('a status precondition on an unknown object fails', async () => {
        const ghost = uuid();
        await expectConflict(
          write({ ...fresh(), preconditions: [{ kind: 'status', entryUuid: ghost, expected: Status.Approved }] }),
          'precondition',
          ghost,
        );
        await expectNothingWritten();
      });

      it('a failing latestVersion precondition leaves nothing; a holding one passes', async () => {
        await expectConflict(
          write({ ...fresh(), preconditions: [{ kind: 'latestVersion', logicalId: existing.logicalId, expectedVersion: 2 }] }),
          'precondition',
          existing.logicalId,
        );
        await expectNothingWritten();
        const v2 = documentEntry({ logicalId: existing.logicalId, version: 2, uniqueId: existing.uniqueId });
        await write({
          insert: [v2],
          preconditions: [
            { kind: 'latestVersion', logicalId: existing.logicalId, expectedVersion: 1 },
            { kind: 'status', entryUuid: existing.entryUuid, expected: Status.Approved },
          ],
        });
        await expectConflict(
          write({ preconditions: [{ kind: 'latestVersion', logicalId: existing.logicalId, expectedVersion: 1 }] }),
          'precondition',
        );
      });

      it('absentUniqueId fails when the uniqueId exists for that object kind only', async () => {
        await expectConflict(
          write({
            ...fresh(),
            preconditions: [{ kind: 'absentUniqueId', objectKind: 'DocumentEntry', uniqueId: existing.uniqueId }],
          }),
          'precondition',
          existing.uniqueId,
        );
        await expectNothingWritten();
        await write({ preconditions: [{ kind: 'absentUniqueId', objectKind: 'Folder', uniqueId: existing.uniqueId }] });
      });

      it('a duplicate entryUUID (in the store or within the write) leaves nothing', async () => {
        const w = fresh();
        const dup = documentEntry({ entryUuid: existing.entryUuid });
        await expectConflict(write({ ...w, insert: [...w.insert, dup] }), 'duplicateEntryUuid', existing.entryUuid);
        await expectNothingWritten();
        const twin = documentEntry();
        const twin2 = documentEntry({ entryUuid: twin.entryUuid });
        await expectConflict(write({ ...fresh(), insert: [twin, twin2] }), 'duplicateEntryUuid', twin.entryUuid);
        await expectNothingWritten();
        // entryUUIDs are unique across object kinds
        const f = folder({ entryUuid: existing.entryUuid });
        await expectConflict(write({ insert: [f] }), 'duplicateEntryUuid', existing.entryUuid);
      });

      it('a resubmitted DocumentEntry uniqueId (a new logical entry) is stored; both copies are found', async () => {
        // ITI TF-2a §3.42.4.1.3.6 / NIST 12004: the registry accepts the same document (same hash) again;
        // the store must not refuse it (the registry compares the hashes before committing)
        const copy = documentEntry({ uniqueId: existing.uniqueId });
        await insert(copy);
        expect(ids(await store.findDocumentEntries({ uniqueIds: [existing.uniqueId] }))).toEqual(ids([existing, copy]));
      });

      it('a second row for one logicalID and version leaves nothing (precondition)', async () => {
        const w = fresh();
        const clash = documentEntry({ logicalId: existing.logicalId, version: 1 });
        await expectConflict(write({ ...w, insert: [...w.insert, clash] }), 'precondition', existing.logicalId);
        await expectNothingWritten();
        const a = documentEntry();
        const b = documentEntry({ logicalId: a.logicalId, version: 2 });
        const b2 = documentEntry({ logicalId: a.logicalId, version: 2 });
        await expectConflict(write({ insert: [a, b, b2] }), 'precondition', a.logicalId);
        await expectNothingWritten();
        await insert(documentEntry({ uniqueId: existing.uniqueId, logicalId: existing.logicalId, version: 2 }));
        const fo = folder();
        await insert(fo);
        await expectConflict(insert(folder({ logicalId: fo.logicalId })), 'precondition', fo.logicalId);
      });

      it('duplicate SubmissionSet and Folder uniqueIds are rejected', async () => {
        const ss = submissionSet();
        const fo = folder();
        await insert(ss, fo);
        await expectConflict(insert(submissionSet({ uniqueId: ss.uniqueId })), 'duplicateUniqueId', ss.uniqueId);
        await expectConflict(insert(folder({ uniqueId: fo.uniqueId })), 'duplicateUniqueId', fo.uniqueId);
        // a SubmissionSet uniqueId is unique whatever the version
        await expectConflict(insert(submissionSet({ uniqueId: ss.uniqueId, version: 2 })), 'duplicateUniqueId');
        // the same OID may be a Folder's and a SubmissionSet's uniqueId (different object kinds)
        await insert(folder({ uniqueId: ss.uniqueId }));
      });

      it('a status change, lastUpdateTime or delete of an unknown object leaves nothing', async () => {
        const ghost = uuid();
        for (const bad of [
          { statusChanges: [{ entryUuid: ghost, status: Status.Deprecated }] },
          { folderLastUpdate: [{ entryUuid: ghost, lastUpdateTime: '20250101' }] },
          { folderLastUpdate: [{ entryUuid: existing.entryUuid, lastUpdateTime: '20250101' }] },
          { delete: [ghost] },
        ]) {
          const w = fresh();
          await expectConflict(write({ ...w, statusChanges: [], ...bad }), 'precondition');
          await expectNothingWritten();
        }
      });
    });

    describe('findDocumentEntries', () => {
      it('filters on patientIds, statuses, objectTypes, entryUuids, uniqueIds, logicalIds', async () => {
        const a = documentEntry();
        const b = documentEntry({ status: Status.Deprecated });
        const c = documentEntry({ objectType: DocumentEntryType.OnDemand });
        const d = documentEntry({ patientId: OTHER_PATIENT });
        await insert(a, b, c, d);
        const find = async (f: Parameters<MetadataStore['findDocumentEntries']>[0]) =>
          ids(await store.findDocumentEntries(f));
        expect(await find({ patientIds: [PATIENT] })).toEqual(ids([a, b, c]));
        expect(await find({ patientIds: [PATIENT, OTHER_PATIENT] })).toEqual(ids([a, b, c, d]));
        expect(await find({ patientIds: [PATIENT], statuses: [Status.Approved] })).toEqual(ids([a, c]));
        expect(await find({ patientIds: [PATIENT], statuses: [Status.Approved, Status.Deprecated] })).toEqual(ids([a, b, c]));
        expect(await find({ patientIds: [PATIENT], objectTypes: [DocumentEntryType.OnDemand] })).toEqual(ids([c]));
        expect(await find({ patientIds: [PATIENT], objectTypes: [DocumentEntryType.Stable] })).toEqual(ids([a, b]));
        expect(await find({ entryUuids: [a.entryUuid, d.entryUuid] })).toEqual(ids([a, d]));
        expect(await find({ uniqueIds: [b.uniqueId] })).toEqual(ids([b]));
        expect(await find({ logicalIds: [c.logicalId, d.logicalId] })).toEqual(ids([c, d]));
        expect(await find({ patientIds: [PATIENT], entryUuids: [d.entryUuid] })).toEqual([]);
        // an empty list matches nothing; an undefined one does not constrain
        expect(await find({ patientIds: [] })).toEqual([]);
        expect(await find({ patientIds: [PATIENT], statuses: [] })).toEqual([]);
        expect(await find({})).toEqual(ids([a, b, c, d]));
      });

      it('matches long id lists', async () => {
        const docs = Array.from({ length: 5 }, () => documentEntry());
        await insert(...docs);
        const many = [...Array.from({ length: 300 }, () => uuid()), docs[1].entryUuid, docs[3].entryUuid];
        expect(ids(await store.findDocumentEntries({ entryUuids: many }))).toEqual(ids([docs[1], docs[3]]));
      });

      const codeFields = [
        ['classCode', 'classCode'],
        ['typeCode', 'typeCode'],
        ['practiceSettingCode', 'practiceSettingCode'],
        ['healthcareFacilityTypeCode', 'healthcareFacilityTypeCode'],
        ['formatCode', 'formatCode'],
      ] as const;
      for (const [attr, param] of codeFields) {
        it(`filters on ${param} by code and scheme (scheme undefined = any)`, async () => {
          const a = documentEntry({ [attr]: code('A', 'scheme-1') });
          const b = documentEntry({ [attr]: code('B', 'scheme-1') });
          const c = documentEntry({ [attr]: code('A', 'scheme-2') });
          await insert(a, b, c);
          const find = async (cond: { code: string; scheme?: string }[][]) =>
            ids(await store.findDocumentEntries({ patientIds: [PATIENT], [param]: cond }));
          expect(await find([[{ code: 'A', scheme: 'scheme-1' }]])).toEqual(ids([a]));
          expect(await find([[{ code: 'A' }]])).toEqual(ids([a, c]));
          expect(await find([[{ code: 'A', scheme: 'scheme-3' }]])).toEqual([]);
          expect(await find([[{ code: 'A', scheme: 'scheme-2' }, { code: 'B', scheme: 'scheme-1' }]])).toEqual(ids([b, c]));
          expect(await find([[]])).toEqual([]);
          expect(await find([])).toEqual(ids([a, b, c]));
          // without a patient (ITI-51 multi-patient queries), the code alone selects
          const other = documentEntry({ patientId: OTHER_PATIENT, [attr]: code('A', 'scheme-1') });
          await insert(other);
          expect(ids(await store.findDocumentEntries({ [param]: [[{ code: 'A', scheme: 'scheme-1' }]] }))).toEqual(
            ids([a, other]),
          );
          expect(
            ids(await store.findDocumentEntries({ [param]: [[{ code: 'A' }], [{ code: 'A', scheme: 'scheme-2' }]] })),
          ).toEqual(ids([c]));
        });
      }

      it('multi-valued codes (eventCode, confidentialityCode): outer list AND, inner list OR', async () => {
        const e1 = code('E1', 'ev');
        const e2 = code('E2', 'ev');
        const e3 = code('E3', 'ev');
        const both = documentEntry({ eventCodes: [e1, e2], confidentialityCodes: [code('N', 'conf'), code('R', 'conf')] });
        const one = documentEntry({ eventCodes: [e1], confidentialityCodes: [code('N', 'conf')] });
        const other = documentEntry({ eventCodes: [e3], confidentialityCodes: [] });
        await insert(both, one, other);
        const ev = async (cond: { code: string; scheme?: string }[][]) =>
          ids(await store.findDocumentEntries({ patientIds: [PATIENT], eventCode: cond }));
        expect(await ev([[{ code: 'E1', scheme: 'ev' }]])).toEqual(ids([both, one]));
        expect(await ev([[{ code: 'E1', scheme: 'ev' }], [{ code: 'E2', scheme: 'ev' }]])).toEqual(ids([both]));
        expect(await ev([[{ code: 'E2', scheme: 'ev' }, { code: 'E3', scheme: 'ev' }]])).toEqual(ids([both, other]));
        expect(await ev([[{ code: 'E1' }, { code: 'E3' }], [{ code: 'E2' }, { code: 'E3' }]])).toEqual(ids([both, other]));
        const conf = async (cond: { code: string; scheme?: string }[][]) =>
          ids(await store.findDocumentEntries({ patientIds: [PATIENT], confidentialityCode: cond }));
        expect(await conf([[{ code: 'R', scheme: 'conf' }]])).toEqual(ids([both]));
        expect(await conf([[{ code: 'N', scheme: 'conf' }], [{ code: 'R', scheme: 'conf' }]])).toEqual(ids([both]));
        expect(await conf([[{ code: 'N', scheme: 'conf' }]])).toEqual(ids([both, one]));
        // different code fields combine with AND
        expect(
          ids(
            await store.findDocumentEntries({
              patientIds: [PATIENT],
              eventCode: [[{ code: 'E1' }]],
              confidentialityCode: [[{ code: 'R' }]],
            }),
          ),
        ).toEqual(ids([both]));
      });

      it('time ranges: From inclusive, To exclusive, on creation/serviceStart/serviceStop time', async () => {
        const jan = documentEntry({ creationTime: '20040101', serviceStartTime: '200401011000', serviceStopTime: '2004' });
        const dec = documentEntry({ creationTime: '20041224', serviceStartTime: '20041224', serviceStopTime: '20041224235959' });
        const none = documentEntry({ creationTime: undefined, serviceStartTime: undefined, serviceStopTime: undefined });
        await insert(jan, dec, none);
        const find = async (f: Parameters<MetadataStore['findDocumentEntries']>[0]) =>
          ids(await store.findDocumentEntries({ patientIds: [PATIENT], ...f }));
        // NIST 11897 creationtime_right_edge / left_edge
        expect(await find({ creationTime: { from: '20041124', to: '20041224' } })).toEqual([]);
        expect(await find({ creationTime: { from: '20041224', to: '20050101' } })).toEqual(ids([dec]));
        expect(await find({ creationTime: { from: '2004', to: '2005' } })).toEqual(ids([jan, dec]));
        expect(await find({ creationTime: { from: '20040101' } })).toEqual(ids([jan, dec]));
        expect(await find({ creationTime: { to: '20041224' } })).toEqual(ids([jan]));
        expect(await find({ creationTime: { to: '20041224000001' } })).toEqual(ids([jan, dec]));
        // different precision: a partial value stands for its earliest instant
        expect(await find({ creationTime: { from: '200401010000' } })).toEqual(ids([jan, dec]));
        expect(await find({ creationTime: { from: '20040101000001' } })).toEqual(ids([dec]));
        expect(await find({ creationTime: { to: '200401010000' } })).toEqual([]);
        expect(await find({ serviceStartTime: { from: '2004010110', to: '200401011001' } })).toEqual(ids([jan]));
        expect(await find({ serviceStartTime: { from: '200401011001' } })).toEqual(ids([dec]));
        expect(await find({ serviceStopTime: { from: '2004', to: '20040101000001' } })).toEqual(ids([jan]));
        expect(await find({ serviceStopTime: { from: '20041224235959', to: '20041225' } })).toEqual(ids([dec]));
        // a query-side UTC offset is converted: 20041225003000+0100 = 20041224233000 UTC
        expect(await find({ serviceStopTime: { from: '20041225003000+0100' } })).toEqual(ids([dec]));
        expect(await find({ serviceStopTime: { from: '20041225010000+0100' } })).toEqual([]);
        // an entry without the attribute never matches a range on it
        expect(await find({ creationTime: {} })).toEqual(ids([jan, dec, none]));
      });

      it('authorPerson: LIKE patterns, OR-ed, % and _ wildcards, case-sensitive', async () => {
        const d1 = documentEntry({ authors: [author('^Dopplemeyer^Sherry^^^')] });
        const d2 = documentEntry({ authors: [author('^Smitty^Gerald^^^'), author('^Ford^Sherry^^^')] });
        const d3 = documentEntry({ authors: [author('100^50%_off^x')] });
        const d4 = documentEntry({ authors: [] });
        await insert(d1, d2, d3, d4);
        const find = async (p: string[]) => ids(await store.findDocumentEntries({ patientIds: [PATIENT], authorPersons: p }));
        expect(await find(['%Dopplemeyer%'])).toEqual(ids([d1]));
        expect(await find(['%Sherry%'])).toEqual(ids([d1, d2]));
        expect(await find(['%Dopplemeyer%', '%Ford%'])).toEqual(ids([d1, d2]));
        expect(await find(['^Smitt_^%'])).toEqual(ids([d2]));
        expect(await find(['^Smit_^%'])).toEqual([]);
        expect(await find(['%dopplemeyer%'])).toEqual([]);
        expect(await find(['^Ford^Sherry^^^'])).toEqual(ids([d2]));
        expect(await find(['^Ford'])).toEqual([]);
        expect(await find(['100^50%'])).toEqual(ids([d3]));
        expect(await find(['*'])).toEqual([]);
        expect(await find([])).toEqual([]);
      });

      it('referenceIds: inner OR, outer AND', async () => {
        const r1 = 'A1^^^&1.2.3&ISO^urn:ihe:iti:xds:2013:order';
        const r2 = 'A2^^^&1.2.3&ISO^urn:ihe:iti:xds:2013:order';
        const r3 = 'A3^^^&1.2.3&ISO^urn:ihe:iti:xds:2013:referral';
        const d12 = documentEntry({ referenceIds: [r1, r2] });
        const d1 = documentEntry({ referenceIds: [r1] });
        const d3 = documentEntry({ referenceIds: [r3] });
        await insert(d12, d1, d3, documentEntry());
        const find = async (c: string[][]) => ids(await store.findDocumentEntries({ patientIds: [PATIENT], referenceIds: c }));
        expect(await find([[r1]])).toEqual(ids([d12, d1]));
        expect(await find([[r2, r3]])).toEqual(ids([d12, d3]));
        expect(await find([[r1], [r2]])).toEqual(ids([d12]));
        expect(await find([['nope']])).toEqual([]);
      });

      it('returns only the latest version of each logicalId unless allVersions', async () => {
        const v1 = documentEntry({ status: Status.Deprecated });
        const v2 = documentEntry({ logicalId: v1.logicalId, uniqueId: v1.uniqueId, version: 2, status: Status.Deprecated });
        const v3 = documentEntry({ logicalId: v1.logicalId, uniqueId: v1.uniqueId, version: 3 });
        const solo = documentEntry();
        await insert(v1, v2, v3, solo);
        expect(ids(await store.findDocumentEntries({ patientIds: [PATIENT] }))).toEqual(ids([v3, solo]));
        expect(ids(await store.findDocumentEntries({ patientIds: [PATIENT], allVersions: true }))).toEqual(
          ids([v1, v2, v3, solo]),
        );
        expect(ids(await store.findDocumentEntries({ logicalIds: [v1.logicalId], allVersions: true }))).toEqual(
          ids([v1, v2, v3]),
        );
        // latest-version filtering happens before the status filter (a deprecated old version stays hidden)
        expect(ids(await store.findDocumentEntries({ patientIds: [PATIENT], statuses: [Status.Deprecated] }))).toEqual([]);
        // versions may arrive out of order; removing the latest hands the role back (ITI-62)
        const late1 = documentEntry({ version: 2 });
        await insert(late1);
        await insert(documentEntry({ logicalId: late1.logicalId, version: 1 }));
        expect(ids(await store.findDocumentEntries({ logicalIds: [late1.logicalId] }))).toEqual([late1.entryUuid]);
        await write({ delete: [v3.entryUuid] });
        expect(ids(await store.findDocumentEntries({ logicalIds: [v1.logicalId] }))).toEqual([v2.entryUuid]);
        expect(ids(await store.findDocumentEntries({ patientIds: [PATIENT], statuses: [Status.Deprecated] }))).toEqual([
          v2.entryUuid,
        ]);
      });

      it('limit caps the result', async () => {
        await insert(...Array.from({ length: 7 }, () => documentEntry()));
        expect(await store.findDocumentEntries({ patientIds: [PATIENT] }, { limit: 3 })).toHaveLength(3);
        expect(await store.findDocumentEntries({ patientIds: [PATIENT] }, { limit: 100 })).toHaveLength(7);
        expect(await store.findDocumentEntries({ patientIds: [PATIENT] }, { limit: 0 })).toHaveLength(0);
      });

      it('combines every filter of FindDocuments (AND across parameters)', async () => {
        const hit = documentEntry({
          classCode: code('C1', CONNECTATHON),
          typeCode: code('11488-4', LOINC),
          eventCodes: [code('E', 'ev')],
          creationTime: '20240601',
          authors: [author('^Hansen^Hans^^^')],
        });
        const miss = documentEntry({ ...hit, entryUuid: uuid(), logicalId: uuid(), uniqueId: '1.2.3.99', creationTime: '20230601' });
        await insert(hit, miss);
        const found = await store.findDocumentEntries({
          patientIds: [PATIENT],
          statuses: [Status.Approved],
          objectTypes: [DocumentEntryType.Stable],
          classCode: [[{ code: 'C1', scheme: CONNECTATHON }]],
          typeCode: [[{ code: '11488-4' }]],
          eventCode: [[{ code: 'E', scheme: 'ev' }]],
          creationTime: { from: '2024', to: '2025' },
          authorPersons: ['%Hansen%'],
        });
        expect(found).toEqual([hit]);
      });
    });

    describe('findSubmissionSets', () => {
      it('filters on patient, status, sourceId, submissionTime, authorPerson, contentTypeCode, ids', async () => {
        const a = submissionSet({ submissionTime: '20040101', sourceId: '1.1', contentTypeCode: code('X', 's') });
        const b = submissionSet({
          submissionTime: '20041224',
          sourceId: '2.2',
          contentTypeCode: code('Y', 's'),
          authors: [author('^Ford^Sherry^^^')],
        });
        const c = submissionSet({ patientId: OTHER_PATIENT, status: Status.Submitted });
        await insert(a, b, c);
        const find = async (f: Parameters<MetadataStore['findSubmissionSets']>[0]) => ids(await store.findSubmissionSets(f));
        expect(await find({ patientIds: [PATIENT] })).toEqual(ids([a, b]));
        expect(await find({ statuses: [Status.Submitted] })).toEqual(ids([c]));
        expect(await find({ patientIds: [PATIENT], sourceIds: ['2.2', '3.3'] })).toEqual(ids([b]));
        expect(await find({ patientIds: [PATIENT], submissionTime: { from: '20040101', to: '20041224' } })).toEqual(ids([a]));
        expect(await find({ patientIds: [PATIENT], authorPersons: ['%Ford%'] })).toEqual(ids([b]));
        expect(await find({ patientIds: [PATIENT], contentTypeCode: [[{ code: 'X', scheme: 's' }, { code: 'Y' }]] })).toEqual(
          ids([a, b]),
        );
        expect(await find({ patientIds: [PATIENT], contentTypeCode: [[{ code: 'X', scheme: 'other' }]] })).toEqual([]);
        expect(await find({ uniqueIds: [c.uniqueId] })).toEqual(ids([c]));
        expect(await find({ entryUuids: [a.entryUuid] })).toEqual(ids([a]));
        expect(await store.findSubmissionSets({ patientIds: [PATIENT] }, { limit: 1 })).toHaveLength(1);
      });
    });

    describe('findFolders', () => {
      it('filters on patient, status, codeList, lastUpdateTime, ids and keeps the latest version', async () => {
        const a = folder({ codeList: [code('R', 'f'), code('S', 'f')], lastUpdateTime: '20240101120000' });
        const b = folder({ codeList: [code('S', 'f')], lastUpdateTime: '20240201120000' });
        const b2 = folder({ logicalId: b.logicalId, uniqueId: b.uniqueId, version: 2, codeList: [code('S', 'f')] });
        const c = folder({ patientId: OTHER_PATIENT, status: Status.Deprecated });
        await insert(a, b, b2, c);
        const find = async (f: Parameters<MetadataStore['findFolders']>[0]) => ids(await store.findFolders(f));
        expect(await find({ patientIds: [PATIENT] })).toEqual(ids([a, b2]));
        expect(await find({ patientIds: [PATIENT], allVersions: true })).toEqual(ids([a, b, b2]));
        expect(await find({ statuses: [Status.Deprecated] })).toEqual(ids([c]));
        expect(await find({ patientIds: [PATIENT], codeList: [[{ code: 'R', scheme: 'f' }]] })).toEqual(ids([a]));
        expect(await find({ patientIds: [PATIENT], codeList: [[{ code: 'S' }], [{ code: 'R' }]] })).toEqual(ids([a]));
        expect(await find({ codeList: [[{ code: 'R', scheme: 'f' }, { code: 'nope' }]] })).toEqual(ids([a]));
        expect(
          await find({ patientIds: [PATIENT], allVersions: true, lastUpdateTime: { from: '202401', to: '20240201120000' } }),
        ).toEqual(ids([a]));
        await write({ folderLastUpdate: [{ entryUuid: a.entryUuid, lastUpdateTime: '20250101000000' }] });
        expect(await find({ patientIds: [PATIENT], lastUpdateTime: { from: '2025' } })).toEqual(ids([a]));
        expect(await find({ logicalIds: [b.logicalId], allVersions: true })).toEqual(ids([b, b2]));
        expect(await find({ uniqueIds: [c.uniqueId] })).toEqual(ids([c]));
        expect(await find({ entryUuids: [a.entryUuid, c.entryUuid] })).toEqual(ids([a, c]));
      });
    });

    describe('findAssociations', () => {
      it('finds associations by source or target (both directions), type, status and ids', async () => {
        const ss = submissionSet();
        const d1 = documentEntry();
        const d2 = documentEntry();
        const fo = folder();
        const m1 = association(ss.entryUuid, d1.entryUuid);
        const m2 = association(fo.entryUuid, d1.entryUuid);
        const rplc = association(d2.entryUuid, d1.entryUuid, { associationType: AssociationType.Replace });
        const dep = association(ss.entryUuid, d2.entryUuid, { status: Status.Deprecated });
        await insert(ss, d1, d2, fo, m1, m2, rplc, dep);
        const find = async (f: Parameters<MetadataStore['findAssociations']>[0]) => ids(await store.findAssociations(f));
        expect(await find({ sourceOrTarget: [d1.entryUuid] })).toEqual(ids([m1, m2, rplc]));
        expect(await find({ sourceOrTarget: [d2.entryUuid] })).toEqual(ids([rplc, dep]));
        expect(await find({ sourceOrTarget: [ss.entryUuid, fo.entryUuid] })).toEqual(ids([m1, m2, dep]));
        expect(await find({ sourceUuids: [ss.entryUuid] })).toEqual(ids([m1, dep]));
        expect(await find({ targetUuids: [d1.entryUuid] })).toEqual(ids([m1, m2, rplc]));
        expect(await find({ targetUuids: [d1.entryUuid], types: [AssociationType.Replace] })).toEqual(ids([rplc]));
        expect(await find({ sourceOrTarget: [d2.entryUuid], statuses: [Status.Approved] })).toEqual(ids([rplc]));
        expect(await find({ entryUuids: [m2.entryUuid] })).toEqual(ids([m2]));
        expect(await find({ sourceOrTarget: [] })).toEqual([]);
        expect(await store.findAssociations({ sourceOrTarget: [d1.entryUuid] }, { limit: 2 })).toHaveLength(2);
        const [got] = await store.findAssociations({ entryUuids: [rplc.entryUuid] });
        expect(got).toEqual(rplc);
      });
    });

    describe('outbox', () => {
      it('reads pending messages oldest first, acks them, and drops a repeated (queue, key)', async () => {
        await write({ outbox: [{ queue: 'audit', key: 'k1', payload: { n: 1 } }, { queue: 'audit', key: 'k2', payload: [2] }] });
        await write({
          outbox: [
            { queue: 'audit', key: 'k1', payload: { n: 'again' } },
            { queue: 'minlog', key: 'k1', payload: 'other queue' },
          ],
        });
        const pending = await store.readOutbox(10);
        expect(pending.map(({ queue, key, payload }) => ({ queue, key, payload }))).toEqual([
          { queue: 'audit', key: 'k1', payload: { n: 1 } },
          { queue: 'audit', key: 'k2', payload: [2] },
          { queue: 'minlog', key: 'k1', payload: 'other queue' },
        ]);
        expect(pending[0].seq).toBeLessThan(pending[1].seq);
        expect(await store.readOutbox(1)).toEqual([pending[0]]);
        await store.ackOutbox([pending[0].seq, pending[2].seq]);
        expect(await store.readOutbox(10)).toEqual([pending[1]]);
        // an acknowledged key is still known: sending it again does not resurrect it
        await write({ outbox: [{ queue: 'audit', key: 'k1', payload: { n: 3 } }] });
        expect(await store.readOutbox(10)).toEqual([pending[1]]);
        await store.ackOutbox([pending[1].seq]);
        expect(await store.readOutbox(10)).toEqual([]);
      });

      it('outbox messages are written with the metadata, not without it', async () => {
        const de = documentEntry();
        await insert(de);
        await expectConflict(
          write({ insert: [de], outbox: [{ queue: 'audit', key: 'x', payload: 1 }] }),
          'duplicateEntryUuid',
        );
        expect(await store.readOutbox(10)).toEqual([]);
        await write({ insert: [documentEntry()], outbox: [{ queue: 'audit', key: 'x', payload: 1 }] });
        expect(await store.readOutbox(10)).toHaveLength(1);
      });
    });
  });
}
