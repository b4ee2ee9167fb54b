/**
 * StoredQueryService: read hooks (deny / redact / record, dk-nsp.md §2.4-2.5),
 * homeCommunityId on results, and the response XML against the official query.xsd.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSchemaSet, type SchemaSet } from '../../../src/xml/schemas.js';
import { Severity } from '../../../src/xds/errors.js';
import { FIND_DOCUMENTS_ID } from '../../../src/xds/queries/find-documents.js';
import { GET_ALL_ID } from '../../../src/xds/queries/get-all.js';
import { GET_SUBMISSION_SET_AND_CONTENTS_ID } from '../../../src/xds/queries/get-submission-set-and-contents.js';
import { APPROVED, DEPRECATED, list, q, type SlotArg } from './fixture.js';
import { useHarness } from './harness.js';

const h = useHarness({ homeCommunityId: 'urn:oid:1.2.208.176.43210.8.1' });
const findA = (): SlotArg[] => [['$XDSDocumentEntryPatientId', q(h.a.patientId)], ['$XDSDocumentEntryStatus', list(APPROVED)]];

let schemas: SchemaSet;
beforeAll(() => {
  schemas = createSchemaSet(path.resolve('schemas'));
});
afterAll(() => schemas.dispose());

describe('read hooks', () => {
  it('allow: hooks see the patient and the objects; recordRead gets the returned DocumentEntries', async () => {
    const r = await h.xml(FIND_DOCUMENTS_ID, findA());
    expect(r.ids).toHaveLength(5);
    expect(h.hooks.accesses).toHaveLength(1);
    expect(h.hooks.accesses[0].patientIds).toEqual([h.a.patientId]);
    expect(h.hooks.accesses[0].objects).toHaveLength(5);
    expect(h.hooks.records).toHaveLength(1);
    expect(h.hooks.records[0].documents.map((d) => d.entryUuid).sort()).toEqual(r.ids.sort());
    expect(h.hooks.records[0].outcome).toBe('success');
  });
  it('deny: an empty Success and nothing recorded (negative consent)', async () => {
    h.hooks.decide = () => ({ outcome: 'deny', reason: 'negative consent' });
    const r = await h.xml(FIND_DOCUMENTS_ID, findA());
    expect(r.status).toBe('Success');
    expect(r.elements).toEqual([]);
    expect(r.errorCodes).toEqual([]);
    expect(h.hooks.records).toEqual([]);
  });
  it('redact: removed objects and the associations pointing at them are gone, the warning is returned', async () => {
    const hidden = h.a.docs.d3.entryUuid;
    h.hooks.decide = (a) => ({
      outcome: 'allow',
      objects: a.objects.filter((o) => o.entryUuid !== hidden),
      warnings: [{ errorCode: 'XDSRegistryError', codeContext: 'urn:dk:nsi:Consent Filter Applied', severity: Severity.Warning }],
    });
    const r = await h.xml(GET_SUBMISSION_SET_AND_CONTENTS_ID, [['$XDSSubmissionSetUniqueId', q(h.a.ss[2].uniqueId)]]);
    expect(r.status).toBe('Success');
    expect(r.warnings).toEqual(['urn:dk:nsi:Consent Filter Applied']);
    const a = h.a.assocs;
    expect(r.ids).not.toContain(hidden);
    for (const gone of [a.s3d3, a.f2d3, a.s3f2d3]) expect(r.ids).not.toContain(gone.entryUuid);
    expect(r.ids).toContain(a.s3d4.entryUuid);
    expect(h.hooks.records[0].outcome).toBe('partial');
    expect(h.hooks.records[0].documents.map((d) => d.entryUuid)).toEqual([h.a.docs.d4.entryUuid]);
  });
  it('redacting a Folder also drops the associations of associations that pointed at it', async () => {
    const hidden = h.a.folders.f2.entryUuid;
    h.hooks.decide = (a) => ({ outcome: 'allow', objects: a.objects.filter((o) => o.entryUuid !== hidden), warnings: [] });
    const r = await h.xml(GET_SUBMISSION_SET_AND_CONTENTS_ID, [['$XDSSubmissionSetUniqueId', q(h.a.ss[2].uniqueId)]]);
    const a = h.a.assocs;
    // SS3→F2, F2→d3, F2→d4 point at the folder; SS3→(F2→d3), SS3→(F2→d4) point at those
    for (const gone of [a.s3f2, a.f2d3, a.f2d4, a.s3f2d3, a.s3f2d4]) expect(r.ids).not.toContain(gone.entryUuid);
    expect(r.ids.sort()).toEqual([h.a.ss[2], h.a.docs.d3, h.a.docs.d4, a.s3d3, a.s3d4].map((o) => o.entryUuid).sort());
  });
  it('uuid-driven queries name the patients of the result', async () => {
    await h.xml(GET_SUBMISSION_SET_AND_CONTENTS_ID, [['$XDSSubmissionSetEntryUUID', q(h.b.ss[0].entryUuid)]]);
    expect(h.hooks.accesses[0].patientIds).toEqual([h.b.patientId]);
  });
  it('a rejected request reaches no hook', async () => {
    const r = await h.xml(FIND_DOCUMENTS_ID, [['$XDSDocumentEntryPatientId', q(h.a.patientId)]]);
    expect(r.status).toBe('Failure');
    expect(h.hooks.accesses).toEqual([]);
    expect(h.hooks.records).toEqual([]);
  });
});

describe('response encoding', () => {
  it('objects carry the configured homeCommunityId', async () => {
    const r = await h.xml(FIND_DOCUMENTS_ID, findA(), 'ObjectRef');
    const refs = r.root.children.find((c) => c.name === 'RegistryObjectList')!.children;
    expect(refs.every((c) => c.attrs.home === 'urn:oid:1.2.208.176.43210.8.1')).toBe(true);
  });
  it('LeafClass, ObjectRef, warning and Failure responses validate against query.xsd', async () => {
    const slots: SlotArg[] = [['$XDSSubmissionSetUniqueId', q(h.a.ss[1].uniqueId)]];
    const { adhocRequest } = await import('./fixture.js');
    const { context } = await import('./harness.js');
    const run = (id: string, s: SlotArg[], rt: string) => h.service.run(adhocRequest(id, s, rt), context(), { multiPatient: false });
    const leaf = await run(GET_SUBMISSION_SET_AND_CONTENTS_ID, slots, 'LeafClass');
    expect(leaf).toContain('ExtrinsicObject');
    expect(schemas.validate('registry', leaf)).toEqual([]);
    expect(schemas.validate('registry', await run(GET_SUBMISSION_SET_AND_CONTENTS_ID, slots, 'ObjectRef'))).toEqual([]);
    const failure = await run(FIND_DOCUMENTS_ID, [], 'LeafClass');
    expect(failure).toContain('XDSStoredQueryMissingParam');
    expect(schemas.validate('registry', failure)).toEqual([]);
    h.hooks.decide = (a) => ({
      outcome: 'allow',
      objects: a.objects,
      warnings: [{ errorCode: 'XDSRegistryError', codeContext: 'urn:dk:nsi:Consent Filter Applied', severity: Severity.Warning }],
    });
    const warned = await run(FIND_DOCUMENTS_ID, findA(), 'LeafClass');
    expect(warned).toContain('ErrorSeverityType:Warning');
    expect(schemas.validate('registry', warned)).toEqual([]);
  });
});
