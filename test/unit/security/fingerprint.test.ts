import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../../src/security/dgws.js';
import type { XmlElement } from '../../../src/xml/tree.js';

const el = (over: Partial<XmlElement>): XmlElement => ({ ns: 'urn:a', name: 'A', attrs: {}, nsAttrs: {}, children: [], text: '', ...over });

describe('assertion fingerprint (verified-card cache)', () => {
  it('is stable for equal trees and differs for any change, including boundary-imitating values', () => {
    const base = el({ attrs: { id: 'IDCard' }, text: 'x', children: [el({ name: 'B', text: '0101011234' })] });
    expect(fingerprint(base)).toBe(fingerprint(el({ attrs: { id: 'IDCard' }, text: 'x', children: [el({ name: 'B', text: '0101011234' })] })));
    const variants = [
      el({ attrs: { id: 'IDCard' }, text: 'x', children: [el({ name: 'B', text: '0202025678' })] }),
      el({ attrs: { id: 'IDCard', x: '' }, text: 'x', children: [el({ name: 'B', text: '0101011234' })] }),
      el({ attrs: { id: 'IDCard' }, text: 'x', children: [el({ name: 'B', text: '0101011234' }), el({ name: 'B' })] }),
      el({ attrs: { id: 'IDCar', d: '' }, text: 'x', children: [el({ name: 'B', text: '0101011234' })] }),
      el({ attrs: { id: 'IDCard' }, text: 'x1:B', children: [el({ name: 'B', text: '0101011234' })] }),
      el({ ns: 'urn:b', attrs: { id: 'IDCard' }, text: 'x', children: [el({ name: 'B', text: '0101011234' })] }),
    ];
    const prints = new Set([fingerprint(base), ...variants.map(fingerprint)]);
    expect(prints.size).toBe(variants.length + 1);
  });
});
