/**
 * XPath 1.0 for Report and Assert expressions (conformance ANALYSIS.md §6.3), evaluated by libxml2
 * (libxml2-wasm) with the standard string()/boolean() conversions, so node-set/string/number results
 * behave exactly as in the toolkit. Every document is disposed after use.
 */
import { XmlDocument } from 'libxml2-wasm';

function withDoc<T>(xml: string, f: (doc: XmlDocument) => T): T {
  const doc = XmlDocument.fromString(xml);
  try {
    return f(doc);
  } finally {
    doc.dispose();
  }
}

export function xpathString(xml: string, expr: string): string {
  return withDoc(xml, (doc) => String(doc.eval(`string(${expr})`))).trim();
}

export function xpathBoolean(xml: string, expr: string): boolean {
  return withDoc(xml, (doc) => doc.eval(`boolean(${expr})`) === true);
}
