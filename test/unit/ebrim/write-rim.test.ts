import { describe, expect, it } from 'vitest';
import { attrs, derivedUuid, slotXml } from '../../../src/xds/ebrim/write-rim.js';

describe('write-rim building blocks', () => {
  it('derivedUuid keeps the ids already handed out (SHA-1 name-based, RFC 9562 §5.5 layout)', () => {
    // Values produced by the first implementation (createHash); a consumer may have stored them.
    expect(derivedUuid('urn:uuid:00000000-0000-4000-8000-000000000001', 'classCode', '1.2.208.184.100.9', '001')).toBe(
      'urn:uuid:9879a9e4-4a29-5a51-9b11-c573c1b2d937',
    );
    expect(derivedUuid('a')).toBe('urn:uuid:86f7e437-faa5-57fc-a15d-1ddcb9eaeaea');
    expect(derivedUuid('', '')).toBe('urn:uuid:5ba93c9d-b0cf-593f-92b5-21d7420e43f6');
    expect(derivedUuid('urn:uuid:x', 'ei', 'urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab')).toBe(
      'urn:uuid:9ed5f4a7-e67d-5c25-8b15-e94b10cca88c',
    );
  });

  it('derivedUuid always yields a version 5, RFC variant urn:uuid', () => {
    for (let i = 0; i < 200; i++) {
      expect(derivedUuid('urn:uuid:' + i, 'author', String(i))).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });

  it('attrs skips undefined values and escapes only where needed', () => {
    expect(attrs([['a', 'x'], ['b', undefined], ['c', '1^^^&2&ISO'], ['d', 'q"<\n']])).toBe(' a="x" c="1^^^&amp;2&amp;ISO" d="q&quot;&lt;&#10;"');
  });

  it('slotXml escapes values', () => {
    expect(slotXml({ name: 'n', values: ['a&b', 'plain'] })).toBe(
      '<rim:Slot name="n"><rim:ValueList><rim:Value>a&amp;b</rim:Value><rim:Value>plain</rim:Value></rim:ValueList></rim:Slot>',
    );
  });
});
