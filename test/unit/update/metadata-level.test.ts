/**
 * Stored queries after ITI-57 (ITI TF-2a §3.18.4.1.2.3.5.1): $MetadataLevel 1 returns only the latest
 * version and no Offline DocumentEntry; $MetadataLevel 2 returns every version (GetDocuments by uniqueId).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHookRunner } from '../../../src/hooks/runner.js';
import { StoredQueryService } from '../../../src/xds/queries/stored-query-service.js';
import type { DocumentEntry } from '../../../src/xds/model/types.js';
import { parseXml } from '../../../src/xml/parse.js';
import { DEFAULT_PATIENT, submissionXml } from '../ebrim/builders.js';
import { context } from '../registry/harness.js';
import { HAS_MEMBER, createUpdateHarness, type UpdateHarness } from './harness.js';

let h: UpdateHarness;
let queries: StoredQueryService;
beforeEach(() => {
  h = createUpdateHarness();
  queries = new StoredQueryService({ store: h.stores.metadata, hooks: createHookRunner({ consent: [], recorders: [] }), config: { maxResults: 1000 } });
});
afterEach(() => h.close());

const pid = DEFAULT_PATIENT.replaceAll('&', '&amp;');
const slot = (name: string, value: string) => `<rim:Slot name="${name}"><rim:ValueList><rim:Value>${value}</rim:Value></rim:ValueList></rim:Slot>`;
const query = (id: string, slots: string) =>
  parseXml(`<query:AdhocQueryRequest xmlns:query="urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0" xmlns:rim="urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0"><query:ResponseOption returnComposedObjects="true" returnType="LeafClass"/><rim:AdhocQuery id="${id}">${slots}</rim:AdhocQuery></query:AdhocQueryRequest>`);
const FIND = 'urn:uuid:14d4debf-8f97-4251-9a74-a90016b0af0d';
const GET = 'urn:uuid:5c4f972b-d56b-40ac-a5fc-c8ca9b40b9d4';
const docs = async (q: ReturnType<typeof query>) =>
  (await queries.query(q, { ...context(), transaction: 'ITI-18' }, { multiPatient: false })).objects.filter((o): o is DocumentEntry => o.kind === 'DocumentEntry');

async function registerAndUpdate(uid: string, availability?: string): Promise<string> {
  const r = await h.register(submissionXml({ docs: [{ uniqueId: uid }] }));
  const lid = r.assignedUuids.get('Document01')!;
  await h.update(
    submissionXml({
      docs: [{ lid, uniqueId: uid, slots: availability ? { documentAvailability: [availability] } : {} }],
      noDefaultAssociations: true,
      associations: [{ id: 'a1', type: HAS_MEMBER, source: 'SubmissionSet01', target: 'Document01', slots: { SubmissionSetStatus: ['Original'], PreviousVersion: ['1'] } }],
    }),
  );
  return lid;
}

describe('$MetadataLevel', () => {
  it('GetDocuments by uniqueId: latest version at level 1, both versions at level 2', async () => {
    await registerAndUpdate('1.2.3.57.100');
    expect((await docs(query(GET, slot('$XDSDocumentEntryUniqueId', "('1.2.3.57.100')")))).map((d) => d.version)).toEqual([2]);
    expect((await docs(query(GET, slot('$XDSDocumentEntryUniqueId', "('1.2.3.57.100')") + slot('$MetadataLevel', '2')))).map((d) => d.version).sort()).toEqual([1, 2]);
  });

  it('an Offline DocumentEntry is returned at level 2 only', async () => {
    await registerAndUpdate('1.2.3.57.101', 'urn:ihe:iti:2010:DocumentAvailability:Offline');
    const find = (level: string) =>
      query(FIND, slot('$XDSDocumentEntryPatientId', `'${pid}'`) + slot('$XDSDocumentEntryStatus', "('urn:oasis:names:tc:ebxml-regrep:StatusType:Approved')") + level);
    expect(await docs(find(''))).toHaveLength(0);
    const all = await docs(find(slot('$MetadataLevel', '2')));
    expect(all.map((d) => [d.version, d.documentAvailability])).toEqual([[2, 'urn:ihe:iti:2010:DocumentAvailability:Offline']]);
  });
});
