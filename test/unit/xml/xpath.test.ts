import { describe, expect, it } from 'vitest';
import { xpathBoolean, xpathNumber, xpathString, xpathStrings, XPathError } from '../../../src/xml/xpath.js';
import { XmlParseError } from '../../../src/xml/parse.js';

const RESP = `<query:AdhocQueryResponse xmlns:query="urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0"
  xmlns:rim="urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0"
  status="urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success">
  <rim:RegistryObjectList>
    <rim:ExtrinsicObject id="urn:uuid:a" status="urn:oasis:names:tc:ebxml-regrep:StatusType:Approved"/>
    <rim:ExtrinsicObject id="urn:uuid:b" status="urn:oasis:names:tc:ebxml-regrep:StatusType:Deprecated"/>
  </rim:RegistryObjectList>
</query:AdhocQueryResponse>`;
const ns = { query: 'urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0', rim: 'urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0' };

describe('xpath helpers', () => {
  it('evaluates strings, numbers and booleans with namespaces', () => {
    expect(xpathString(RESP, '/query:AdhocQueryResponse/@status', ns)).toBe('urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success');
    expect(xpathString(RESP, 'string(//rim:ExtrinsicObject[2]/@id)', ns)).toBe('urn:uuid:b');
    expect(xpathString(RESP, '//rim:Nothing', ns)).toBe('');
    expect(xpathNumber(RESP, 'count(//rim:ExtrinsicObject)', ns)).toBe(2);
    expect(xpathNumber(RESP, '//rim:Nothing', ns)).toBeNaN();
    expect(xpathBoolean(RESP, '//rim:ExtrinsicObject[@id="urn:uuid:a"]', ns)).toBe(true);
    expect(xpathBoolean(RESP, 'count(//rim:ExtrinsicObject) = 3', ns)).toBe(false);
    expect(xpathStrings(RESP, '//rim:ExtrinsicObject/@id', ns)).toEqual(['urn:uuid:a', 'urn:uuid:b']);
  });

  it('raises typed errors for bad expressions and bad XML', () => {
    expect(() => xpathString(RESP, '//undeclared:x', ns)).toThrow(XPathError);
    expect(() => xpathString(RESP, '((', ns)).toThrow(XPathError);
    expect(() => xpathString('<r>', '/r')).toThrow(XmlParseError);
  });
});
