/**
 * ITI-57 Update Document Set (ITI TF-2b §3.57.4.1.3): new versions, PreviousVersion, status updates,
 * Submit Association, association propagation, and the all-or-nothing / one-winner rules.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MetadataStore, MetadataWrite } from '../../../src/storage/ports.js';
import type { DocumentEntry, Folder } from '../../../src/xds/model/types.js';
import { XdsError } from '../../../src/xds/errors.js';
import { DEFAULT_PATIENT, submissionXml } from '../ebrim/builders.js';
import { OTHER_PATIENT } from '../registry/harness.js';
import { APPROVED, DEPRECATED, HAS_MEMBER, UPDATE_STATUS, createUpdateHarness, type UpdateHarness } from './harness.js';

let h: UpdateHarness;
beforeEach(() => {
  h = createUpdateHarness();
});
afterEach(() => h.close());

async function registerDoc(uniqueId: string, patientId = DEFAULT_PATIENT): Promise<DocumentEntry> {
  const r = await h.register(submissionXml({ patientId, docs: [{ uniqueId }] }));
  const [d] = await h.stores.metadata.getObjects([r.assignedUuids.get('Document01')!]);
  return d as DocumentEntry;
}

/** An update of DocumentEntry `lid` (new version of uniqueId) with PreviousVersion `prev`. */
function docUpdate(lid: string, uniqueId: string, prev: string | undefined, extra: { title?: string; patientId?: string; propagation?: string } = {}): string {
  const slots: Record<string, string[]> = { SubmissionSetStatus: ['Original'] };
  if (prev !== undefined) slots.PreviousVersion = [prev];
  if (extra.propagation) slots.AssociationPropagation = [extra.propagation];
  return submissionXml({
    patientId: extra.patientId,
    docs: [{ lid, uniqueId, title: extra.title ?? 'Updated' }],
    noDefaultAssociations: true,
    associations: [{ id: 'a1', type: HAS_MEMBER, source: 'SubmissionSet01', target: 'Document01', slots }],
  });
}

function statusUpdate(target: string, from: string, to: string): string {
  return submissionXml({
    docs: [],
    noDefaultAssociations: true,
    associations: [{ id: 'a1', type: UPDATE_STATUS, source: 'SubmissionSet01', target, slots: { OriginalStatus: [from], NewStatus: [to] } }],
  });
}

const versions = async (lid: string): Promise<DocumentEntry[]> =>
  (await h.stores.metadata.findDocumentEntries({ logicalIds: [lid], allVersions: true })).sort((a, b) => a.version - b.version);

describe('Update DocumentEntry Metadata', () => {
  it('creates version 2 with the same lid and uniqueId and deprecates version 1', async () => {
    const d = await registerDoc('1.2.3.57.1');
    const r = await h.update(docUpdate(d.entryUuid, '1.2.3.57.1', '1', { title: 'Moved appointment' }));
    const [v1, v2] = await versions(d.entryUuid);
    expect(v1).toMatchObject({ entryUuid: d.entryUuid, version: 1, status: DEPRECATED });
    expect(v2).toMatchObject({ entryUuid: r.newVersions.get(d.entryUuid), logicalId: d.entryUuid, version: 2, status: APPROVED, uniqueId: '1.2.3.57.1' });
    expect(v2!.title?.value).toBe('Moved appointment');
    // $MetadataLevel 1: only the latest version
    expect((await h.stores.metadata.findDocumentEntries({ logicalIds: [d.entryUuid] })).map((x) => x.version)).toEqual([2]);
  });

  it('rejects a wrong PreviousVersion and an unknown lid with XDSMetadataVersionError, storing nothing', async () => {
    const d = await registerDoc('1.2.3.57.2');
    expect(await h.updateFails(docUpdate(d.entryUuid, '1.2.3.57.2', '2'))).toEqual(['XDSMetadataVersionError']);
    expect(await h.updateFails(docUpdate('urn:uuid:00000000-0000-4000-8000-000000000057', '1.2.3.57.2', '1'))).toEqual(['XDSMetadataVersionError']);
    expect((await versions(d.entryUuid)).map((x) => [x.version, x.status])).toEqual([[1, APPROVED]]);
    expect((await h.stores.metadata.countObjects()).SubmissionSet).toBe(1);
  });

  it('rejects a first version (no lid) with XDSMetadataUpdateError and a missing PreviousVersion with XDSMetadataUpdateOperationError', async () => {
    expect(await h.updateFails(submissionXml({ docs: [{}] }))).toContain('XDSMetadataUpdateError');
    const d = await registerDoc('1.2.3.57.3');
    expect(await h.updateFails(docUpdate(d.entryUuid, '1.2.3.57.3', undefined))).toContain('XDSMetadataUpdateOperationError');
  });

  it('rejects a changed uniqueId with XDSMetadataUpdateError', async () => {
    const d = await registerDoc('1.2.3.57.4');
    expect(await h.updateFails(docUpdate(d.entryUuid, '1.2.3.57.999', '1'))).toEqual(['XDSMetadataUpdateError']);
  });

  it('accepts a patient id change: the new version carries the new patient (NIST 21002)', async () => {
    const d = await registerDoc('1.2.3.57.5');
    await h.update(docUpdate(d.entryUuid, '1.2.3.57.5', '1', { patientId: OTHER_PATIENT }));
    expect((await versions(d.entryUuid)).map((x) => x.patientId)).toEqual([DEFAULT_PATIENT, OTHER_PATIENT]);
  });

  it('refuses a new version whose patient differs from the SubmissionSet patient (XDSPatientIdDoesNotMatch)', async () => {
    const d = await registerDoc('1.2.3.57.7');
    const xml = docUpdate(d.entryUuid, '1.2.3.57.7', '1').replace(
      /(identificationScheme="urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427"[^>]*value=")[^"]+"|(value=")[^"]+("[^>]*identificationScheme="urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427")/,
      (_m, a?: string, b?: string, c?: string) => (a ? `${a}${OTHER_PATIENT.replaceAll('&', '&amp;')}"` : `${b}${OTHER_PATIENT.replaceAll('&', '&amp;')}${c}`),
    );
    expect(xml).toContain(OTHER_PATIENT.replaceAll('&', '&amp;'));
    expect(await h.updateFails(xml)).toEqual(['XDSPatientIdDoesNotMatch']);
  });

  it('of two concurrent updates of one entry exactly one wins; the other gets XDSMetadataVersionError', async () => {
    const d = await registerDoc('1.2.3.57.6');
    // Both updates read version 1 before either commits: commits wait until both have arrived.
    let arrived = 0;
    let release!: () => void;
    const bothThere = new Promise<void>((r) => (release = r));
    const gated: MetadataStore = Object.create(h.stores.metadata, {
      commit: {
        value: async (w: MetadataWrite) => {
          if (++arrived === 2) release();
          await bothThere;
          return h.stores.metadata.commit(w);
        },
      },
    });
    const a = h.updater(gated);
    const b = h.updater(gated);
    const results = await Promise.allSettled([h.update(docUpdate(d.entryUuid, '1.2.3.57.6', '1', { title: 'A' }), a), h.update(docUpdate(d.entryUuid, '1.2.3.57.6', '1', { title: 'B' }), b)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(lost.reason).toBeInstanceOf(XdsError);
    expect((lost.reason as XdsError).errors.map((e) => e.errorCode)).toEqual(['XDSMetadataVersionError']);
    expect((await versions(d.entryUuid)).map((x) => [x.version, x.status])).toEqual([[1, DEPRECATED], [2, APPROVED]]);
  });
});

describe('Update Status', () => {
  it('deprecates and re-approves the latest version (NIST 15802)', async () => {
    const d = await registerDoc('1.2.3.57.10');
    await h.update(statusUpdate(d.entryUuid, APPROVED, DEPRECATED));
    expect((await versions(d.entryUuid))[0]!.status).toBe(DEPRECATED);
    await h.update(statusUpdate(d.entryUuid, DEPRECATED, APPROVED));
    expect((await versions(d.entryUuid))[0]!.status).toBe(APPROVED);
  });

  it('refuses an older version, a wrong OriginalStatus, a SubmissionSet and bad slots with XDSMetadataUpdateOperationError', async () => {
    const d = await registerDoc('1.2.3.57.11');
    await h.update(docUpdate(d.entryUuid, '1.2.3.57.11', '1'));
    expect(await h.updateFails(statusUpdate(d.entryUuid, DEPRECATED, APPROVED))).toEqual(['XDSMetadataUpdateOperationError']);
    const [, v2] = await versions(d.entryUuid);
    expect(await h.updateFails(statusUpdate(v2!.entryUuid, DEPRECATED, APPROVED))).toEqual(['XDSMetadataUpdateOperationError']);
    expect(await h.updateFails(statusUpdate(v2!.entryUuid, APPROVED, APPROVED))).toContain('XDSMetadataUpdateOperationError');
    expect(await h.updateFails(statusUpdate(v2!.entryUuid, APPROVED, 'Deprecated'))).toContain('XDSMetadataUpdateOperationError');
    const [ss] = await h.stores.metadata.findSubmissionSets({ patientIds: [DEFAULT_PATIENT] });
    expect(await h.updateFails(statusUpdate(ss!.entryUuid, APPROVED, DEPRECATED))).toEqual(['XDSMetadataUpdateOperationError']);
    expect((await versions(d.entryUuid)).map((x) => x.status)).toEqual([DEPRECATED, APPROVED]);
  });
});

describe('Submit Association', () => {
  const submitAssoc = (source: string, target: string, type: string) =>
    submissionXml({
      docs: [],
      noDefaultAssociations: true,
      associations: [
        { id: 'as', type, source, target },
        { id: 'm', type: HAS_MEMBER, source: 'SubmissionSet01', target: 'as', slots: { SubmissionSetStatus: ['Original'] } },
      ],
    });

  it('adds an APND between registered entries; a second identical one is refused', async () => {
    const a = await registerDoc('1.2.3.57.20');
    const b = await registerDoc('1.2.3.57.21');
    await h.update(submitAssoc(b.entryUuid, a.entryUuid, 'urn:ihe:iti:2007:AssociationType:APND'));
    expect(await h.stores.metadata.findAssociations({ sourceUuids: [b.entryUuid], targetUuids: [a.entryUuid] })).toHaveLength(1);
    expect(await h.updateFails(submitAssoc(b.entryUuid, a.entryUuid, 'urn:ihe:iti:2007:AssociationType:APND'))).toEqual(['XDSMetadataUpdateError']);
  });

  it('refuses entries of two patients with XDSPatientIDReconciliationError (NIST 20100a)', async () => {
    const a = await registerDoc('1.2.3.57.22');
    const b = await registerDoc('1.2.3.57.23', OTHER_PATIENT);
    expect(await h.updateFails(submitAssoc(b.entryUuid, a.entryUuid, 'urn:ihe:iti:2007:AssociationType:APND'))).toEqual(['XDSPatientIDReconciliationError']);
  });
});

describe('Folder update and association propagation', () => {
  async function folderWithDoc(): Promise<{ folder: Folder; doc: string; uid: string }> {
    const uid = `1.2.3.57.3${Math.floor(Math.random() * 1e6)}`;
    const r = await h.register(
      submissionXml({
        folders: [{ uniqueId: uid }],
        associations: [{ id: 'fd', type: HAS_MEMBER, source: 'Folder01', target: 'Document01' }],
      }),
    );
    const [folder] = await h.stores.metadata.getObjects([r.assignedUuids.get('Folder01')!]);
    return { folder: folder as Folder, doc: r.assignedUuids.get('Document01')!, uid };
  }
  const folderUpdate = (lid: string, uid: string, propagation?: string) =>
    submissionXml({
      docs: [],
      folders: [{ uniqueId: uid }],
      noDefaultAssociations: true,
      associations: [{ id: 'a1', type: HAS_MEMBER, source: 'SubmissionSet01', target: 'Folder01', slots: { PreviousVersion: ['1'], ...(propagation ? { AssociationPropagation: [propagation] } : {}) } }],
    }).replace('<rim:RegistryPackage id="Folder01">', `<rim:RegistryPackage id="Folder01" lid="${lid}">`);

  it('copies the Folder→DocumentEntry HasMember to the new version by default (NIST 20000d)', async () => {
    const { folder, doc, uid } = await folderWithDoc();
    const r = await h.update(folderUpdate(folder.entryUuid, uid));
    const v2 = r.newVersions.get(folder.entryUuid)!;
    expect(await h.stores.metadata.findAssociations({ sourceUuids: [v2], targetUuids: [doc], types: [HAS_MEMBER] })).toHaveLength(1);
  });

  it('does not copy them with AssociationPropagation=no (NIST 20000e)', async () => {
    const { folder, uid } = await folderWithDoc();
    const r = await h.update(folderUpdate(folder.entryUuid, uid, 'no'));
    expect(await h.stores.metadata.findAssociations({ sourceUuids: [r.newVersions.get(folder.entryUuid)!] })).toHaveLength(0);
  });
});
