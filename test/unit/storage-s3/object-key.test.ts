import { describe, expect, it } from 'vitest';
import { decodeObjectKey, encodeObjectKey } from '../../../src/storage/s3/object-key.js';

describe('S3 object names for DocumentStore keys', () => {
  it('keeps uniqueIds (OIDs, root^extension) verbatim', () => {
    expect(encodeObjectKey('1.3.6.1.4.1.21367.2005.3.99.1.1010')).toBe('1.3.6.1.4.1.21367.2005.3.99.1.1010');
    expect(encodeObjectKey('1.2.3^abc-1')).toBe('1.2.3^abc-1');
  });

  it.each(['../../etc/passwd', '..', '.', '/abs', 'ÆØÅ/æøå', 'x'.repeat(300), '', '~b64/x', 'a b', 'new\nline'])(
    'encodes %j into safe segments and decodes it back',
    (key) => {
      const name = encodeObjectKey(key);
      expect(name.startsWith('~b64/')).toBe(true);
      for (const segment of name.split('/')) {
        expect(segment.length).toBeGreaterThan(0);
        expect(segment.length).toBeLessThanOrEqual(200);
        expect(['.', '..']).not.toContain(segment);
      }
      expect(decodeObjectKey(name)).toBe(key);
    },
  );

  it('ignores object names it cannot have written', () => {
    expect(decodeObjectKey('some/other/tool.txt')).toBeUndefined();
    expect(decodeObjectKey('~b64/***')).toBeUndefined();
    expect(decodeObjectKey('1.2.3')).toBe('1.2.3');
  });
});
