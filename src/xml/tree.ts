/**
 * The plain, immutable element tree every XML consumer in the hub works on. src/xml/parse.ts builds it
 * from a libxml2 document and disposes the libxml2 memory at once, so no WebAssembly memory outlives a
 * parse (dependencies.md §11: wasm memory grows and never shrinks).
 */
export interface XmlElement {
  /** namespace URI, '' when none. */
  readonly ns: string;
  /** local name. */
  readonly name: string;
  /** attributes without a namespace, by local name. */
  readonly attrs: Readonly<Record<string, string>>;
  /** namespaced attributes, keyed `{uri}local` (e.g. `{http://www.w3.org/XML/1998/namespace}lang`). */
  readonly nsAttrs: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** the element's own text nodes (and CDATA), concatenated; not its descendants'. */
  readonly text: string;
}

/** The first child element with this namespace and local name. */
export function child(el: XmlElement, ns: string, name: string): XmlElement | undefined {
  return el.children.find((c) => c.ns === ns && c.name === name);
}

/** All child elements with this namespace and local name. */
export function childrenNamed(el: XmlElement, ns: string, name: string): XmlElement[] {
  return el.children.filter((c) => c.ns === ns && c.name === name);
}

/** All descendant elements (document order) with this namespace and local name. */
export function descendants(el: XmlElement, ns: string, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement): void => {
    for (const c of e.children) {
      if (c.ns === ns && c.name === name) out.push(c);
      walk(c);
    }
  };
  walk(el);
  return out;
}

/** The concatenated text of an element and all its descendants. */
export function deepText(el: XmlElement): string {
  return el.text + el.children.map(deepText).join('');
}
