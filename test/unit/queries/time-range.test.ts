import { describe, expect, it } from 'vitest';
import { inTimeRange, isDtm, normalizeDtm } from '../../../src/xds/queries/time-range.js';

describe('normalizeDtm', () => {
  it('fills missing fields with their lowest value', () => {
    expect(normalizeDtm('2004')).toBe('20040101000000');
    expect(normalizeDtm('200412')).toBe('20041201000000');
    expect(normalizeDtm('20041224')).toBe('20041224000000');
    expect(normalizeDtm('200412240930')).toBe('20041224093000');
    expect(normalizeDtm('20041224093015')).toBe('20041224093015');
  });
  it('converts a zone offset to UTC', () => {
    expect(normalizeDtm('200412240930+0100')).toBe('20041224083000');
  });
  it('rejects non-DTM values', () => {
    expect(normalizeDtm('2004-12-24')).toBeUndefined();
    expect(normalizeDtm('20041')).toBeUndefined();
    expect(normalizeDtm('abc')).toBeUndefined();
    expect(normalizeDtm('200412240930151')).toBeUndefined();
    expect(isDtm('')).toBe(false);
    expect(isDtm('2004')).toBe(true);
  });
});

describe('inTimeRange (From inclusive, To exclusive)', () => {
  const r = (from?: string, to?: string) => ({ from: from && normalizeDtm(from), to: to && normalizeDtm(to) });
  it('left edge is inclusive', () => {
    expect(inTimeRange('20041224', r('20041224', '20050101'))).toBe(true);
  });
  it('right edge is exclusive', () => {
    expect(inTimeRange('20041224', r('20041124', '20041224'))).toBe(false);
    expect(inTimeRange('20041223235959', r('20041124', '20041224'))).toBe(true);
  });
  it('compares different precisions on the padded form', () => {
    expect(inTimeRange('20041224', r('200401010934', '200501010856'))).toBe(true);
    expect(inTimeRange('200412241600', r('2005', '2006'))).toBe(false);
    expect(inTimeRange('200512240800', r('2005', '2006'))).toBe(true);
  });
  it('open ends and missing values', () => {
    expect(inTimeRange('1999', r(undefined, '2000'))).toBe(true);
    expect(inTimeRange('2001', r('2000'))).toBe(true);
    expect(inTimeRange(undefined, r('2000'))).toBe(false);
    expect(inTimeRange(undefined, {})).toBe(true);
  });
});
