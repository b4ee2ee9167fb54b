/** Association edge cases of ITI-42 (ITI TF-3 §4.2.2), each expecting exactly its error code. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/xds/errors.js';
import { AssociationType, Status } from '../../../src/xds/model/types.js';
import { submissionXml } from '../ebrim/builders.js';
import { createHarness, type Harness } from './harness.js';

const HM = AssociationType.HasMember;
const ON_DEMAND = 'urn:uuid:34268e47-fdf5-41a6-ba33-82133c465248';
let h: Harness;
beforeEach(() => {
  h = createHarness();
});
afterEach(() => h.close());

async function registeredDoc(opts: Parameters<typeof submissionXml>[0] = {}): Promise<string> {
  return (await h.register(submissionXml(opts))).assignedUuids.get('Document01')!;
}

describe('association rules', () => {
  it('signs may target a document of the same submission', async () => {
    const r = await h.register(
      submissionXml({ docs: [{}, { id: 'Signature' }], associations: [{ id: 'sg', type: AssociationType.Signs, source: 'Signature', target: 'Document01' }] }),
    );
    expect(r.assignedUuids.get('sg')).toBeDefined();
  });

  it('RPLC of a document of the same submission → XDSRegistryMetadataError', async () => {
    const xml = submissionXml({ docs: [{}, { id: 'Document02' }], associations: [{ id: 'rp', type: AssociationType.Replace, source: 'Document02', target: 'Document01' }] });
    expect(await h.failCodes(xml)).toEqual([ErrorCode.RegistryMetadataError]);
  });

  it('two replacements of one document in one submission → XDSRegistryMetadataError', async () => {
    const a = await registeredDoc();
    const xml = submissionXml({
      docs: [{}, { id: 'Document02' }],
      associations: [
        { id: 'rp1', type: AssociationType.Replace, source: 'Document01', target: a },
        { id: 'rp2', type: AssociationType.Replace, source: 'Document02', target: a },
      ],
    });
    expect(await h.failCodes(xml)).toEqual([ErrorCode.RegistryMetadataError]);
    expect((await h.stores.metadata.getObjects([a]))[0]!.status).toBe(Status.Approved);
  });

  it('a relationship whose source is the SubmissionSet → XDSRegistryMetadataError', async () => {
    const a = await registeredDoc();
    const xml = submissionXml({ associations: [{ id: 'rp', type: AssociationType.Append, source: 'SubmissionSet01', target: a }] });
    expect(await h.failCodes(xml)).toEqual([ErrorCode.RegistryMetadataError]);
  });

  it('IsSnapshotOf needs an On-Demand target', async () => {
    const stable = await registeredDoc();
    expect(await h.failCodes(submissionXml({ associations: [{ id: 'sn', type: AssociationType.IsSnapshotOf, source: 'Document01', target: stable }] }))).toEqual([
      ErrorCode.RegistryMetadataError,
    ]);
    const onDemand = await registeredDoc({ docs: [{ objectType: ON_DEMAND, omitSlots: ['hash', 'size'] }] });
    await h.register(submissionXml({ associations: [{ id: 'sn', type: AssociationType.IsSnapshotOf, source: 'Document01', target: onDemand }] }));
    expect((await h.stores.metadata.getObjects([onDemand]))[0]!.status).toBe(Status.Approved);
  }, 20_000);

  it('a HasMember from a DocumentEntry → XDSRegistryMetadataError', async () => {
    const xml = submissionXml({ docs: [{}, { id: 'Document02' }], associations: [{ id: 'x', type: HM, source: 'Document01', target: 'Document02' }] });
    expect(await h.failCodes(xml)).toEqual([ErrorCode.RegistryMetadataError]);
  });

  it('a Folder containing a Folder → XDSRegistryMetadataError', async () => {
    const xml = submissionXml({ folders: [{}, { id: 'Folder02' }], associations: [{ id: 'x', type: HM, source: 'Folder01', target: 'Folder02' }] });
    expect(await h.failCodes(xml)).toEqual([ErrorCode.RegistryMetadataError]);
  });

  it('adding a document to a Deprecated document is refused, as is adding a Deprecated document to a Folder', async () => {
    const first = await h.register(submissionXml({ folders: [{}] }));
    const doc = first.assignedUuids.get('Document01')!;
    const folder = first.assignedUuids.get('Folder01')!;
    await h.register(submissionXml({ associations: [{ id: 'rp', type: AssociationType.Replace, source: 'Document01', target: doc }] }));
    const xml = submissionXml({ docs: [], associations: [{ id: 'fd', type: HM, source: folder, target: doc }, { id: 'ss', type: HM, source: 'SubmissionSet01', target: 'fd' }] });
    expect(await h.failCodes(xml)).toEqual([ErrorCode.RegistryError]);
  });

  it('an ITI-57 association type in ITI-42 → XDSRegistryMetadataError', async () => {
    const a = await registeredDoc();
    const xml = submissionXml({ associations: [{ id: 'u', type: AssociationType.UpdateAvailabilityStatus, source: 'SubmissionSet01', target: a }] });
    expect(await h.failCodes(xml)).toContain(ErrorCode.RegistryMetadataError);
  });

  it('a new object with a lid different from its id → XDSRegistryMetadataError', async () => {
    expect(await h.failCodes(submissionXml({ docs: [{ lid: 'urn:uuid:11111111-2222-4333-8444-555555555555' }] }))).toEqual([ErrorCode.RegistryMetadataError]);
  });

  it('a malformed client urn:uuid → XDSRegistryMetadataError', async () => {
    expect(await h.failCodes(submissionXml({ docs: [{ id: 'urn:uuid:not-a-uuid' }] }))).toContain(ErrorCode.RegistryMetadataError);
  });
});
