/**
 * Small DOM helpers for the conformance runner. The runner must rewrite NIST request templates
 * (ids, patient ids, uniqueIds) and serialise them again, so it works on a mutable @xmldom/xmldom
 * DOM; the hub's own XML module (src/xml) is read-only by design and is deliberately not reused here,
 * so the runner stays an independent client of the hub.
 */
import { DOMParser, XMLSerializer, onErrorStopParsing } from '@xmldom/xmldom';
import type { Document, Element } from '@xmldom/xmldom';

export type { Document, Element };

export function parseXml(xml: string, what: string): Document {
  try {
    return new DOMParser({ onError: onErrorStopParsing }).parseFromString(xml, 'text/xml');
  } catch (e) {
    throw new Error(`${what} is not well-formed XML: ${(e as Error).message.split('\n')[0]}`);
  }
}

export function serialize(node: Document | Element): string {
  return new XMLSerializer().serializeToString(node);
}

/** All descendant elements (document order) with this local name, any namespace. */
export function byLocalName(root: Document | Element, localName: string): Element[] {
  const out: Element[] = [];
  const walk = (n: Document | Element): void => {
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === 1) {
        const el = c as Element;
        if (el.localName === localName) out.push(el);
        walk(el);
      }
    }
  };
  walk(root);
  return out;
}

/** Element children (any namespace). */
export function childElements(el: Element | Document): Element[] {
  const out: Element[] = [];
  for (let c = el.firstChild; c; c = c.nextSibling) if (c.nodeType === 1) out.push(c as Element);
  return out;
}

export function firstChild(el: Element | Document, localName: string): Element | undefined {
  return childElements(el).find((c) => c.localName === localName);
}

export function textOf(el: Element | undefined): string {
  return (el?.textContent ?? '').trim();
}

/** Every element in the tree, document order. */
export function allElements(root: Document | Element): Element[] {
  const out: Element[] = [];
  const walk = (n: Document | Element): void => {
    for (const c of childElements(n)) {
      out.push(c);
      walk(c);
    }
  };
  walk(root);
  return out;
}
