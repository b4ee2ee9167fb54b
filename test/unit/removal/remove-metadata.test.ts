/** ITI-62 Delete Document Set (RMD, ITI TF-2b §3.62.4.1.3): what may be removed, and that it is gone. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { XdsError } from '../../../src/xds/errors.js';
import { RemoveMetadataService } from '../../../src/xds/removal/remove-metadata-service.js';
import { parseXml } from '../../../src/xml/parse.js';
import { submissionXml } from '../ebrim/builders.js';
import { createHarness, type Harness } from '../registry/harness.js';

let h: Harness;
let removal: RemoveMetadataService;
beforeEach(() => {
  h = createHarness();
  removal = new RemoveMetadataService({ store: h.stores.metadata });
});
afterEach(() => h.close());

const request = (ids: string[]) =>
  parseXml(
    `<lcm:RemoveObjectsRequest xmlns:lcm="urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0" xmlns:rim="urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0"><rim:ObjectRefList>${ids.map((id) => `<rim:ObjectRef id="${id}"/>`).join('')}</rim:ObjectRefList></lcm:RemoveObjectsRequest>`,
  );

async function codes(ids: string[]): Promise<string[]> {
  try {
    await removal.remove(request(ids));
  } catch (e) {
    if (e instanceof XdsError) return [...new Set(e.errors.map((x) => x.errorCode))];
    throw e;
  }
  throw new Error('removal unexpectedly succeeded');
}

async function registered(): Promise<{ ss: string; doc: string; member: string }> {
  const r = await h.register(submissionXml());
  return { ss: r.submissionSetUuid, doc: r.assignedUuids.get('Document01')!, member: r.assignedUuids.get('ssde0')! };
}

describe('ITI-62 RemoveObjectsRequest', () => {
  it('an object the registry does not hold: UnresolvedReferenceException (NIST 30000)', async () => {
    expect(await codes(['urn:uuid:00000000-0000-4000-8000-000000000062'])).toEqual(['UnresolvedReferenceException']);
  });

  it('removing the SubmissionSet alone leaves its HasMember dangling: ReferencesExistException (NIST 30001)', async () => {
    const { ss } = await registered();
    expect(await codes([ss])).toEqual(['ReferencesExistException']);
  });

  it('removing the DocumentEntry and its HasMember leaves an empty SubmissionSet: XDSUnreferencedObjectException', async () => {
    const { doc, member } = await registered();
    expect(await codes([doc, member])).toEqual(['XDSUnreferencedObjectException']);
  });

  it('removing the HasMember alone leaves an unreferenced DocumentEntry: XDSUnreferencedObjectException', async () => {
    const { member } = await registered();
    expect(await codes([member])).toEqual(['XDSUnreferencedObjectException']);
  });

  it('removes the whole submission; nothing is left and a failed request removed nothing before', async () => {
    const { ss, doc, member } = await registered();
    await codes([ss]);
    expect(await h.stores.metadata.getObjects([ss, doc, member])).toHaveLength(3);
    await removal.remove(request([ss, doc, member]));
    expect(await h.stores.metadata.getObjects([ss, doc, member])).toHaveLength(0);
    expect(await h.stores.metadata.findAssociations({ sourceOrTarget: [ss, doc] })).toHaveLength(0);
  });

  it('an AdhocQuery form or an empty list is refused with XDSRegistryError', async () => {
    const q = parseXml('<lcm:RemoveObjectsRequest xmlns:lcm="urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0" xmlns:rim="urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0"><rim:AdhocQuery id="q"/></lcm:RemoveObjectsRequest>');
    await expect(removal.remove(q)).rejects.toMatchObject({ errors: [{ errorCode: 'XDSRegistryError' }] });
    await expect(removal.remove(request([]))).rejects.toMatchObject({ errors: [{ errorCode: 'XDSRegistryError' }] });
  });
});
