import { describe, expect, it } from 'vitest';
import { normalizeDtm } from '../../../src/storage/dtm.js';

describe('normalizeDtm (ITI TF-2a §3.18.4.1.2.3.6 precision handling)', () => {
  it('pads partial precision to the earliest instant it covers', () => {
    expect(normalizeDtm('2004')).toBe('20040101000000');
    expect(normalizeDtm('200412')).toBe('20041201000000');
    expect(normalizeDtm('20041224')).toBe('20041224000000');
    expect(normalizeDtm('2004122410')).toBe('20041224100000');
    expect(normalizeDtm('200412241015')).toBe('20041224101500');
    expect(normalizeDtm('20041224101530')).toBe('20041224101530');
  });

  it('keeps fractional seconds, which sort after the whole second', () => {
    expect(normalizeDtm('20041224101530.25')).toBe('20041224101530.25');
    expect(normalizeDtm('20041224101530.25')! > normalizeDtm('20041224101530')!).toBe(true);
  });

  it('converts an explicit UTC offset to UTC (across a day and a year boundary)', () => {
    expect(normalizeDtm('20050101003000+0100')).toBe('20041231233000');
    expect(normalizeDtm('20041231233000-0130')).toBe('20050101010000');
    expect(normalizeDtm('20041224+0000')).toBe('20041224000000');
  });

  it('orders padded values like the instants they denote', () => {
    const sorted = ['2004', '20040101000001', '2004010110', '20041224', '2005'].map((v) => normalizeDtm(v)!);
    expect([...sorted].sort()).toEqual(sorted);
  });

  it('rejects what is not a DTM', () => {
    for (const bad of ['', '04', '2004-12-24', '20041224T1015', 'abc', '200412241015301']) {
      expect(normalizeDtm(bad)).toBeUndefined();
    }
    expect(normalizeDtm(undefined)).toBeUndefined();
  });
});
