import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/xds/errors.js';
import { AssociationType, Status, type DocumentEntry, type Folder } from '../../../src/xds/model/types.js';
import { freshOid, submissionXml } from '../ebrim/builders.js';
import { createHarness, OTHER_PATIENT, type Harness } from './harness.js';

const HM = AssociationType.HasMember;
let h: Harness;
beforeEach(() => {
  h = createHarness();
});
afterEach(() => h.close());

async function counts() {
  return h.stores.metadata.countObjects();
}

describe('RegistryService.register: acceptance', () => {
  it('stores a submission Approved with assigned urn:uuids and rewritten references', async () => {
    const r = await h.register(submissionXml({ folders: [{}] }));
    expect(r.warnings).toEqual([]);
    const docUuid = r.assignedUuids.get('Document01')!;
    expect(docUuid).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    const [doc] = (await h.stores.metadata.getObjects([docUuid])) as DocumentEntry[];
    expect(doc).toMatchObject({ status: Status.Approved, logicalId: docUuid, version: 1 });
    expect(doc!.classCode!.classificationId).toMatch(/^urn:uuid:/);
    const assocs = await h.stores.metadata.findAssociations({ sourceUuids: [r.submissionSetUuid] });
    expect(assocs.map((a) => a.targetUuid).sort()).toEqual([docUuid, r.assignedUuids.get('Folder01')!].sort());
    const [folder] = (await h.stores.metadata.getObjects([r.assignedUuids.get('Folder01')!])) as Folder[];
    expect(folder!.lastUpdateTime).toBe('20261128090000');
    expect(await counts()).toEqual({ DocumentEntry: 1, SubmissionSet: 1, Folder: 1, Association: 2 });
  });

  it('keeps client-assigned urn:uuids and rejects their reuse (NIST 15806)', async () => {
    const id = 'urn:uuid:11111111-2222-4333-8444-555555555555';
    await h.register(submissionXml({ docs: [{ id }] }));
    expect((await h.stores.metadata.getObjects([id]))[0]!.kind).toBe('DocumentEntry');
    expect(await h.failCodes(submissionXml({ docs: [{ id }] }))).toEqual([ErrorCode.RegistryMetadataError]);
    expect((await counts()).DocumentEntry).toBe(1);
  });

  it('rejects a resubmitted DocumentEntry uniqueId with a different hash → XDSNonIdenticalHash (NIST 12004)', async () => {
    const uid = freshOid();
    await h.register(submissionXml({ docs: [{ uniqueId: uid }] }));
    expect(await h.failCodes(submissionXml({ docs: [{ uniqueId: uid, hash: 'a'.repeat(40) }] }))).toEqual([ErrorCode.NonIdenticalHash]);
    expect(await h.failCodes(submissionXml({ docs: [{ uniqueId: uid, size: 37 }] }))).toEqual([ErrorCode.NonIdenticalSize]);
  });

  // NIST 12004: the same document (same uniqueId and hash) is accepted again, and both copies are found.
  it('accepts a resubmitted document with the same uniqueId and hash (NIST 12004)', async () => {
    const uid = freshOid();
    await h.register(submissionXml({ docs: [{ uniqueId: uid }] }));
    await h.register(submissionXml({ docs: [{ uniqueId: uid }] }));
    expect((await h.stores.metadata.findDocumentEntries({ uniqueIds: [uid] })).length).toBe(2);
  });
});

describe('RegistryService.register: rejections leave no trace', () => {
  afterEach(async () => {
    // every rejection in this block starts from an empty registry and must leave it empty
    const c = await counts();
    expect(c.DocumentEntry + c.SubmissionSet + c.Folder + c.Association).toBe(0);
  });

  it('unknown patient → XDSUnknownPatientId (NIST 11996)', async () => {
    const p = 'UNKNOWN^^^&1.2.3&ISO';
    expect(await h.failCodes(submissionXml({ patientId: p }))).toEqual([ErrorCode.UnknownPatientId]);
  });

  it('DocumentEntry patient differs from SubmissionSet → XDSPatientIdDoesNotMatch (NIST 11997)', async () => {
    expect(await h.failCodes(submissionXml({ docs: [{ patientId: OTHER_PATIENT }] }))).toEqual([ErrorCode.PatientIdDoesNotMatch]);
  });

  it('Folder patient differs → XDSPatientIdDoesNotMatch', async () => {
    expect(await h.failCodes(submissionXml({ folders: [{ patientId: OTHER_PATIENT }] }))).toEqual([ErrorCode.PatientIdDoesNotMatch]);
  });

  it('one uniqueId twice in the message → XDSRegistryDuplicateUniqueIdInMessage', async () => {
    const uid = freshOid();
    expect(await h.failCodes(submissionXml({ docs: [{ uniqueId: uid }, { id: 'Document02', uniqueId: uid }] }))).toEqual([
      ErrorCode.RegistryDuplicateUniqueIdInMessage,
    ]);
  });

  it('a missing required attribute in one of two documents fails all (NIST 12084, 11998a)', async () => {
    expect(await h.failCodes(submissionXml({ docs: [{}, { id: 'Document02', omitSlots: ['repositoryUniqueId'] }] }))).toEqual([
      ErrorCode.RegistryMetadataError,
    ]);
    expect(await h.failCodes(submissionXml({ docs: [{ omit: ['classCode'] }] }))).toEqual([ErrorCode.RegistryMetadataError]);
  });

  it('ITI-41 reports profile violations as XDSRepositoryMetadataError', async () => {
    expect(await h.failCodes(submissionXml({ docs: [{ omit: ['typeCode'] }] }), 'ITI-41')).toEqual([ErrorCode.RepositoryMetadataError]);
  });

  it('a DocumentEntry that is not a member of the SubmissionSet → XDSRegistryMetadataError', async () => {
    expect(await h.failCodes(submissionXml({ noDefaultAssociations: true }))).toEqual([ErrorCode.RegistryMetadataError]);
  });

  it('a documentation classification on HasMember → XDSRegistryMetadataError (NIST 12370)', async () => {
    const doc = `<rim:Classification id="doccl" classificationScheme="urn:uuid:abd807a3-4432-4053-87b4-fd82c643d1f3" classifiedObject="ssde0" nodeRepresentation="Why"><rim:Slot name="codingScheme"><rim:ValueList><rim:Value>1.2.3</rim:Value></rim:ValueList></rim:Slot><rim:Name><rim:LocalizedString value="Why"/></rim:Name></rim:Classification>`;
    const xml = submissionXml({ noDefaultAssociations: true, associations: [{ id: 'ssde0', type: HM, source: 'SubmissionSet01', target: 'Document01', slots: { SubmissionSetStatus: ['Original'] }, inner: doc }] });
    expect(await h.failCodes(xml)).toEqual([ErrorCode.RegistryMetadataError]);
  });

  it('a reference to an unknown symbolic id → UnresolvedReferenceException', async () => {
    const xml = submissionXml({ associations: [{ id: 'x', type: AssociationType.Append, source: 'Document01', target: 'Nowhere' }] });
    expect(await h.failCodes(xml)).toContain(ErrorCode.UnresolvedReferenceException);
  });

  it('APND to a document that does not exist → XDSRegistryError', async () => {
    const xml = submissionXml({ associations: [{ id: 'x', type: AssociationType.Append, source: 'Document01', target: 'urn:uuid:99999999-2222-4333-8444-555555555555' }] });
    expect(await h.failCodes(xml)).toEqual([ErrorCode.RegistryError]);
  });
});

describe('RegistryService.register: registry-state rules', () => {
  it('SubmissionSet uniqueId already registered → XDSDuplicateUniqueIdInRegistry', async () => {
    const ss = freshOid();
    await h.register(submissionXml({ ssUniqueId: ss }));
    expect(await h.failCodes(submissionXml({ ssUniqueId: ss }))).toEqual([ErrorCode.DuplicateUniqueIdInRegistry]);
  });

  it('Folder uniqueId already registered → XDSDuplicateUniqueIdInRegistry', async () => {
    const f = freshOid();
    await h.register(submissionXml({ folders: [{ uniqueId: f }] }));
    expect(await h.failCodes(submissionXml({ folders: [{ uniqueId: f }] }))).toEqual([ErrorCode.DuplicateUniqueIdInRegistry]);
  });

  it('concurrent submissions with one SubmissionSet uniqueId: one wins, one gets XDSDuplicateUniqueIdInRegistry', async () => {
    const ss = freshOid();
    const results = await Promise.allSettled([h.register(submissionXml({ ssUniqueId: ss })), h.register(submissionXml({ ssUniqueId: ss }))]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason.errors[0].errorCode).toBe(ErrorCode.DuplicateUniqueIdInRegistry);
  });

  it('RPLC deprecates the original and its APND/XFRM children, and joins the original’s Folders (NIST 11992, 12022, 12327)', async () => {
    const orig = await h.register(submissionXml({ folders: [{}], associations: [{ id: 'fdde', type: HM, source: 'Folder01', target: 'Document01' }, { id: 'ssfdde', type: HM, source: 'SubmissionSet01', target: 'fdde' }] }));
    const origDoc = orig.assignedUuids.get('Document01')!;
    const folder = orig.assignedUuids.get('Folder01')!;
    const apnd = await h.register(submissionXml({ associations: [{ id: 'ap', type: AssociationType.Append, source: 'Document01', target: origDoc }] }));
    const apndDoc = apnd.assignedUuids.get('Document01')!;
    h.now.value = new Date(Date.UTC(2026, 10, 28, 10, 0, 0));
    const rplc = await h.register(submissionXml({ associations: [{ id: 'rp', type: AssociationType.Replace, source: 'Document01', target: origDoc }] }));
    const newDoc = rplc.assignedUuids.get('Document01')!;
    const status = async (id: string) => (await h.stores.metadata.getObjects([id]))[0]!.status;
    expect(await status(origDoc)).toBe(Status.Deprecated);
    expect(await status(apndDoc)).toBe(Status.Deprecated);
    expect(await status(newDoc)).toBe(Status.Approved);
    const members = await h.stores.metadata.findAssociations({ sourceUuids: [folder], types: [HM] });
    expect(members.map((m) => m.targetUuid).sort()).toEqual([origDoc, newDoc].sort());
    const [f] = (await h.stores.metadata.getObjects([folder])) as Folder[];
    expect(f!.lastUpdateTime).toBe('20261128100000');
  });

  it('RPLC/APND of a Deprecated document → XDSRegistryError, nothing stored (NIST 11993)', async () => {
    const a = (await h.register(submissionXml())).assignedUuids.get('Document01')!;
    await h.register(submissionXml({ associations: [{ id: 'rp', type: AssociationType.Replace, source: 'Document01', target: a }] }));
    const before = await counts();
    expect(await h.failCodes(submissionXml({ associations: [{ id: 'ap', type: AssociationType.Append, source: 'Document01', target: a }] }))).toEqual([ErrorCode.RegistryError]);
    expect(await h.failCodes(submissionXml({ associations: [{ id: 'rp', type: AssociationType.Replace, source: 'Document01', target: a }] }))).toEqual([ErrorCode.RegistryError]);
    expect(await counts()).toEqual(before);
  });

  it('RPLC under another patient → XDSPatientIdDoesNotMatch, original stays Approved (NIST 11998)', async () => {
    const a = (await h.register(submissionXml())).assignedUuids.get('Document01')!;
    const xml = submissionXml({ patientId: OTHER_PATIENT, associations: [{ id: 'rp', type: AssociationType.Replace, source: 'Document01', target: a }] });
    expect(await h.failCodes(xml)).toEqual([ErrorCode.PatientIdDoesNotMatch]);
    expect((await h.stores.metadata.getObjects([a]))[0]!.status).toBe(Status.Approved);
  });

  it('XFRM_RPLC deprecates, XFRM and signs do not (NIST 11994, 11995)', async () => {
    const a = (await h.register(submissionXml())).assignedUuids.get('Document01')!;
    await h.register(submissionXml({ associations: [{ id: 'x', type: AssociationType.Transform, source: 'Document01', target: a }] }));
    await h.register(submissionXml({ associations: [{ id: 's', type: AssociationType.Signs, source: 'Document01', target: a }] }));
    expect((await h.stores.metadata.getObjects([a]))[0]!.status).toBe(Status.Approved);
    await h.register(submissionXml({ associations: [{ id: 'xr', type: AssociationType.TransformAndReplace, source: 'Document01', target: a }] }));
    expect((await h.stores.metadata.getObjects([a]))[0]!.status).toBe(Status.Deprecated);
  });

  it('adds a new document to an existing Folder and an existing document to an existing Folder (NIST 12001, 12326)', async () => {
    const first = await h.register(submissionXml({ folders: [{}] }));
    const folder = first.assignedUuids.get('Folder01')!;
    const existingDoc = first.assignedUuids.get('Document01')!;
    h.now.value = new Date(Date.UTC(2026, 10, 28, 11, 0, 0));
    await h.register(submissionXml({ associations: [{ id: 'fd', type: HM, source: folder, target: 'Document01' }, { id: 'ssfd', type: HM, source: 'SubmissionSet01', target: 'fd' }] }));
    h.now.value = new Date(Date.UTC(2026, 10, 28, 12, 0, 0));
    await h.register(
      submissionXml({ docs: [], associations: [{ id: 'fd', type: HM, source: folder, target: existingDoc }, { id: 'ssfd', type: HM, source: 'SubmissionSet01', target: 'fd' }] }),
    );
    expect(await h.stores.metadata.findAssociations({ sourceUuids: [folder], types: [HM] })).toHaveLength(2);
    const [f] = (await h.stores.metadata.getObjects([folder])) as Folder[];
    expect(f!.lastUpdateTime).toBe('20261128120000');
  });

  it('adding another patient’s document to a Folder → XDSPatientIdDoesNotMatch (NIST 12002)', async () => {
    const folder = (await h.register(submissionXml({ folders: [{}] }))).assignedUuids.get('Folder01')!;
    const xml = submissionXml({ patientId: OTHER_PATIENT, associations: [{ id: 'fd', type: HM, source: folder, target: 'Document01' }, { id: 'ssfd', type: HM, source: 'SubmissionSet01', target: 'fd' }] });
    expect(await h.failCodes(xml)).toEqual([ErrorCode.PatientIdDoesNotMatch]);
  });

  it('a SubmissionSet may include a registered document by reference', async () => {
    const doc = (await h.register(submissionXml())).assignedUuids.get('Document01')!;
    await h.register(submissionXml({ docs: [], associations: [{ id: 'ref', type: HM, source: 'SubmissionSet01', target: doc, slots: { SubmissionSetStatus: ['Reference'] } }] }));
    expect(await h.stores.metadata.findAssociations({ targetUuids: [doc], types: [HM] })).toHaveLength(2);
  });

  it('the documentation classification is kept on a RPLC association (NIST 12370)', async () => {
    const a = (await h.register(submissionXml())).assignedUuids.get('Document01')!;
    const doc = `<rim:Classification id="doccl" classificationScheme="urn:uuid:abd807a3-4432-4053-87b4-fd82c643d1f3" classifiedObject="rp" nodeRepresentation="Why"><rim:Slot name="codingScheme"><rim:ValueList><rim:Value>1.2.3</rim:Value></rim:ValueList></rim:Slot><rim:Name><rim:LocalizedString value="Why"/></rim:Name></rim:Classification>`;
    const r = await h.register(submissionXml({ associations: [{ id: 'rp', type: AssociationType.Replace, source: 'Document01', target: a, inner: doc }] }));
    const [assoc] = await h.stores.metadata.findAssociations({ entryUuids: [r.assignedUuids.get('rp')!] });
    expect(assoc!.codes[0]).toMatchObject({ code: 'Why', scheme: '1.2.3' });
  });
});

