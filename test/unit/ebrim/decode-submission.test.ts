import { describe, expect, it } from 'vitest';
import { decodeSubmission } from '../../../src/xds/ebrim/decode-submission.js';
import { ErrorCode, XdsError } from '../../../src/xds/errors.js';
import { AssociationType, DocumentEntryType, Status } from '../../../src/xds/model/types.js';
import { parseXml } from '../../../src/xml/parse.js';
import { conformanceXml, hasConformance, PATIENT } from './fixtures.js';
import { minimalSubmission } from './builders.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof XdsError) return e.errors[0]!.errorCode;
    throw e;
  }
  return undefined;
}

describe.skipIf(!hasConformance)('decodeSubmission on official samples', () => {
  it('decodes the IHE RegisterDocumentSet-b sample', () => {
    const s = decodeSubmission(conformanceXml('ihe-examples/XDS.b/RegisterDocumentSet-bRequest.xml'));
    expect(s.documents).toHaveLength(1);
    const d = s.documents[0]!;
    expect(d.entryUuid).toBe('Document01');
    expect(d.objectType).toBe(DocumentEntryType.Stable);
    expect(d.mimeType).toBe('text/xml');
    expect(d.patientId).toBe('SELF-5^^^&1.3.6.1.4.1.21367.2005.3.7&ISO');
    expect(d.uniqueId).toBe('1.3.6.1.4.1.21367.2005.3.9999.32');
    expect(d.creationTime).toBe('20051224');
    expect(d.sourcePatientInfo).toHaveLength(5);
    expect(d.classCode).toEqual({ code: 'History and Physical', scheme: 'Connect-a-thon classCodes', display: 'History and Physical', classificationId: 'cl02' });
    expect(d.confidentialityCodes.map((c) => c.code)).toEqual(['1.3.6.1.4.1.21367.2006.7.101']);
    expect(d.authors[0]).toMatchObject({ person: 'Gerald Smitty', institutions: ['Cleveland Clinic', 'Parma Community'], roles: ['Attending'] });
    expect(d.title).toEqual({ value: 'Physical' });
    expect(d.comments).toBeUndefined();
    expect(d.status).toBe(Status.Submitted);
    const ss = s.submissionSet;
    expect(ss.entryUuid).toBe('SubmissionSet01');
    expect(ss.sourceId).toBe('3670984664');
    expect(ss.submissionTime).toBe('20041225235050');
    expect(ss.contentTypeCode?.code).toBe('History and Physical');
    expect(ss.comments).toEqual({ value: 'Annual physical' });
    // the sample writes the ebRIM 2.1 short form "HasMember"
    expect(s.associations[0]).toMatchObject({ associationType: AssociationType.HasMember, sourceUuid: 'SubmissionSet01', targetUuid: 'Document01' });
    expect(s.associations[0]!.extraSlots).toEqual([{ name: 'SubmissionSetStatus', values: ['Original'] }]);
  });

  it('decodes the NIST 12346 data set (folders, RPLC)', () => {
    const b = { $patientid$: PATIENT };
    const fol = decodeSubmission(conformanceXml('nist/12346/two_doc_w_fol/two_doc_w_fol.xml', b));
    expect(fol.documents).toHaveLength(2);
    expect(fol.folders).toHaveLength(1);
    expect(fol.folders[0]!.codeList.length).toBeGreaterThan(0);
    const rplc = decodeSubmission(conformanceXml('nist/12346/rplc/rplc.xml', b));
    expect(rplc.associations.some((a) => a.associationType === AssociationType.Replace)).toBe(true);
    expect(rplc.documents[0]!.hash).toBe('e543712c0e10501972de13a5bfcbe826c49feb75');
    expect(rplc.documents[0]!.size).toBe(36);
  });

  it('decodes the official IHE Metadata Update example (lid, rim.xsd default versionName "1.1", empty Name)', () => {
    const s = decodeSubmission(conformanceXml('ihe-examples/MU/example01/update.xml'));
    expect(s.documents[0]).toMatchObject({ entryUuid: 'Document01', logicalId: 'urn:uuid:20744602-ba65-44e9-87ee-a52303a5183e', version: 1 });
    expect(s.submissionSet.version).toBe(1);
  });

  it('decodes NIST 11966 PnR metadata', () => {
    const s = decodeSubmission(conformanceXml('nist/11966/submit/single_doc.xml', { $patientid$: PATIENT }));
    expect(s.documents).toHaveLength(1);
    expect(s.submissionSet.patientId).toBe(s.documents[0]!.patientId);
    expect(s.documents[0]!.mimeType).toBe('text/plain');
  });
});

describe('decodeSubmission structure errors', () => {
  it('accepts the minimal builder submission', () => {
    const s = decodeSubmission(parseXml(minimalSubmission()));
    expect(s.documents[0]!.uniqueId).toBe('1.2.3.4.1');
    expect(s.submissionSet.uniqueId).toBe('1.2.3.4.2');
  });

  it('rejects a submission without SubmissionSet', () => {
    const xml = minimalSubmission().replace(/<rim:Classification id="ssnode"[^>]*\/>/, '');
    expect(codeOf(() => decodeSubmission(parseXml(xml)))).toBe(ErrorCode.RegistryMetadataError);
  });

  it('uses the repository code when asked', () => {
    const xml = minimalSubmission().replace(/<rim:Classification id="ssnode"[^>]*\/>/, '');
    expect(codeOf(() => decodeSubmission(parseXml(xml), { errorCode: ErrorCode.RepositoryMetadataError }))).toBe(
      ErrorCode.RepositoryMetadataError,
    );
  });

  it('rejects an unknown DocumentEntry objectType, naming the object', () => {
    const xml = minimalSubmission().replace('urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1', 'urn:uuid:bad');
    try {
      decodeSubmission(parseXml(xml));
      expect.unreachable();
    } catch (e) {
      expect((e as XdsError).errors[0]!.codeContext).toContain('DocumentEntry "Document01"');
    }
  });

  it('rejects a duplicated single-valued code', () => {
    const xml = minimalSubmission().replace('<!--EXTRA_DE-->', classCode('x2'));
    expect(codeOf(() => decodeSubmission(parseXml(xml)))).toBe(ErrorCode.RegistryMetadataError);
  });

  it('rejects a duplicated Slot name', () => {
    const xml = minimalSubmission().replace(
      '<!--EXTRA_DE_SLOT-->',
      '<rim:Slot name="creationTime"><rim:ValueList><rim:Value>2020</rim:Value></rim:ValueList></rim:Slot>',
    );
    expect(codeOf(() => decodeSubmission(parseXml(xml)))).toBe(ErrorCode.RegistryMetadataError);
  });

  it('rejects an unknown classification scheme', () => {
    const xml = minimalSubmission().replace('<!--EXTRA_DE-->', classCode('x3').replace('urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a', 'urn:uuid:00000000-0000-0000-0000-000000000000'));
    expect(codeOf(() => decodeSubmission(parseXml(xml)))).toBe(ErrorCode.RegistryMetadataError);
  });

  it('rejects a non-numeric size', () => {
    const xml = minimalSubmission().replace(
      '<!--EXTRA_DE_SLOT-->',
      '<rim:Slot name="size"><rim:ValueList><rim:Value>12a</rim:Value></rim:ValueList></rim:Slot>',
    );
    expect(codeOf(() => decodeSubmission(parseXml(xml)))).toBe(ErrorCode.RegistryMetadataError);
  });

  it('rejects an unknown association type', () => {
    const xml = minimalSubmission().replace('urn:oasis:names:tc:ebxml-regrep:AssociationType:HasMember', 'urn:x:Foo');
    expect(codeOf(() => decodeSubmission(parseXml(xml)))).toBe(ErrorCode.RegistryMetadataError);
  });

  it('keeps unknown slots as extraSlots', () => {
    const xml = minimalSubmission().replace(
      '<!--EXTRA_DE_SLOT-->',
      '<rim:Slot name="urn:nist:extraslot"><rim:ValueList><rim:Value>a</rim:Value><rim:Value>b</rim:Value></rim:ValueList></rim:Slot>',
    );
    expect(decodeSubmission(parseXml(xml)).documents[0]!.extraSlots).toEqual([{ name: 'urn:nist:extraslot', values: ['a', 'b'] }]);
  });

  it('reads an integer versionName', () => {
    const xml = minimalSubmission().replace('<!--EXTRA_DE-->', '').replace(/(<rim:ExtrinsicObject[^>]*>)([\s\S]*?)(<rim:Classification)/, '$1$2<rim:VersionInfo versionName="3"/>$3');
    expect(decodeSubmission(parseXml(xml)).documents[0]!.version).toBe(3);
  });

  it('joins a split URI', () => {
    const xml = minimalSubmission().replace(
      '<!--EXTRA_DE_SLOT-->',
      '<rim:Slot name="URI"><rim:ValueList><rim:Value>2|/doc</rim:Value><rim:Value>1|http://x</rim:Value></rim:ValueList></rim:Slot>',
    );
    expect(decodeSubmission(parseXml(xml)).documents[0]!.uri).toBe('http://x/doc');
  });

  it('rejects a root that is not SubmitObjectsRequest', () => {
    expect(codeOf(() => decodeSubmission(parseXml('<a xmlns="urn:x"/>')))).toBe(ErrorCode.RegistryMetadataError);
  });
});

function classCode(id: string): string {
  return `<rim:Classification id="${id}" classificationScheme="urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a" classifiedObject="Document01" nodeRepresentation="X"><rim:Slot name="codingScheme"><rim:ValueList><rim:Value>1.2.3</rim:Value></rim:ValueList></rim:Slot><rim:Name><rim:LocalizedString value="X"/></rim:Name></rim:Classification>`;
}
