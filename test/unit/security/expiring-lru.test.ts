import { describe, expect, it } from 'vitest';
import { ExpiringLru } from '../../../src/security/expiring-lru.js';

describe('ExpiringLru', () => {
  it('evicts the least recently used entry beyond its bound', () => {
    const c = new ExpiringLru<number>(2, () => 0);
    c.set('a', 1, 100);
    c.set('b', 2, 100);
    expect(c.get('a')).toBe(1); // a is now most recent
    c.set('c', 3, 100);
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')).toBe(1);
    expect(c.get('c')).toBe(3);
    expect(c.size).toBe(2);
  });

  it('forgets entries at their own expiry and never stores expired ones', () => {
    let t = 0;
    const c = new ExpiringLru<string>(10, () => t);
    c.set('x', 'v', 50);
    c.set('old', 'v', 0);
    expect(c.has('old')).toBe(false);
    t = 49;
    expect(c.get('x')).toBe('v');
    t = 50;
    expect(c.get('x')).toBeUndefined();
    expect(c.size).toBe(0);
  });
});
