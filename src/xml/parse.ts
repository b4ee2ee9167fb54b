/**
 * Hardened XML parsing through libxml2-wasm (dependencies.md §1, §11). The only place in the hub that
 * turns bytes into a libxml2 document; everything else works on the plain XmlElement tree (tree.ts).
 *
 * Hardening, as issue #2 "Wire layer" asks:
 * - XML_PARSE_NOENT is never set, so entities are never substituted (no XXE); XML_PARSE_NO_XXE and
 *   XML_PARSE_NONET are set so nothing external is ever loaded, DTDs included (no DTDLOAD/DTDATTR/DTDVALID).
 * - A document type declaration is refused outright, before parsing when the prolog shows it: SOAP 1.2
 *   Part 1 §5 says a SOAP message MUST NOT contain one, and the ebRS/IHE bodies never need one. libxml2
 *   also refuses entity amplification (billion laughs) on its own.
 * - The size limit is checked before a byte reaches the parser.
 * - Every libxml2 document is disposed in a finally block: WebAssembly memory grows and never shrinks.
 */
import { ParseOption, XmlDocument } from 'libxml2-wasm';
import type { XmlElement as LxElement } from 'libxml2-wasm';
import {
  XmlNamedNodeStruct,
  XmlNodeStruct,
  XmlNodeType,
  XmlNsStruct,
  XmlTreeCommonStruct,
  xmlNodeGetContent,
} from 'libxml2-wasm/lib/libxml2.mjs';
import type { XmlElement } from './tree.js';

export interface ParseXmlOptions {
  /** Largest accepted document in bytes (UTF-8); checked before parsing. */
  maxBytes?: number;
}

/** Default cap when the caller gives none (the config's maxXmlBytes default). */
export const DEFAULT_MAX_XML_BYTES = 64 * 1024 * 1024;

/** The parse options every document gets: no entity substitution, no external loading, no network. */
export const HARDENED_PARSE_OPTIONS = ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_NO_XXE;

/**
 * What the prolog scan found: a DOCTYPE, none, or an encoding the byte scan cannot read (UTF-16/32).
 */
type PrologScan = 'doctype' | 'none' | 'unknown';

/**
 * Scans the prolog (XML 1.0 §2.8: XMLDecl? Misc* (doctypedecl Misc*)?) for a DOCTYPE without parsing.
 * A document known to have none cannot declare entities, so it may be parsed with XML_PARSE_HUGE: libxml2
 * otherwise refuses text nodes over 10 MB, i.e. any inline base64 document over about 7.5 MB, while the
 * byte limit (maxBytes) still bounds everything.
 */
function scanProlog(input: Buffer | string): PrologScan {
  const text = typeof input === 'string' ? input.slice(0, 64 * 1024) : input.subarray(0, 64 * 1024).toString('latin1');
  let i = 0;
  if (text.startsWith('\uFEFF')) i = 1;
  else if (text.startsWith('\xEF\xBB\xBF')) i = 3;
  else if (/^(\xFE\xFF|\xFF\xFE|\x00)/.test(text) || /^<\x00|^\x00</.test(text)) return 'unknown';
  for (;;) {
    while (i < text.length && ' \t\r\n'.includes(text[i])) i++;
    if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i + 2);
      if (end === -1) return 'unknown';
      i = end + 2;
    } else if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end === -1) return 'unknown';
      i = end + 3;
    } else if (text.startsWith('<!DOCTYPE', i)) {
      return 'doctype';
    } else {
      return i < text.length && text[i] === '<' ? 'none' : 'unknown';
    }
  }
}

export type XmlParseErrorKind = 'too-large' | 'not-well-formed' | 'dtd' | 'empty';

/** Thrown for anything that is not an acceptable XML document; `message` says why (line/column when known). */
export class XmlParseError extends Error {
  constructor(
    readonly kind: XmlParseErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'XmlParseError';
  }
}

function byteLength(input: Buffer | string): number {
  return typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.length;
}

/**
 * Parses into a libxml2 document and hands it to `use`; the document is disposed when `use` returns or
 * throws. For modules of src/xml only (validation, XPath): the native document never leaves this call.
 */
export function withXmlDocument<T>(input: Buffer | string, opts: ParseXmlOptions, use: (doc: XmlDocument) => T): T {
  const max = opts.maxBytes ?? DEFAULT_MAX_XML_BYTES;
  const size = byteLength(input);
  if (size > max) throw new XmlParseError('too-large', `XML document of ${size} bytes exceeds the limit of ${max} bytes`);
  if (size === 0) throw new XmlParseError('empty', 'empty XML document');
  const prolog = scanProlog(input);
  if (prolog === 'doctype') throw new XmlParseError('dtd', 'document type declarations (DOCTYPE) are not allowed');
  const option = prolog === 'none' ? HARDENED_PARSE_OPTIONS | ParseOption.XML_PARSE_HUGE : HARDENED_PARSE_OPTIONS;
  let doc: XmlDocument;
  try {
    doc =
      typeof input === 'string'
        ? XmlDocument.fromString(input, { option })
        : XmlDocument.fromBuffer(input, { option });
  } catch (err) {
    throw new XmlParseError('not-well-formed', `XML is not well-formed: ${describeLibxmlError(err)}`);
  }
  try {
    if (doc.dtd !== null) throw new XmlParseError('dtd', 'document type declarations (DOCTYPE) are not allowed');
    return use(doc);
  } finally {
    doc.dispose();
  }
}

/** Parses XML bytes into the plain immutable tree; no libxml2 memory outlives the call. */
export function parseXml(input: Buffer | string, opts: ParseXmlOptions = {}): XmlElement {
  return withXmlDocument(input, opts, (doc) => toTree(rootOf(doc)));
}

/** The document element, or a typed error for a document without one. */
export function rootOf(doc: XmlDocument): LxElement {
  try {
    return doc.root;
  } catch {
    throw new XmlParseError('empty', 'XML document has no root element');
  }
}

/** The first libxml2 error detail as "line L, column C: message". */
export function describeLibxmlError(err: unknown): string {
  const details = (err as { details?: { message: string; line: number; col: number }[] }).details;
  const first = details?.[0];
  if (first) return `line ${first.line}, column ${first.col}: ${first.message.trim()}`;
  return err instanceof Error ? err.message.trim() : String(err);
}

/*
 * The tree is copied with libxml2-wasm's struct readers (exported by its lib/libxml2.mjs, pinned at 0.7.2)
 * rather than its node wrapper classes: the wrappers allocate a JS object and cross into wasm for every
 * property, which made the tree copy ten times slower than the parse itself.
 */
/** Per copy: namespace URIs by xmlNs pointer, and names by their string pointer (a document declares few
 * namespaces and repeats few names; libxml2 interns names in the document's dictionary). Pointers stay valid
 * and unchanged while the document lives, which is the whole copy. */
interface CopyCache {
  ns: Map<number, string>;
  names: Map<number, string>;
}

/*
 * Raw field reads for what the struct readers do not offer (wasm32 layout of libxml2 2.x, tree.h):
 * xmlNode/xmlAttr.name at offset 8, xmlNode.content at offset 40. XmlNsStruct.next reads the pointer at
 * offset 0 of its argument, XmlNsStruct.href the C string whose pointer is at offset 8. Reading a text
 * node's content pointer directly saves xmlNodeGetContent's copy (a malloc, a copy and a free per node).
 */
const NAME_FIELD = 8;
const CONTENT_FIELD = 40;
const pointerAt = (ptr: number, offset: number): number => XmlNsStruct.next(ptr + offset);
const stringAt = (ptr: number, offset: number): string => XmlNsStruct.href(ptr + offset - 8);

function nsOf(ptr: number, cache: CopyCache): string {
  const ns = XmlNamedNodeStruct.namespace(ptr);
  if (ns === 0) return '';
  let uri = cache.ns.get(ns);
  if (uri === undefined) {
    uri = XmlNsStruct.href(ns);
    cache.ns.set(ns, uri);
  }
  return uri;
}

function nameOf(ptr: number, cache: CopyCache): string {
  const p = pointerAt(ptr, NAME_FIELD);
  let name = cache.names.get(p);
  if (name === undefined) {
    name = XmlTreeCommonStruct.name_(ptr);
    cache.names.set(p, name);
  }
  return name;
}

/** An attribute's value: its one text child read in place, else (entity references) libxml2's content. */
function attributeValue(attr: number): string {
  const first = XmlTreeCommonStruct.children(attr);
  if (first === 0) return '';
  if (XmlTreeCommonStruct.next(first) === 0 && XmlTreeCommonStruct.type(first) === XmlNodeType.XML_TEXT_NODE) {
    return stringAt(first, CONTENT_FIELD);
  }
  return xmlNodeGetContent(attr);
}

/** Copies a libxml2 element subtree into the plain tree (the types make it read-only). */
export function toTree(el: LxElement): XmlElement {
  return copyElement((el as unknown as { _nodePtr: number })._nodePtr, { ns: new Map(), names: new Map() });
}

function copyElement(ptr: number, cache: CopyCache): XmlElement {
  const attrs: Record<string, string> = {};
  const nsAttrs: Record<string, string> = {};
  for (let a = XmlNodeStruct.properties(ptr); a !== 0; a = XmlTreeCommonStruct.next(a)) {
    const ns = nsOf(a, cache);
    const value = attributeValue(a);
    if (ns === '') attrs[nameOf(a, cache)] = value;
    else nsAttrs[`{${ns}}${nameOf(a, cache)}`] = value;
  }
  const children: XmlElement[] = [];
  let text = '';
  for (let n = XmlTreeCommonStruct.children(ptr); n !== 0; n = XmlTreeCommonStruct.next(n)) {
    const type = XmlTreeCommonStruct.type(n);
    if (type === XmlNodeType.XML_ELEMENT_NODE) children.push(copyElement(n, cache));
    else if (type === XmlNodeType.XML_TEXT_NODE || type === XmlNodeType.XML_CDATA_SECTION_NODE) text += stringAt(n, CONTENT_FIELD);
    // Entity references are never expanded (hardening), comments and PIs carry no data.
  }
  return { ns: nsOf(ptr, cache), name: nameOf(ptr, cache), attrs, nsAttrs, children, text };
}
