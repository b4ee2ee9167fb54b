/**
 * ITI TF-3 §4.2.2 lifecycle rules of the registry, one rule per test, with the exact XDS error code:
 * replacement deprecates the APND/XFRM children, no relationship against a Deprecated entry, RPLC joins
 * the Folders of the replaced document, Folder lastUpdateTime is the registry's, extra (non-XDS) slots are
 * kept, the association documentation classification, resubmission of a document.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeRegistryObject } from '../../../src/xds/ebrim/encode-objects.js';
import { ErrorCode } from '../../../src/xds/errors.js';
import { AssociationType, Status, type Association, type DocumentEntry, type Folder, type SubmissionSet } from '../../../src/xds/model/types.js';
import { freshOid, submissionXml } from '../ebrim/builders.js';
import { createHarness, type Harness } from './harness.js';

const HM = AssociationType.HasMember;
const DOC_SCHEME = 'urn:uuid:abd807a3-4432-4053-87b4-fd82c643d1f3';
let h: Harness;
beforeEach(() => {
  h = createHarness();
});
afterEach(() => h.close());

const status = async (id: string) => (await h.stores.metadata.getObjects([id]))[0]!.status;
const docIn = async (xml: string) => (await h.register(xml)).assignedUuids.get('Document01')!;
const rel = (type: string, target: string) => submissionXml({ associations: [{ id: 'r', type, source: 'Document01', target }] });
const folderWith = (extra: string) => (xml: string) => xml.replace('<rim:RegistryPackage id="Folder01">', `<rim:RegistryPackage id="Folder01">${extra}`);
const slot = (name: string, v: string) => `<rim:Slot name="${name}"><rim:ValueList><rim:Value>${v}</rim:Value></rim:ValueList></rim:Slot>`;
function documentation(assocId: string, n = 1): string {
  let out = '';
  for (let i = 0; i < n; i++) {
    out += `<rim:Classification id="doc${i}" classificationScheme="${DOC_SCHEME}" classifiedObject="${assocId}" nodeRepresentation="Why${i}">${slot('codingScheme', '1.2.3')}<rim:Name><rim:LocalizedString value="Why"/></rim:Name></rim:Classification>`;
  }
  return out;
}

describe('replacement deprecates the dependent APND/XFRM children (ITI TF-3 §4.2.2.2.2)', () => {
  it('RPLC deprecates an XFRM child; a signs child stays Approved', async () => {
    const orig = await docIn(submissionXml());
    const xfrm = await docIn(rel(AssociationType.Transform, orig));
    const signs = await docIn(rel(AssociationType.Signs, orig));
    const repl = await docIn(rel(AssociationType.Replace, orig));
    expect([await status(orig), await status(xfrm), await status(signs), await status(repl)]).toEqual([
      Status.Deprecated,
      Status.Deprecated,
      Status.Approved,
      Status.Approved,
    ]);
  });

  it('XFRM_RPLC deprecates an APND child too', async () => {
    const orig = await docIn(submissionXml());
    const apnd = await docIn(rel(AssociationType.Append, orig));
    await docIn(rel(AssociationType.TransformAndReplace, orig));
    expect([await status(orig), await status(apnd)]).toEqual([Status.Deprecated, Status.Deprecated]);
  });
});

describe('no relationship against a Deprecated DocumentEntry (ITI TF-3 §4.2.2.2)', () => {
  for (const type of [AssociationType.Append, AssociationType.Transform, AssociationType.TransformAndReplace]) {
    it(`${type.slice(type.lastIndexOf(':') + 1)} of a Deprecated entry → XDSRegistryError, nothing stored`, async () => {
      const orig = await docIn(submissionXml());
      await docIn(rel(AssociationType.Replace, orig));
      const before = await h.stores.metadata.countObjects();
      expect(await h.failCodes(rel(type, orig))).toEqual([ErrorCode.RegistryError]);
      expect(await h.stores.metadata.countObjects()).toEqual(before);
    });
  }

  it('APND to a deprecated APND child of a replaced document → XDSRegistryError', async () => {
    const orig = await docIn(submissionXml());
    const apnd = await docIn(rel(AssociationType.Append, orig));
    await docIn(rel(AssociationType.Replace, orig));
    expect(await h.failCodes(rel(AssociationType.Append, apnd))).toEqual([ErrorCode.RegistryError]);
  });
});

describe('RPLC of a document in Folders (ITI TF-3 §4.2.2.2.3, ITI TF-2a §3.42.4.1.3.5)', () => {
  it('the replacement joins every Folder of the original, each with a new HasMember and a new lastUpdateTime', async () => {
    const first = await h.register(
      submissionXml({
        folders: [{ id: 'Folder01' }, { id: 'Folder02' }],
        associations: [
          { id: 'f1', type: HM, source: 'Folder01', target: 'Document01' },
          { id: 'f2', type: HM, source: 'Folder02', target: 'Document01' },
          { id: 's1', type: HM, source: 'SubmissionSet01', target: 'f1' },
          { id: 's2', type: HM, source: 'SubmissionSet01', target: 'f2' },
        ],
      }),
    );
    const orig = first.assignedUuids.get('Document01')!;
    const folders = ['Folder01', 'Folder02'].map((f) => first.assignedUuids.get(f)!);
    h.now.value = new Date(Date.UTC(2026, 10, 28, 13, 30, 0));
    const repl = await docIn(rel(AssociationType.Replace, orig));
    for (const f of folders) {
      const members = await h.stores.metadata.findAssociations({ sourceUuids: [f], types: [HM] });
      expect(members.map((m) => m.targetUuid).sort()).toEqual([orig, repl].sort());
      expect(members.every((m) => m.status === Status.Approved && /^urn:uuid:/.test(m.entryUuid))).toBe(true);
      const [folder] = (await h.stores.metadata.getObjects([f])) as Folder[];
      expect(folder!.lastUpdateTime).toBe('20261128133000');
    }
  });

  it('no second HasMember when the submission already puts the replacement into the Folder', async () => {
    const first = await h.register(
      submissionXml({ folders: [{}], associations: [{ id: 'f1', type: HM, source: 'Folder01', target: 'Document01' }, { id: 's1', type: HM, source: 'SubmissionSet01', target: 'f1' }] }),
    );
    const folder = first.assignedUuids.get('Folder01')!;
    const orig = first.assignedUuids.get('Document01')!;
    await h.register(
      submissionXml({
        associations: [
          { id: 'r', type: AssociationType.Replace, source: 'Document01', target: orig },
          { id: 'f', type: HM, source: folder, target: 'Document01' },
          { id: 'sf', type: HM, source: 'SubmissionSet01', target: 'f' },
        ],
      }),
    );
    expect(await h.stores.metadata.findAssociations({ sourceUuids: [folder], types: [HM] })).toHaveLength(2);
  });

  it('a document that is in no Folder: the replacement joins none and no Folder is touched', async () => {
    const other = await h.register(submissionXml({ folders: [{}], docs: [{}] }));
    const untouched = other.assignedUuids.get('Folder01')!;
    h.now.value = new Date(Date.UTC(2026, 10, 28, 14, 0, 0));
    const orig = other.assignedUuids.get('Document01')!;
    await docIn(rel(AssociationType.Replace, orig));
    const [folder] = (await h.stores.metadata.getObjects([untouched])) as Folder[];
    expect(folder!.lastUpdateTime).toBe('20261128090000');
    expect(await h.stores.metadata.findAssociations({ sourceUuids: [untouched], types: [HM] })).toHaveLength(0);
  });
});

describe('Folder lastUpdateTime is kept by the registry (ITI TF-3 Table 4.2.3.4.1-1)', () => {
  it('a submitted lastUpdateTime is replaced by the registration time', async () => {
    const xml = folderWith(slot('lastUpdateTime', '19990101000000'))(submissionXml({ folders: [{}] }));
    const r = await h.register(xml);
    const [folder] = (await h.stores.metadata.getObjects([r.assignedUuids.get('Folder01')!])) as Folder[];
    expect(folder!.lastUpdateTime).toBe('20261128090000');
  });
});

describe('extra (non-XDS) slots are stored and returned (ITI TF-3 §4.2.3.1.9, NIST 12379)', () => {
  it('on DocumentEntry, SubmissionSet, Folder and Association, in the LeafClass encoding too', async () => {
    const xml = folderWith(slot('urn:dk:folder:extra', 'f'))(
      submissionXml({
        folders: [{}],
        docs: [{ slots: { 'urn:dk:nsp:extra': ['one', 'two'] } }],
        ssSlots: { 'urn:dk:ss:extra': ['s'] },
        associations: [{ id: 'fd', type: HM, source: 'Folder01', target: 'Document01', slots: { 'urn:dk:assoc:extra': ['a'] } }, { id: 'sfd', type: HM, source: 'SubmissionSet01', target: 'fd' }],
      }),
    );
    const r = await h.register(xml);
    const [doc, ss, folder, assoc] = (await h.stores.metadata.getObjects([
      r.assignedUuids.get('Document01')!,
      r.submissionSetUuid,
      r.assignedUuids.get('Folder01')!,
      r.assignedUuids.get('fd')!,
    ])) as [DocumentEntry, SubmissionSet, Folder, Association];
    const byKind = new Map([doc, ss, folder, assoc].map((o) => [o.kind, o]));
    expect((byKind.get('DocumentEntry') as DocumentEntry).extraSlots).toEqual([{ name: 'urn:dk:nsp:extra', values: ['one', 'two'] }]);
    expect((byKind.get('SubmissionSet') as SubmissionSet).extraSlots).toEqual([{ name: 'urn:dk:ss:extra', values: ['s'] }]);
    expect((byKind.get('Folder') as Folder).extraSlots).toEqual([{ name: 'urn:dk:folder:extra', values: ['f'] }]);
    expect((byKind.get('Association') as Association).extraSlots).toEqual([{ name: 'urn:dk:assoc:extra', values: ['a'] }]);
    expect(encodeRegistryObject(byKind.get('DocumentEntry')!)).toContain(
      '<rim:Slot name="urn:dk:nsp:extra"><rim:ValueList><rim:Value>one</rim:Value><rim:Value>two</rim:Value></rim:ValueList></rim:Slot>',
    );
    expect(encodeRegistryObject(byKind.get('Association')!)).toContain('<rim:Slot name="urn:dk:assoc:extra">');
  });
});

describe('association documentation classification (ITI TF-3 §4.2.2.3)', () => {
  it('allowed on APND, XFRM and signs, kept with its code', async () => {
    const orig = await docIn(submissionXml());
    for (const type of [AssociationType.Append, AssociationType.Transform, AssociationType.Signs]) {
      const r = await h.register(submissionXml({ associations: [{ id: 'r', type, source: 'Document01', target: orig, inner: documentation('r') }] }));
      const [a] = await h.stores.metadata.findAssociations({ entryUuids: [r.assignedUuids.get('r')!] });
      expect(a!.codes).toHaveLength(1);
      expect(a!.codes[0]).toMatchObject({ code: 'Why0', scheme: '1.2.3' });
    }
  });

  it('on the SubmissionSet → Document HasMember → XDSRegistryMetadataError', async () => {
    const xml = submissionXml().replace('<!--EXTRA_OBJECTS-->', documentation('ssde0'));
    expect(await h.failCodes(xml)).toEqual([ErrorCode.RegistryMetadataError]);
  });

  it('a Classification of another scheme on an Association → XDSRegistryMetadataError', async () => {
    const orig = await docIn(submissionXml());
    const other = documentation('r').replace(DOC_SCHEME, 'urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a');
    expect(await h.failCodes(submissionXml({ associations: [{ id: 'r', type: AssociationType.Append, source: 'Document01', target: orig, inner: other }] }))).toEqual([
      ErrorCode.RegistryMetadataError,
    ]);
  });
});

describe('resubmission of a document (ITI TF-2a §3.42.4.1.3.6, ITI TF-3 Table 4.2.4.1-2)', () => {
  it('same uniqueId and hash, different size → XDSNonIdenticalSize', async () => {
    const uid = freshOid();
    await h.register(submissionXml({ docs: [{ uniqueId: uid, size: 36 }] }));
    expect(await h.failCodes(submissionXml({ docs: [{ uniqueId: uid, size: 37 }] }))).toEqual([ErrorCode.NonIdenticalSize]);
  });

  it('same uniqueId, hash differs only in letter case → accepted (SHA-1 hex is case-insensitive)', async () => {
    const uid = freshOid();
    await h.register(submissionXml({ docs: [{ uniqueId: uid, hash: 'e543712c0e10501972de13a5bfcbe826c49feb75' }] }));
    await h.register(submissionXml({ docs: [{ uniqueId: uid, hash: 'E543712C0E10501972DE13A5BFCBE826C49FEB75' }] }));
    expect(await h.stores.metadata.findDocumentEntries({ uniqueIds: [uid] })).toHaveLength(2);
  });

  it('a resubmitted SubmissionSet uniqueId is refused even when the document is the same → XDSDuplicateUniqueIdInRegistry', async () => {
    const uid = freshOid();
    const ss = freshOid();
    await h.register(submissionXml({ docs: [{ uniqueId: uid }], ssUniqueId: ss }));
    expect(await h.failCodes(submissionXml({ docs: [{ uniqueId: uid }], ssUniqueId: ss }))).toEqual([ErrorCode.DuplicateUniqueIdInRegistry]);
  });
});
