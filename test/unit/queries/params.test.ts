import { describe, expect, it } from 'vitest';
import { XdsError } from '../../../src/xds/errors.js';
import { parseCodeValue, parseSlotValues, QueryParams, type ParamSpecs } from '../../../src/xds/queries/params.js';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof XdsError) return e.errors[0].errorCode;
    throw e;
  }
  throw new Error('expected an XdsError');
}

describe('parseSlotValues (ITI TF-2a §3.18.4.1.2.3.5 value syntax)', () => {
  it('reads a single quoted string', () => {
    expect(parseSlotValues('$p', ["'123^^^&1.2.3&ISO'"])).toEqual(['123^^^&1.2.3&ISO']);
  });
  it('reads a parenthesised list with spaces', () => {
    expect(parseSlotValues('$s', ["('a', 'b','c')"])).toEqual(['a', 'b', 'c']);
  });
  it('reads a list spread over several Values', () => {
    expect(parseSlotValues('$s', ["('a',", "'b')"])).toEqual(['a', 'b']);
    expect(parseSlotValues('$s', ["('a')", "('b')"])).toEqual(['a', 'b']);
  });
  it('reads bare numbers (times)', () => {
    expect(parseSlotValues('$t', ['20041224'])).toEqual(['20041224']);
  });
  it('unescapes a doubled quote', () => {
    expect(parseSlotValues('$a', ["'O''Brien'"])).toEqual(["O'Brien"]);
  });
  it('rejects unterminated strings and unbalanced parentheses with XDSRegistryError', () => {
    expect(codeOf(() => parseSlotValues('$a', ["'abc"]))).toBe('XDSRegistryError');
    expect(codeOf(() => parseSlotValues('$a', ["('abc'"]))).toBe('XDSRegistryError');
    expect(codeOf(() => parseSlotValues('$a', ["'abc')"]))).toBe('XDSRegistryError');
    expect(codeOf(() => parseSlotValues('$a', ["(('abc'))"]))).toBe('XDSRegistryError');
  });
});

describe('parseCodeValue (code^^scheme)', () => {
  it('splits code and scheme', () => {
    expect(parseCodeValue('$c', 'DISPENSATIONS^^1.3.6.1.4.1.19376.1.2.6.1')).toEqual({
      code: 'DISPENSATIONS',
      scheme: '1.3.6.1.4.1.19376.1.2.6.1',
    });
  });
  it('rejects a code without scheme (NIST 11897 classcode_scheme_mismatch)', () => {
    expect(codeOf(() => parseCodeValue('$c', 'a^^'))).toBe('XDSRegistryError');
  });
  it('rejects a code not in CE form (NIST 11897 old_scheme)', () => {
    expect(codeOf(() => parseCodeValue('$c', 'Dialysis'))).toBe('XDSRegistryError');
    expect(codeOf(() => parseCodeValue('$c', '^^1.2.3'))).toBe('XDSRegistryError');
    expect(codeOf(() => parseCodeValue('$c', 'a^^^1.2.3'))).toBe('XDSRegistryError');
  });
});

const specs: ParamSpecs = {
  $pid: { kind: 'string', required: true },
  $codes: { kind: 'code', multiple: true },
  $events: { kind: 'code', multiple: true, andOr: true },
  $from: { kind: 'time' },
  $to: { kind: 'time' },
  $status: { kind: 'string', multiple: true },
  $a: { kind: 'string' },
  $b: { kind: 'string' },
};

describe('QueryParams', () => {
  const pid = { name: '$pid', values: ["'p1'"] };

  it('requires required parameters (XDSStoredQueryMissingParam)', () => {
    expect(codeOf(() => new QueryParams([], specs))).toBe('XDSStoredQueryMissingParam');
  });
  it('ignores parameters the query does not define', () => {
    const p = new QueryParams([pid, { name: '$XDSDocumentEntryPracticeSettingCodeScheme', values: ["('x')"] }], specs);
    expect(p.string('$pid')).toBe('p1');
    expect(p.has('$XDSDocumentEntryPracticeSettingCodeScheme')).toBe(false);
  });
  it('rejects a repeated Slot for a non AND/OR parameter (XDSStoredQueryParamNumber)', () => {
    expect(codeOf(() => new QueryParams([pid, pid], specs))).toBe('XDSStoredQueryParamNumber');
    const c = { name: '$codes', values: ["('a^^s')"] };
    expect(codeOf(() => new QueryParams([pid, c, c], specs))).toBe('XDSStoredQueryParamNumber');
  });
  it('rejects several values for a single-valued parameter (XDSStoredQueryParamNumber)', () => {
    expect(codeOf(() => new QueryParams([{ name: '$pid', values: ["('p1','p2')"] }], specs))).toBe(
      'XDSStoredQueryParamNumber',
    );
  });
  it('rejects an empty value list (XDSStoredQueryMissingParam)', () => {
    expect(codeOf(() => new QueryParams([pid, { name: '$codes', values: ['()'] }], specs))).toBe(
      'XDSStoredQueryMissingParam',
    );
  });
  it('codes: values in one Slot are OR, Slots are AND', () => {
    const p = new QueryParams(
      [
        pid,
        { name: '$codes', values: ["('a^^s1')", "('b^^s2')"] },
        { name: '$events', values: ["('e1^^s')"] },
        { name: '$events', values: ["('e2^^s','e3^^s')"] },
      ],
      specs,
    );
    expect(p.codes('$codes')).toEqual([
      [
        { code: 'a', scheme: 's1' },
        { code: 'b', scheme: 's2' },
      ],
    ]);
    expect(p.codes('$events')).toEqual([
      [{ code: 'e1', scheme: 's' }],
      [
        { code: 'e2', scheme: 's' },
        { code: 'e3', scheme: 's' },
      ],
    ]);
  });
  it('times are normalized, validated, and paired into a TimeRange', () => {
    const p = new QueryParams([pid, { name: '$from', values: ['2004'] }, { name: '$to', values: ["'20050101'"] }], specs);
    expect(p.timeRange('$from', '$to')).toEqual({ from: '20040101000000', to: '20050101000000' });
    const open = new QueryParams([pid, { name: '$to', values: ['2005'] }], specs);
    expect(open.timeRange('$from', '$to')).toEqual({ to: '20050101000000' });
    expect(new QueryParams([pid], specs).timeRange('$from', '$to')).toBeUndefined();
    expect(codeOf(() => new QueryParams([pid, { name: '$from', values: ['2004-01-01'] }], specs))).toBe('XDSRegistryError');
  });
  it('statuses must be URNs; URNs never assigned match nothing', () => {
    const other = new QueryParams([pid, { name: '$status', values: ["('urn:ihe:iti:2010:StatusType:DeferredCreation')"] }], specs);
    expect(other.statuses('$status')).toEqual([]);
    const ok = new QueryParams(
      [pid, { name: '$status', values: ["('urn:oasis:names:tc:ebxml-regrep:StatusType:Approved')"] }],
      specs,
    );
    expect(ok.statuses('$status')).toEqual(['urn:oasis:names:tc:ebxml-regrep:StatusType:Approved']);
    const bad = new QueryParams([pid, { name: '$status', values: ["('Approved')"] }], specs);
    expect(codeOf(() => bad.statuses('$status'))).toBe('XDSRegistryError');
  });
  it('code values are checked when the request is read', () => {
    expect(codeOf(() => new QueryParams([pid, { name: '$codes', values: ["('nocode')"] }], specs))).toBe('XDSRegistryError');
  });
  it('$MetadataLevel is 1 by default, 1 or 2 when given', () => {
    const s: ParamSpecs = { $MetadataLevel: { kind: 'integer' } };
    expect(new QueryParams([], s).metadataLevel()).toBe(1);
    expect(new QueryParams([{ name: '$MetadataLevel', values: ['2'] }], s).metadataLevel()).toBe(2);
    expect(codeOf(() => new QueryParams([{ name: '$MetadataLevel', values: ['3'] }], s).metadataLevel())).toBe(
      'XDSRegistryError',
    );
    expect(codeOf(() => new QueryParams([{ name: '$MetadataLevel', values: ["'one'"] }], s))).toBe('XDSRegistryError');
  });
  it('exactlyOne: both or neither is XDSStoredQueryParamNumber', () => {
    const none = new QueryParams([pid], specs);
    expect(codeOf(() => none.exactlyOne('$a', '$b'))).toBe('XDSStoredQueryParamNumber');
    const both = new QueryParams([pid, { name: '$a', values: ["'x'"] }, { name: '$b', values: ["'y'"] }], specs);
    expect(codeOf(() => both.exactlyOne('$a', '$b'))).toBe('XDSStoredQueryParamNumber');
    const one = new QueryParams([pid, { name: '$b', values: ["'y'"] }], specs);
    expect(one.exactlyOne('$a', '$b')).toBe('$b');
  });
});
