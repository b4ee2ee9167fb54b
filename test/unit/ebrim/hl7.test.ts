import { describe, expect, it } from 'vitest';
import {
  formatDtm,
  formatPatientId,
  isDtm,
  isOid,
  parseCx,
  parseDtm,
  parseXcn,
  parseXon,
  parseXtn,
  validatePatientIdCx,
  validateXcn,
  validateXon,
  validateXtn,
} from '../../../src/xds/model/hl7.js';
import { AllXdsUuids, ClassificationNode, DocumentEntryScheme } from '../../../src/xds/model/uuids.js';
import { hasConformance, readConformance } from './fixtures.js';

describe('OID', () => {
  it.each(['1.2.3', '2.16.840.1.113883.5.25', '0.1'])('accepts %s', (v) => expect(isOid(v)).toBe(true));
  it.each(['1', '1..2', '01.2', '1.2.', 'a.b', '1.2.3a', '1.' + '2'.repeat(70)])('rejects %s', (v) => expect(isOid(v)).toBe(false));
});

describe('CX', () => {
  it('parses id^^^&oid&ISO', () => {
    expect(parseCx('P1^^^&1.2.3&ISO')).toMatchObject({ id: 'P1', assigningAuthority: { namespaceId: '', universalId: '1.2.3', universalIdType: 'ISO' } });
    expect(formatPatientId('P1', '1.2.3')).toBe('P1^^^&1.2.3&ISO');
  });
  it('validates the XDS patientId form', () => {
    expect(validatePatientIdCx('P1^^^&1.2.3&ISO')).toEqual([]);
    expect(validatePatientIdCx('^^^&1.2.3&ISO')).toHaveLength(1);
    expect(validatePatientIdCx('P1^^^&1.2.3&DNS')).toHaveLength(1);
    expect(validatePatientIdCx('P1^^^NS&1.2.3&ISO')).toHaveLength(1);
    expect(validatePatientIdCx('P1^^^&abc&ISO')).toHaveLength(1);
    expect(validatePatientIdCx('P1^1^^&1.2.3&ISO')).toHaveLength(1);
    expect(validatePatientIdCx('P1^^^&1.2.3&ISO^PI')).toHaveLength(1);
    expect(validatePatientIdCx('P1^^^&1.2.3&ISO^PI', { allowTypeCode: true })).toEqual([]);
    expect(validatePatientIdCx('P1^^^&1.2.3&ISO^^^x')).toHaveLength(1);
    expect(validatePatientIdCx(' P1^^^&1.2.3&ISO')).toHaveLength(1);
  });
});

describe('XCN / XON / XTN', () => {
  it('XCN', () => {
    expect(parseXcn('^Smitty^Gerald^^^')).toMatchObject({ familyName: 'Smitty', givenName: 'Gerald' });
    expect(validateXcn('^Smitty^Gerald^^^')).toEqual([]);
    expect(validateXcn('123^^^^^^^^&1.2.3&ISO')).toEqual([]);
    expect(validateXcn('Lexmark Document Author')).toEqual([]); // XCN.9 only "if available" (NIST PnrXop/dicom)
    expect(validateXcn('123^^^^^^^^&abc&ISO')).toHaveLength(1);
    expect(validateXcn('123^^^^^^^^&1.2.3&DNS')).toHaveLength(1);
    expect(validateXcn('^^^')).toHaveLength(1);
  });
  it('XON', () => {
    expect(parseXon('Some Hospital^^^^^&1.2.3&ISO^^^^45')).toMatchObject({ organizationName: 'Some Hospital', organizationIdentifier: '45', assigningAuthority: { universalId: '1.2.3' } });
    expect(validateXon('Cleveland Clinic')).toEqual([]);
    expect(validateXon('Some Hospital^^^^^&1.2.3&ISO^^^^45')).toEqual([]);
    expect(validateXon('Some Hospital^^^^^^^^^1.2.3.4')).toEqual([]);
    expect(validateXon('Some Hospital^^^^^^^^^45')).toHaveLength(1);
    expect(validateXon('^^^^^^^^^1.2.3')).toHaveLength(1);
    expect(validateXon('Some Hospital^X')).toHaveLength(1);
  });
  it('XTN', () => {
    expect(parseXtn('^^Internet^a@b.dk')).toMatchObject({ equipmentType: 'Internet', email: 'a@b.dk' });
    expect(validateXtn('^^Internet^a@b.dk')).toEqual([]);
    expect(validateXtn('^PRN^PH^^45^^12345678')).toEqual([]);
    expect(validateXtn('^^Internet')).toHaveLength(1);
    expect(validateXtn('^PRN^PH')).toHaveLength(1);
    expect(validateXtn('a@b.dk')).toHaveLength(1);
  });
});

describe('DTM', () => {
  it.each(['2004', '200412', '20041224', '2004122308', '200412230801', '20041223080159', '20240229'])('accepts %s', (v) =>
    expect(isDtm(v)).toBe(true),
  );
  it.each(['04', '20041', '20041301', '20230229', '20040431', '2004122324', '200412230860', '20041223080160', '2004-12-24', '20041224080159.5', '20041224+0100'])(
    'rejects %s',
    (v) => expect(isDtm(v)).toBe(false),
  );
  it('parses precision and formats a Date', () => {
    expect(parseDtm('200412')).toMatchObject({ year: 2004, month: 12, precision: 6 });
    expect(formatDtm(new Date(Date.UTC(2026, 10, 28, 8, 5, 9)))).toBe('20261128080509');
  });
});

describe.skipIf(!hasConformance)('uuids', () => {
  it('every scheme/node UUID of the IHE bootstrap file is known', () => {
    const text = readConformance('ihe-examples/XDSb.Registry.Initialization/initialize.xml');
    const ids = [...text.matchAll(/<rim:Classification(?:Scheme|Node)\s+id="(urn:uuid:[^"]+)"/g)].map((m) => m[1]!);
    const xdsRoot = 'urn:uuid:415715f1-fc0b-47c4-90e5-c180b7b82db6';
    const associationNodes = text.includes('urn:uuid:917dc511-f7da-4417-8664-de25b34d3def');
    for (const id of ids) {
      if (id === xdsRoot || !id.startsWith('urn:uuid:')) continue;
      if (['urn:uuid:f9653189-fdd2-4c31-afbc-86c96ac8f0ad', 'urn:uuid:917dc511-f7da-4417-8664-de25b34d3def', 'urn:uuid:60fd13eb-b8f6-4f11-8f28-9ee000184339', 'urn:uuid:ede379e6-1147-4374-a943-8fcdcf1cd620', 'urn:uuid:b76a27c7-af3c-4319-ba4c-b90c1dc45408', 'urn:uuid:8ea93462-ad05-4cdc-8e54-a8084f6aff94', 'urn:uuid:3188a449-18ac-41fb-be9f-99a1adca02cb', 'urn:uuid:6902675f-2f18-44b8-888b-c91db8b96b4d'].includes(id)) continue; // association-type nodes and scheme roots of the bootstrap
      expect(AllXdsUuids.has(id), id).toBe(true);
    }
    expect(associationNodes).toBe(true);
    expect(ClassificationNode.SubmissionSet).toBe('urn:uuid:a54d6aa5-d40d-43f9-88c5-b4633d873bdd');
    expect(DocumentEntryScheme.classCode).toBe('urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a');
  });
});
