/**
 * ITI-43 checks (conformance ANALYSIS.md §6.4; ITI TF-2b §3.43.4.2.3): one DocumentResponse per
 * DocumentRequest, with the same RepositoryUniqueId, the mimeType of the registered DocumentEntry, bytes
 * whose SHA-1 and size equal the registry's hash/size, and bytes equal to the reference document.
 */
import { createHash } from 'node:crypto';
import { byLocalName, childElements, parseXml, textOf, type Element } from './dom.js';
import { SCHEME } from './metadata.js';

export interface RefMeta { mimeType: string; hash?: string; size?: string }

function slotValue(eo: Element, name: string): string | undefined {
  const slot = childElements(eo).find((c) => c.localName === 'Slot' && c.getAttribute('name') === name);
  return slot ? textOf(byLocalName(slot, 'Value')[0]) : undefined;
}

/** uniqueId -> mimeType/hash/size of the DocumentEntries in a query response. */
export function referenceMetadata(queryResponseXml: string): Map<string, RefMeta> {
  const out = new Map<string, RefMeta>();
  for (const eo of byLocalName(parseXml(queryResponseXml, 'ReferenceMetadata response'), 'ExtrinsicObject')) {
    const uidEi = childElements(eo).find((c) => c.localName === 'ExternalIdentifier' && c.getAttribute('identificationScheme') === SCHEME.deUniqueId);
    if (!uidEi) continue;
    out.set(uidEi.getAttribute('value') ?? '', { mimeType: eo.getAttribute('mimeType') ?? '', hash: slotValue(eo, 'hash'), size: slotValue(eo, 'size') });
  }
  return out;
}

export interface RetrieveExpectations {
  requestXml: string;
  responseXml: string;
  refMeta?: Map<string, RefMeta>;
  /** uniqueId -> expected bytes. */
  refDocs: Map<string, Buffer>;
  expectedMimeType?: string;
}

export function checkRetrieve(x: RetrieveExpectations): string[] {
  const fails: string[] = [];
  const req = parseXml(x.requestXml, 'retrieve request');
  const res = parseXml(x.responseXml, 'retrieve response');
  const responses = byLocalName(res, 'DocumentResponse').map((dr) => ({
    repo: textOf(childElements(dr).find((c) => c.localName === 'RepositoryUniqueId')),
    uid: textOf(childElements(dr).find((c) => c.localName === 'DocumentUniqueId')),
    mimeType: textOf(childElements(dr).find((c) => c.localName === 'mimeType')),
    bytes: Buffer.from(textOf(childElements(dr).find((c) => c.localName === 'Document')).replace(/\s+/g, ''), 'base64'),
  }));
  for (const dreq of byLocalName(req, 'DocumentRequest')) {
    const repo = textOf(childElements(dreq).find((c) => c.localName === 'RepositoryUniqueId'));
    const uid = textOf(childElements(dreq).find((c) => c.localName === 'DocumentUniqueId'));
    const got = responses.find((r) => r.uid === uid);
    if (!got) { fails.push(`no DocumentResponse for ${uid}`); continue; }
    if (got.repo !== repo) fails.push(`${uid}: RepositoryUniqueId ${got.repo}, requested ${repo}`);
    const meta = x.refMeta?.get(uid);
    const wantMime = meta?.mimeType || x.expectedMimeType;
    if (wantMime && got.mimeType !== wantMime) fails.push(`${uid}: mimeType ${got.mimeType}, registered ${wantMime}`);
    if (x.refMeta && !meta) fails.push(`${uid}: not in the ReferenceMetadata query response`);
    if (meta?.hash !== undefined) {
      const sha1 = createHash('sha1').update(got.bytes).digest('hex');
      if (sha1 !== meta.hash.toLowerCase()) fails.push(`${uid}: SHA-1 of returned bytes ${sha1}, registry hash ${meta.hash}`);
    }
    if (meta?.size !== undefined && String(got.bytes.length) !== meta.size) fails.push(`${uid}: returned ${got.bytes.length} bytes, registry size ${meta.size}`);
    const want = x.refDocs.get(uid);
    if (want && !want.equals(got.bytes)) fails.push(`${uid}: returned bytes (${got.bytes.length}) differ from the reference document (${want.length})`);
  }
  return fails;
}
