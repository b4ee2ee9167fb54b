import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeSubmission } from '../../../src/xds/ebrim/decode-submission.js';
import { encodeRegistryObject, encodeRegistryObjectList } from '../../../src/xds/ebrim/encode-objects.js';
import { registryResponseXml } from '../../../src/xds/ebrim/registry-response.js';
import { NS } from '../../../src/xds/ebrim/namespaces.js';
import type { RegistryObject, Submission } from '../../../src/xds/model/types.js';
import { Status } from '../../../src/xds/model/types.js';
import { parseXml } from '../../../src/xml/parse.js';
import { createSchemaSet } from '../../../src/xml/schemas.js';
import { conformanceXml, hasConformance, PATIENT } from './fixtures.js';
import { submissionXml } from './builders.js';

const schemas = createSchemaSet(path.resolve('schemas'));
afterAll(() => schemas.dispose());

function objectsOf(s: Submission): RegistryObject[] {
  return [s.submissionSet, ...s.documents, ...s.folders, ...s.associations].map((o) => ({ ...o, status: Status.Approved }));
}

function queryResponse(list: string): string {
  return `<query:AdhocQueryResponse xmlns:query="${NS.query}" status="urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success">${list}</query:AdhocQueryResponse>`;
}

/** Re-wraps encoded objects as a SubmitObjectsRequest so the decoder can read them back. */
function asSubmission(objects: RegistryObject[]): string {
  return `<lcm:SubmitObjectsRequest xmlns:lcm="${NS.lcm}">${encodeRegistryObjectList(objects, 'LeafClass')}</lcm:SubmitObjectsRequest>`;
}

describe('encodeRegistryObjectList', () => {
  const submission = decodeSubmission(
    parseXml(submissionXml({ docs: [{ id: 'urn:uuid:0d6a3c3e-0000-4000-8000-000000000001' }], folders: [{ id: 'urn:uuid:0d6a3c3e-0000-4000-8000-000000000002' }], ssId: 'urn:uuid:0d6a3c3e-0000-4000-8000-000000000003' })),
  );

  it('LeafClass output validates against query.xsd/rim.xsd', () => {
    const xml = queryResponse(encodeRegistryObjectList(objectsOf(submission), 'LeafClass', { homeCommunityId: 'urn:oid:1.2.3' }));
    expect(schemas.validate('registry', xml)).toEqual([]);
  });

  it('ObjectRef output validates and lists only ids', () => {
    const xml = queryResponse(encodeRegistryObjectList(objectsOf(submission), 'ObjectRef'));
    expect(schemas.validate('registry', xml)).toEqual([]);
    const list = parseXml(xml).children[0]!;
    expect(list.children.every((c) => c.name === 'ObjectRef')).toBe(true);
    expect(list.children).toHaveLength(objectsOf(submission).length);
  });

  it('round-trips: decode(encode(x)) equals x apart from generated ids', () => {
    const objects = objectsOf(submission);
    const back = decodeSubmission(parseXml(asSubmission(objects)));
    const strip = (o: unknown): unknown => JSON.parse(JSON.stringify(o, (k, v) => (k === 'classificationId' ? undefined : v)));
    expect(strip(back.documents[0])).toEqual(strip(objects.find((o) => o.kind === 'DocumentEntry')));
    expect(strip(back.submissionSet)).toEqual(strip(objects.find((o) => o.kind === 'SubmissionSet')));
    expect(strip(back.folders[0])).toEqual(strip(objects.find((o) => o.kind === 'Folder')));
    expect(strip(back.associations)).toEqual(strip(objects.filter((o) => o.kind === 'Association')));
  });

  it('is deterministic and reuses stored classification ids', () => {
    const de = objectsOf(submission).find((o) => o.kind === 'DocumentEntry')!;
    expect(encodeRegistryObject(de)).toBe(encodeRegistryObject(de));
    const cid = (de as { classCode?: { classificationId?: string } }).classCode!.classificationId!;
    expect(encodeRegistryObject(de)).toContain(`id="${cid}"`);
  });

  it('writes elements in the rim.xsd order', () => {
    const de = objectsOf(submission).find((o) => o.kind === 'DocumentEntry')!;
    const el = parseXml(`<x xmlns:rim="${NS.rim}">${encodeRegistryObject(de)}</x>`).children[0]!;
    const order = ['Slot', 'Name', 'Description', 'VersionInfo', 'Classification', 'ExternalIdentifier'];
    const idx = el.children.map((c) => order.indexOf(c.name));
    expect(idx).toEqual([...idx].sort((a, b) => a - b));
  });

  it('escapes values and writes xml:lang', () => {
    const de = { ...(objectsOf(submission).find((o) => o.kind === 'DocumentEntry')!), title: { value: 'a<b & "c"', lang: 'da-DK' } } as RegistryObject;
    const xml = queryResponse(encodeRegistryObjectList([de], 'LeafClass'));
    expect(schemas.validate('registry', xml)).toEqual([]);
    const back = decodeSubmission(parseXml(asSubmission([de, ...objectsOf(submission).filter((o) => o.kind === 'SubmissionSet')])));
    expect(back.documents[0]!.title).toEqual({ value: 'a<b & "c"', lang: 'da-DK' });
  });

  it('splits a long URI and reads it back', () => {
    const uri = 'http://example.org/' + 'x'.repeat(600);
    const de = { ...(objectsOf(submission).find((o) => o.kind === 'DocumentEntry')!), uri } as RegistryObject;
    expect(schemas.validate('registry', queryResponse(encodeRegistryObjectList([de], 'LeafClass')))).toEqual([]);
    const back = decodeSubmission(parseXml(asSubmission([de, ...objectsOf(submission).filter((o) => o.kind === 'SubmissionSet')])));
    expect(back.documents[0]!.uri).toBe(uri);
  });

  it.skipIf(!hasConformance)('encodes the decoded NIST 12346 and IHE data sets validly', () => {
    for (const f of ['nist/12346/two_doc_w_fol/two_doc_w_fol.xml', 'nist/12346/rplc/rplc.xml', 'ihe-examples/XDS.b/RegisterDocumentSet-bRequest.xml']) {
      const s = decodeSubmission(conformanceXml(f, { $patientid$: PATIENT, $rplc_doc_uuid$: 'urn:uuid:0d6a3c3e-0000-4000-8000-00000000000a' }));
      expect(schemas.validate('registry', queryResponse(encodeRegistryObjectList(objectsOf(s), 'LeafClass'))), f).toEqual([]);
    }
  });
});

describe('registryResponseXml', () => {
  it('Success without errors validates', () => {
    const xml = registryResponseXml();
    expect(xml).toContain('ResponseStatusType:Success');
    expect(schemas.validate('registry', xml)).toEqual([]);
  });

  it('Failure with an error list validates and carries code, context, severity, location', () => {
    const xml = registryResponseXml([
      { errorCode: 'XDSPatientIdDoesNotMatch', codeContext: 'a & b', severity: 'urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error', location: 'Document01' },
      { errorCode: 'XDSExtraMetadataNotSaved', codeContext: 'w', severity: 'urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Warning' },
    ]);
    expect(schemas.validate('registry', xml)).toEqual([]);
    const el = parseXml(xml);
    expect(el.attrs.status).toBe('urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure');
    const list = el.children[0]!;
    expect(list.attrs.highestSeverity).toBe('urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error');
    expect(list.children[0]!.attrs).toMatchObject({ errorCode: 'XDSPatientIdDoesNotMatch', codeContext: 'a & b', location: 'Document01' });
  });

  it('warnings only keep Success; PartialSuccess uses the IHE namespace', () => {
    const w = [{ errorCode: 'X', codeContext: 'w', severity: 'urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Warning' as const }];
    expect(parseXml(registryResponseXml(w)).attrs.status).toBe('urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success');
    const p = registryResponseXml(w, 'urn:ihe:iti:2007:ResponseStatusType:PartialSuccess');
    expect(schemas.validate('registry', p)).toEqual([]);
  });
});

