/** The AdhocQueryRequest reader and the AdhocQueryResponse writer (ebRS 3.0 §6.3; ITI TF-2a §3.18.4.1). */
import { describe, expect, it } from 'vitest';
import { parseAdhocQueryRequest } from '../../../src/xds/ebrim/adhoc-query.js';
import { adhocQueryFailureXml, adhocQueryResponseXml } from '../../../src/xds/ebrim/adhoc-query-response.js';
import { ResponseStatus } from '../../../src/xds/ebrim/namespaces.js';
import { Severity, XdsError } from '../../../src/xds/errors.js';
import { parseXml } from '../../../src/xml/parse.js';
import { documentEntry } from '../../support/domain-builders.js';

const QUERY = 'urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0';
const RIM = 'urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0';

const request = (inner: string, option = '<query:ResponseOption returnType="ObjectRef"/>') =>
  parseXml(`<query:AdhocQueryRequest xmlns:query="${QUERY}" xmlns:rim="${RIM}">${option}${inner}</query:AdhocQueryRequest>`);

function errorCode(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof XdsError) return e.errors[0].errorCode;
    throw e;
  }
  throw new Error('expected an XdsError');
}

describe('parseAdhocQueryRequest', () => {
  it('reads returnType, id, home and repeated Slots in order', () => {
    const r = parseAdhocQueryRequest(
      request(
        `<rim:AdhocQuery id="urn:uuid:14d4debf-8f97-4251-9a74-a90016b0af0d" home="urn:oid:1.2.3">
           <rim:Slot name="$a"><rim:ValueList><rim:Value>('x',</rim:Value><rim:Value>'y')</rim:Value></rim:ValueList></rim:Slot>
           <rim:Slot name="$a"><rim:ValueList><rim:Value>'z'</rim:Value></rim:ValueList></rim:Slot>
         </rim:AdhocQuery>`,
      ),
    );
    expect(r).toEqual({
      returnType: 'ObjectRef',
      queryId: 'urn:uuid:14d4debf-8f97-4251-9a74-a90016b0af0d',
      homeCommunityId: 'urn:oid:1.2.3',
      slots: [
        { name: '$a', values: ["('x',", "'y')"] },
        { name: '$a', values: ["'z'"] },
      ],
    });
  });
  it('defaults to LeafClass without a ResponseOption', () => {
    expect(parseAdhocQueryRequest(request('<rim:AdhocQuery id="urn:uuid:x"/>', '')).returnType).toBe('LeafClass');
  });
  it('rejects other return types, a missing AdhocQuery or id, and a wrong root', () => {
    expect(errorCode(() => parseAdhocQueryRequest(request('<rim:AdhocQuery id="x"/>', '<query:ResponseOption returnType="RegistryObject"/>')))).toBe(
      'XDSRegistryError',
    );
    expect(errorCode(() => parseAdhocQueryRequest(request('')))).toBe('XDSRegistryError');
    expect(errorCode(() => parseAdhocQueryRequest(request('<rim:AdhocQuery/>')))).toBe('XDSRegistryError');
    expect(errorCode(() => parseAdhocQueryRequest(parseXml(`<rim:AdhocQuery xmlns:rim="${RIM}" id="x"/>`)))).toBe('XDSRegistryError');
  });
});

describe('adhocQueryResponseXml', () => {
  it('Success with objects', () => {
    const d = documentEntry();
    const root = parseXml(adhocQueryResponseXml({ objects: [d], returnType: 'ObjectRef' }));
    expect(root.attrs.status).toBe(ResponseStatus.Success);
    const list = root.children.find((c) => c.name === 'RegistryObjectList')!;
    expect(list.children.map((c) => [c.name, c.attrs.id])).toEqual([['ObjectRef', d.entryUuid]]);
  });
  it('Failure never carries objects', () => {
    const xml = adhocQueryResponseXml({
      objects: [documentEntry()],
      errors: [{ errorCode: 'XDSRegistryError', codeContext: 'bad', severity: Severity.Error }],
    });
    const root = parseXml(xml);
    expect(root.attrs.status).toBe(ResponseStatus.Failure);
    expect(root.children.find((c) => c.name === 'RegistryObjectList')!.children).toEqual([]);
    expect(adhocQueryFailureXml([{ errorCode: 'XDSTooManyResults', codeContext: 'x', severity: Severity.Error }])).toContain(
      'errorCode="XDSTooManyResults"',
    );
  });
});
