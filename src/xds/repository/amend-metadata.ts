/**
 * Writes the repository's own DocumentEntry attributes into the submitted metadata before it is
 * registered: hash, size and repositoryUniqueId are "set by the Document Repository" in ITI-41
 * (ITI TF-3 Table 4.3.1-3, footnotes on hash/size/repositoryUniqueId; ITI TF-2b §3.41.4.1.3).
 * The tree is immutable, so the amended SubmitObjectsRequest is a new tree sharing untouched subtrees.
 */
import type { XmlElement } from '../../xml/tree.js';

export const RIM = 'urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0';

export interface RepositoryAttributes {
  hash: string;
  size: number;
  repositoryUniqueId: string;
}

function slot(name: string, value: string): XmlElement {
  const v: XmlElement = { ns: RIM, name: 'Value', attrs: {}, nsAttrs: {}, children: [], text: value };
  const list: XmlElement = { ns: RIM, name: 'ValueList', attrs: {}, nsAttrs: {}, children: [v], text: '' };
  return { ns: RIM, name: 'Slot', attrs: { name }, nsAttrs: {}, children: [list], text: '' };
}

const OWNED = new Set(['hash', 'size', 'repositoryUniqueId']);

function amendExtrinsicObject(eo: XmlElement, attrs: RepositoryAttributes): XmlElement {
  // Slots come first in rim:RegistryObjectType; drop submitted copies and put ours in front.
  const kept = eo.children.filter((c) => !(c.ns === RIM && c.name === 'Slot' && OWNED.has(c.attrs.name ?? '')));
  const slots = [slot('hash', attrs.hash), slot('size', String(attrs.size)), slot('repositoryUniqueId', attrs.repositoryUniqueId)];
  return { ...eo, children: [...slots, ...kept] };
}

/** Returns the SubmitObjectsRequest with the ExtrinsicObjects named in `byId` amended. */
export function amendSubmission(submitObjectsRequest: XmlElement, byId: ReadonlyMap<string, RepositoryAttributes>): XmlElement {
  const walk = (el: XmlElement): XmlElement => {
    if (el.ns === RIM && el.name === 'ExtrinsicObject') {
      const attrs = byId.get(el.attrs.id ?? '');
      return attrs ? amendExtrinsicObject(el, attrs) : el;
    }
    if (el.ns === RIM && el.name === 'RegistryObjectList') return { ...el, children: el.children.map(walk) };
    if (el.name === 'SubmitObjectsRequest') return { ...el, children: el.children.map(walk) };
    return el;
  };
  return walk(submitObjectsRequest);
}
