/**
 * Serializes the plain XmlElement tree back to XML text. Used where the hub forwards a (possibly
 * amended) request element, e.g. the repository sending ITI-42 to a remote registry. Prefixes are
 * generated per namespace (ns0, ns1, ...) and declared where first used; the infoset is what counts.
 */
import { escapeAttr, escapeText } from './escape.js';
import type { XmlElement } from './tree.js';

const XML_NS = 'http://www.w3.org/XML/1998/namespace';

export function serializeXml(root: XmlElement): string {
  const prefixes = new Map<string, string>();
  const out: string[] = [];
  const prefixFor = (ns: string, declare: string[]): string => {
    if (ns === XML_NS) return 'xml';
    let p = prefixes.get(ns);
    if (p === undefined) {
      p = `ns${prefixes.size}`;
      prefixes.set(ns, p);
      declare.push(` xmlns:${p}="${escapeAttr(ns)}"`);
    }
    return p;
  };
  const write = (el: XmlElement): void => {
    const declare: string[] = [];
    const qname = el.ns ? `${prefixFor(el.ns, declare)}:${el.name}` : el.name;
    const attrs: string[] = [];
    for (const [k, v] of Object.entries(el.attrs)) attrs.push(` ${k}="${escapeAttr(v)}"`);
    for (const [k, v] of Object.entries(el.nsAttrs)) {
      const m = /^\{([^}]*)\}(.*)$/.exec(k);
      if (!m) continue;
      attrs.push(` ${prefixFor(m[1], declare)}:${m[2]}="${escapeAttr(v)}"`);
    }
    out.push(`<${qname}${declare.join('')}${attrs.join('')}`);
    if (el.children.length === 0 && el.text === '') {
      out.push('/>');
      return;
    }
    out.push('>');
    if (el.text) out.push(escapeText(el.text));
    for (const c of el.children) write(c);
    out.push(`</${qname}>`);
  };
  write(root);
  return out.join('');
}
