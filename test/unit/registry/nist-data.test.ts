/** The registry on real NIST metadata: the 12346 Stored Query data set and the IHE Register sample. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/xds/errors.js';
import { Status } from '../../../src/xds/model/types.js';
import { hasConformance, readConformance } from '../ebrim/fixtures.js';
import { DEFAULT_PATIENT, freshOid } from '../ebrim/builders.js';
import { createHarness, type Harness } from './harness.js';

/** Applies what the NIST toolkit does before sending (ANALYSIS.md §3): patient ids, fresh uniqueIds, bindings. */
function prepare(rel: string, bindings: Record<string, string> = {}): string {
  let text = readConformance(rel);
  const esc = DEFAULT_PATIENT.replace(/&/g, '&amp;');
  text = text.split('$patientid$').join(esc);
  for (const [k, v] of Object.entries(bindings)) text = text.split(k).join(v);
  const patientSchemes = ['58a6f841-87b3-4a3e-92fd-a8ffeff98427', '6b5aea1a-874d-4603-a4bc-96a0a7b38446', 'f64ffdf0-4b97-4e06-b79f-a52b38ec2f8a'];
  const uniqueSchemes = ['2e82c1f6-a085-4c72-9da3-8640a32e42ab', '96fdda7c-d067-4183-912e-bf5ee74998a8', '75df8f67-9973-4fbe-a900-df66cefecc5a'];
  const setValue = (schemes: string[], value: () => string) => {
    text = text.replace(/<rim:ExternalIdentifier\b[^>]*>/g, (tag) =>
      schemes.some((s) => tag.includes(`urn:uuid:${s}`)) ? tag.replace(/value="[^"]*"/, `value="${value()}"`) : tag,
    );
  };
  setValue(patientSchemes, () => esc);
  setValue(uniqueSchemes, freshOid);
  return text;
}

let h: Harness;
beforeEach(() => {
  h = createHarness();
});
afterEach(() => h.close());

describe.skipIf(!hasConformance)('NIST 12346 data set through the registry', () => {
  it('loads single_doc, doc_w_fol, two_doc_w_fol, doc_for_rplc and rplc (the 15803 GetAll counts)', async () => {
    await h.register(prepare('nist/12346/single_doc/single_doc.xml'));
    await h.register(prepare('nist/12346/doc_w_fol/single_doc_w_fol.xml'));
    await h.register(prepare('nist/12346/two_doc_w_fol/two_doc_w_fol.xml'));
    const forRplc = await h.register(prepare('nist/12346/doc_for_rplc/single_doc_for_rplc.xml'));
    const target = forRplc.assignedUuids.get('Document01')!;
    await h.register(prepare('nist/12346/rplc/rplc.xml', { $rplc_doc_uuid$: target }));
    expect(await h.stores.metadata.countObjects()).toEqual({ DocumentEntry: 6, SubmissionSet: 5, Folder: 2, Association: 15 });
    expect((await h.stores.metadata.getObjects([target]))[0]!.status).toBe(Status.Deprecated);
  });

  it('the IHE RegisterDocumentSet-b sample fails ITI-42 validation (no hash, size, repositoryUniqueId)', async () => {
    h.known.add('SELF-5^^^&1.3.6.1.4.1.21367.2005.3.7&ISO');
    const codes = await h.failCodes(readConformance('ihe-examples/XDS.b/RegisterDocumentSet-bRequest.xml'));
    expect(new Set(codes)).toEqual(new Set([ErrorCode.RegistryMetadataError]));
  });
});
