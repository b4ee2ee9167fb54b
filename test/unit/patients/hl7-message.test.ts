import { describe, expect, it } from 'vitest';
import { DEFAULT_DELIMITERS, Hl7ParseError, encodeSegment, escapeHl7, parseHl7 } from '../../../src/patients/hl7-message.js';

const STANDARD =
  'MSH|^~\\&|SND|FAC|RCV|RFAC|20250101||ADT^A01^ADT_A01|CTRL1|P|2.5\r' +
  'EVN||20250101\r' +
  'PID|||X1^^^&1.2.3&ISO~P1^^^&1.3.6.1.4.1.21367.2005.13.20.1000&ISO||O\\S\\Brien\\F\\x\\T\\y\\E\\z\\R\\w^Ann||19710101|F\r';

describe('parseHl7', () => {
  it('reads MSH fields with HL7 numbering (MSH-1 is the field separator)', () => {
    const m = parseHl7(STANDARD);
    expect(m.value('MSH', 1)).toBe('|');
    expect(m.value('MSH', 2)).toBe('^~\\&');
    expect(m.value('MSH', 3)).toBe('SND');
    expect(m.value('MSH', 9, 1)).toBe('ADT');
    expect(m.value('MSH', 9, 2)).toBe('A01');
    expect(m.value('MSH', 10)).toBe('CTRL1');
    expect(m.value('MSH', 12)).toBe('2.5');
    expect(m.segments.map((s) => s.name)).toEqual(['MSH', 'EVN', 'PID']);
  });

  it('resolves the escape sequences \\F\\ \\S\\ \\T\\ \\R\\ \\E\\', () => {
    expect(parseHl7(STANDARD).value('PID', 5, 1)).toBe('O^Brien|x&y\\z~w');
  });

  it('resolves \\Xhh\\ hexadecimal escapes', () => {
    const m = parseHl7('MSH|^~\\&|A\rPID|||||J\\X41\\NE');
    expect(m.value('PID', 5)).toBe('JANE');
  });

  it('returns every repetition of PID-3 with components and sub-components', () => {
    const reps = parseHl7(STANDARD).segment('PID')!.repetitions(3);
    expect(reps.map((r) => [r.value(1), r.value(4, 2), r.value(4, 3)])).toEqual([
      ['X1', '1.2.3', 'ISO'],
      ['P1', '1.3.6.1.4.1.21367.2005.13.20.1000', 'ISO'],
    ]);
    expect(reps[1]!.raw).toBe('P1^^^&1.3.6.1.4.1.21367.2005.13.20.1000&ISO');
  });

  it('reads custom delimiters from MSH-1/MSH-2', () => {
    // field #, component $, repetition @, escape *, sub-component !
    const text =
      'MSH#$@*!#SND#FAC#RCV#RFAC#20250101##ADT$A04#C2#P#2.3.1\r' +
      'PID###A$$$!1.2.3!ISO@B*S*1$$$!1.3.6.1.4.1.21367.2005.13.20.1000!ISO##Smith*F*Jones$Ann';
    const m = parseHl7(text);
    expect(m.delimiters).toEqual({ field: '#', component: '$', repetition: '@', escape: '*', subcomponent: '!' });
    expect(m.value('MSH', 9, 2)).toBe('A04');
    expect(m.value('MSH', 2)).toBe('$@*!');
    const reps = m.segment('PID')!.repetitions(3);
    expect(reps.map((r) => [r.value(1), r.value(4, 2)])).toEqual([
      ['A', '1.2.3'],
      ['B$1', '1.3.6.1.4.1.21367.2005.13.20.1000'],
    ]);
    expect(m.value('PID', 5, 1)).toBe('Smith#Jones');
    expect(m.value('PID', 5, 2)).toBe('Ann');
  });

  it('accepts LF and CRLF segment terminators and blank lines', () => {
    for (const eol of ['\n', '\r\n']) {
      const m = parseHl7(STANDARD.replace(/\r/g, eol) + eol);
      expect(m.segments.map((s) => s.name)).toEqual(['MSH', 'EVN', 'PID']);
      expect(m.segment('PID')!.repetitions(3)).toHaveLength(2);
    }
  });

  it('returns empty values and no repetitions for absent fields', () => {
    const m = parseHl7('MSH|^~\\&|A\rPID|1');
    expect(m.segment('PID')!.repetitions(3)).toEqual([]);
    expect(m.value('PID', 3, 4, 2)).toBe('');
    expect(m.value('MRG', 1)).toBe('');
    expect(m.segment('MRG')).toBeUndefined();
  });

  it.each([
    ['not HL7 at all', 'hello world'],
    ['an empty text', ''],
    ['a short MSH', 'MSH|^~'],
    ['duplicate delimiters', 'MSH|^^\\&|A'],
    ['alphanumeric delimiters', 'MSH|abcd|A'],
    ['a bad segment name', 'MSH|^~\\&|A\rpid|||1'],
    ['a segment without a name', 'MSH|^~\\&|A\r|||1'],
  ])('throws Hl7ParseError for %s', (_label, text) => {
    expect(() => parseHl7(text)).toThrow(Hl7ParseError);
  });
});

describe('encodeSegment / escapeHl7', () => {
  it('escapes delimiters so the value survives a round trip', () => {
    const tricky = 'a|b^c&d~e\\f';
    expect(escapeHl7(tricky)).toBe('a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f');
    const msg = `${encodeSegment('MSH', ['A', '', '', '', 'x', '', ['ADT', 'A01'], '1', 'P', '2.5'])}\r${encodeSegment('NTE', ['', '', tricky])}`;
    expect(parseHl7(msg).value('NTE', 3)).toBe(tricky);
  });

  it('writes MSH-1/MSH-2 from the delimiters, drops trailing empty fields and components', () => {
    expect(encodeSegment('MSH', ['A', 'B', '', ''])).toBe('MSH|^~\\&|A|B');
    expect(encodeSegment('ERR', ['', ['PID', '1', '3', '', ''], ''])).toBe('ERR||PID^1^3');
    expect(encodeSegment('ERR', [[['101', 'Required', 'HL70357']]])).toBe('ERR|101&Required&HL70357');
  });

  it('copies raw values unchanged and encodes with custom delimiters', () => {
    const d = { ...DEFAULT_DELIMITERS, field: '#', component: '$' };
    expect(encodeSegment('MSH', [{ raw: 'APP$1.2$ISO' }, 'a#b'], d)).toBe('MSH#$~\\&#APP$1.2$ISO#a\\F\\b');
  });
});
