/**
 * XPath 1.0 with namespaces over libxml2-wasm, for tests and the conformance runner (the NIST test plans
 * assert on responses with XPath, conformance ANALYSIS.md). Each call parses with the hardened options of
 * parse.ts and disposes the document before returning.
 */
import type { XmlNode } from 'libxml2-wasm';
import { withXmlDocument, type ParseXmlOptions } from './parse.js';

export type NamespaceMap = Record<string, string>;

/** Raised for an XPath expression libxml2 cannot compile or evaluate. */
export class XPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XPathError';
  }
}

type XPathValue = XmlNode[] | string | boolean | number;

function evaluate<T>(
  xml: Buffer | string,
  expr: string,
  namespaces: NamespaceMap,
  opts: ParseXmlOptions,
  convert: (v: XPathValue) => T,
): T {
  return withXmlDocument(xml, opts, (doc) => {
    let value: XPathValue;
    try {
      value = doc.eval(expr, namespaces);
    } catch (err) {
      throw new XPathError(`XPath '${expr}' failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    // Node sets are converted while the document is alive: the node wrappers point into wasm memory.
    return convert(value);
  });
}

/** XPath string(): a node set gives the string value of its first node, '' when empty. */
export function xpathString(xml: Buffer | string, expr: string, namespaces: NamespaceMap = {}, opts: ParseXmlOptions = {}): string {
  return evaluate(xml, expr, namespaces, opts, (v) => {
    if (Array.isArray(v)) return v.length > 0 ? v[0].content : '';
    return String(v);
  });
}

/** XPath number(): a node set is converted through the string value of its first node. */
export function xpathNumber(xml: Buffer | string, expr: string, namespaces: NamespaceMap = {}, opts: ParseXmlOptions = {}): number {
  return evaluate(xml, expr, namespaces, opts, (v) => {
    if (Array.isArray(v)) return v.length > 0 ? Number(v[0].content.trim()) : Number.NaN;
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (typeof v === 'string') return v.trim() === '' ? Number.NaN : Number(v);
    return v;
  });
}

/** XPath boolean(): a node set is true when non-empty, a string when non-empty, a number when not 0/NaN. */
export function xpathBoolean(xml: Buffer | string, expr: string, namespaces: NamespaceMap = {}, opts: ParseXmlOptions = {}): boolean {
  return evaluate(xml, expr, namespaces, opts, (v) => {
    if (Array.isArray(v)) return v.length > 0;
    if (typeof v === 'string') return v.length > 0;
    if (typeof v === 'number') return v !== 0 && !Number.isNaN(v);
    return v;
  });
}

/** The string values of every node an expression selects (one string for a scalar result). */
export function xpathStrings(xml: Buffer | string, expr: string, namespaces: NamespaceMap = {}, opts: ParseXmlOptions = {}): string[] {
  return evaluate(xml, expr, namespaces, opts, (v) => (Array.isArray(v) ? v.map((n) => n.content) : [String(v)]));
}
