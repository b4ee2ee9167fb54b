import { describe, expect, it } from 'vitest';
import { FORMATS } from '../../../src/xds/validate/formats.js';

/** For every format: values that pass and values that fail. */
const CASES: Record<string, { good: string[]; bad: string[] }> = {
  DTM: { good: ['2004', '20041224', '20041224080159'], bad: ['2004-12', '20041324', ''] },
  OID: { good: ['1.2.3', '2.16.840.1.113883.6.1'], bad: ['1', '1.02', 'abc'] },
  uniqueId: { good: ['1.2.3', '1.2.3^abc'], bad: ['1.2.3^', '1.2.3^' + 'x'.repeat(17), 'abc', '1.2.3^a^b'] },
  CX: { good: ['P1^^^&1.2.3&ISO'], bad: ['P1', 'P1^^^&1.2.3&ISO^PI', 'P1^^^NS&1.2.3&ISO'] },
  CXsource: { good: ['P1^^^&1.2.3&ISO', 'P1^^^NS'], bad: ['P1', '^^^&1.2.3&ISO'] },
  XCN: { good: ['^Smitty^Gerald^^^', '123^^^^^^^^&1.2.3&ISO', 'Lexmark Document Author'], bad: ['', '^^^', '123^^^^^^^^&x&ISO'] },
  'XCN-DK': { good: ['^Andersen^Anders^Frederik&Ingolf^^^'], bad: ['123^Andersen^Anders', '^Andersen', '^Andersen^Anders^^^Dr'] },
  XON: { good: ['Hospital', 'Hospital^^^^^&1.2.3&ISO^^^^45', 'Hospital^^^^^^^^^1.2.3'], bad: ['', 'Hospital^^^^^^^^^45', 'Hospital^x'] },
  'XON-DK': { good: ['Odense^^^^^&1.2.208.176.1.1&ISO^^^^8071000016009'], bad: ['Odense', 'Odense^^^^^&1.2.3&ISO', 'Odense^x^^^^&1.2.3&ISO^^^^1'] },
  XTN: { good: ['^^Internet^a@b.dk', '^PRN^PH^^45^^12345678', '^^PH^^^^^^^^^+4512345678'], bad: ['a@b.dk', '^^Internet'] },
  intendedRecipient: { good: ['Hospital', '|^Welby^Marcus', 'Hospital|^Welby^Marcus|^^Internet^a@b.dk'], bad: ['|', '||^^Internet^a@b.dk', 'a|b|c|d'] },
  SHA1: { good: ['e543712c0e10501972de13a5bfcbe826c49feb75', 'E543712C0E10501972DE13A5BFCBE826C49FEB75'], bad: ['e543', 'g'.repeat(40)] },
  integer: { good: ['0', '36'], bad: ['-1', '3.5', 'x'] },
  mimeType: { good: ['text/xml', 'application/fhir+json', 'text/plain; charset=utf-8'], bad: ['text', '/xml'] },
  languageCode: { good: ['en-us', 'da-DK', 'de'], bad: ['en_us', 'english language'] },
  'languageCode-DK': { good: ['da-DK', 'da'], bad: ['DA-dk', 'dan-DK'] },
  URI: { good: ['http://x/y', 'urn:oid:1.2'], bad: ['no uri', '/path'] },
  homeCommunityId: { good: ['urn:oid:1.2.3'], bad: ['1.2.3', 'urn:oid:abc'] },
  PID: { good: ['PID-5|Doe^John'], bad: ['PID5|x', 'Doe'] },
  objectType: { good: ['urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1', 'urn:uuid:34268e47-fdf5-41a6-ba33-82133c465248'], bad: ['urn:uuid:10aa1a4b-715a-4120-bfd0-9760414112c8'] },
  UUID: { good: ['Document01', 'urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1'], bad: ['urn:uuid:x'] },
};

describe('value formats', () => {
  it('every format has cases', () => {
    expect(Object.keys(CASES).sort()).toEqual(Object.keys(FORMATS).sort());
  });
  for (const [name, { good, bad }] of Object.entries(CASES)) {
    it.each(good)(`${name} accepts %s`, (v) => expect(FORMATS[name]!(v)).toEqual([]));
    it.each(bad)(`${name} rejects %s`, (v) => expect(FORMATS[name]!(v).length).toBeGreaterThan(0));
  }
});
