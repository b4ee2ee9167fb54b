/**
 * @xmldom/xmldom helpers for the signature part of the stack. Signatures are checked on the envelope as
 * received (SoapRequest.rawEnvelope), never on a re-serialised tree, because XML-DSig digests cover the
 * exact infoset that was signed (whitespace text nodes included).
 */
import { DOMParser, XMLSerializer, type Document, type Element, type Node } from '@xmldom/xmldom';
import type { XmlElement } from '../xml/tree.js';
import { fail } from './faults.js';
import { NS } from './namespaces.js';

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;
const COMMENT_NODE = 8;
const PROCESSING_INSTRUCTION_NODE = 7;

/** Parses XML; any well-formedness error or a DTD is a `syntax_error` (SOAP 1.1 §3 / 1.2 Part 1 §5 forbid DTDs). */
export function parseXml(text: string): Document {
  let doc: Document;
  try {
    doc = new DOMParser({
      onError: (level, msg) => {
        if (level !== 'warning') throw new Error(msg);
      },
    }).parseFromString(text, 'text/xml');
  } catch (e) {
    throw fail('syntax_error', `XML is not well-formed: ${(e as Error).message.split('\n')[0]}`);
  }
  if (doc.doctype) throw fail('syntax_error', 'a SOAP message must not contain a document type declaration');
  if (!doc.documentElement) throw fail('syntax_error', 'no document element');
  return doc;
}

export function isElement(n: Node | null | undefined): n is Element {
  return !!n && n.nodeType === ELEMENT_NODE;
}

export function childElements(el: Element | Document): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) if (isElement(n)) out.push(n);
  return out;
}

export function childrenNS(el: Element, ns: string, local: string): Element[] {
  return childElements(el).filter((c) => c.namespaceURI === ns && c.localName === local);
}

export function firstChildNS(el: Element, ns: string, local: string): Element | undefined {
  return childElements(el).find((c) => c.namespaceURI === ns && c.localName === local);
}

/** The element's text content (all descendant text, comments excluded as in c14n). */
export function textOf(el: Element): string {
  let s = '';
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === TEXT_NODE || n.nodeType === CDATA_SECTION_NODE) s += (n as unknown as { data: string }).data;
    else if (isElement(n)) s += textOf(n);
  }
  return s;
}

/** True when the subtree holds a comment or processing instruction (c14n drops them from the digest). */
export function hasCommentOrPi(el: Element): boolean {
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === COMMENT_NODE || n.nodeType === PROCESSING_INSTRUCTION_NODE) return true;
    if (isElement(n) && hasCommentOrPi(n)) return true;
  }
  return false;
}

/** The XML-DSig / WS-Security ID of an element: `ID`, `Id`, `id` or `wsu:Id` (xml-crypto matches the same set by local name). */
export function idOf(el: Element): string[] {
  const ids: string[] = [];
  const attrs = el.attributes;
  for (let i = 0; i < attrs.length; i++) {
    const a = attrs.item(i)!;
    const local = a.localName ?? a.name;
    if ((local === 'ID' || local === 'Id' || local === 'id') && a.namespaceURI !== NS.xmlns) ids.push(a.value);
  }
  return ids;
}

/** How many elements in the document carry this ID value (duplicate IDs enable signature wrapping). */
export function countId(root: Element, id: string): number {
  let n = idOf(root).filter((v) => v === id).length;
  for (const c of childElements(root)) n += countId(c, id);
  return n;
}

/**
 * Serialises an element as a standalone document, declaring on its root every namespace in scope at
 * that point. Exclusive c14n (the only canonicalisation the stack accepts) renders only visibly used
 * and InclusiveNamespaces prefixes, so the extra declarations change nothing a signature covers while
 * the extract parses on its own.
 */
export function standaloneXml(el: Element): string {
  const inScope = new Map<string, string>();
  const chain: Element[] = [];
  for (let p = el.parentNode; p && isElement(p); p = p.parentNode) chain.unshift(p);
  for (const anc of chain) collectNsDecls(anc, inScope);
  const clone = el.cloneNode(true) as Element;
  const own = new Map<string, string>();
  collectNsDecls(el, own);
  for (const [prefix, uri] of inScope) {
    if (own.has(prefix)) continue;
    if (prefix === '') clone.setAttributeNS(NS.xmlns, 'xmlns', uri);
    else clone.setAttributeNS(NS.xmlns, `xmlns:${prefix}`, uri);
  }
  return new XMLSerializer().serializeToString(clone);
}

function collectNsDecls(el: Element, into: Map<string, string>): void {
  const attrs = el.attributes;
  for (let i = 0; i < attrs.length; i++) {
    const a = attrs.item(i)!;
    if (a.name === 'xmlns') into.set('', a.value);
    else if (a.name.startsWith('xmlns:')) into.set(a.name.slice(6), a.value);
  }
}

/** Converts an xmldom element into the hub's immutable XmlElement tree (NTS and tests build SoapRequests with it). */
export function toXmlElement(el: Element): XmlElement {
  const attrs: Record<string, string> = {};
  const nsAttrs: Record<string, string> = {};
  const a = el.attributes;
  for (let i = 0; i < a.length; i++) {
    const at = a.item(i)!;
    if (at.name === 'xmlns' || at.name.startsWith('xmlns:')) continue;
    if (at.namespaceURI) nsAttrs[`{${at.namespaceURI}}${at.localName}`] = at.value;
    else attrs[at.localName ?? at.name] = at.value;
  }
  let text = '';
  const children: XmlElement[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === TEXT_NODE || n.nodeType === CDATA_SECTION_NODE) text += (n as unknown as { data: string }).data;
    else if (isElement(n)) children.push(toXmlElement(n));
  }
  return { ns: el.namespaceURI ?? '', name: el.localName ?? el.nodeName, attrs, nsAttrs, children, text };
}

/**
 * The envelope up to its Body, with the Body emptied: what the DGWS checks need (the ID card lives in
 * the header and DGWS 1.0.1 signs only the card), without parsing a many-megabyte inline document
 * into a DOM. A byte scanner skipping comments, CDATA, PIs and quoted attribute values finds the Body
 * start tag at depth 1; when anything looks unusual it returns the whole envelope instead.
 */
export function envelopeWithoutBody(raw: Buffer): string {
  const LT = 0x3c, GT = 0x3e, SLASH = 0x2f, BANG = 0x21, QM = 0x3f, DQ = 0x22, SQ = 0x27;
  let i = 0;
  let depth = 0;
  let rootName = '';
  const n = raw.length;
  while (i < n) {
    const lt = raw.indexOf(LT, i);
    if (lt < 0) break;
    const next = raw[lt + 1];
    if (next === BANG) {
      if (raw.subarray(lt, lt + 4).toString('latin1') === '<!--') {
        const end = raw.indexOf('-->', lt + 4, 'latin1');
        if (end < 0) break;
        i = end + 3;
      } else if (raw.subarray(lt, lt + 9).toString('latin1') === '<![CDATA[') {
        const end = raw.indexOf(']]>', lt + 9, 'latin1');
        if (end < 0) break;
        i = end + 3;
      } else {
        break; // DOCTYPE: let the full parse reject it
      }
      continue;
    }
    if (next === QM) {
      const end = raw.indexOf('?>', lt + 2, 'latin1');
      if (end < 0) break;
      i = end + 2;
      continue;
    }
    // a start or end tag: find its closing '>' outside quotes
    let j = lt + 1;
    let quote = 0;
    for (; j < n; j++) {
      const c = raw[j];
      if (quote) {
        if (c === quote) quote = 0;
      } else if (c === DQ || c === SQ) quote = c;
      else if (c === GT) break;
    }
    if (j >= n) break;
    const isEnd = next === SLASH;
    const selfClosing = raw[j - 1] === SLASH;
    const tag = raw.subarray(lt, j + 1).toString('utf8');
    const qname = /^<\/?([^\s/>]+)/.exec(tag)?.[1] ?? '';
    if (isEnd) {
      depth--;
    } else {
      if (depth === 0) rootName = qname;
      if (depth === 1 && (qname === 'Body' || qname.endsWith(':Body'))) {
        const emptied = selfClosing ? tag : `${tag.slice(0, -1)}/>`;
        return `${raw.subarray(0, lt).toString('utf8')}${emptied}</${rootName}>`;
      }
      if (!selfClosing) depth++;
    }
    i = j + 1;
  }
  return raw.toString('utf8');
}
