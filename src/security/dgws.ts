/**
 * DGWS 1.0.1 ID card verification (dk-nsp.md §1): the one saml:Assertion in the one wsse:Security
 * header, its enveloped signature checked against the trusted STS certificates, its attributes read
 * from the canonical XML that signature covers. Verified cards are cached by the digest of their
 * SignatureValue; a hit must also match the fingerprint of the whole assertion, so a valid
 * SignatureValue pasted onto altered content is a miss and gets the full check.
 */
import { createHash } from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import type { SoapRequest } from '../soap/types.js';
import { child, childrenNamed, type XmlElement } from '../xml/tree.js';
import { fail } from './faults.js';
import { NS } from './namespaces.js';
import { childrenNS, envelopeWithoutBody, firstChildNS, parseXml, toXmlElement } from './dom.js';
import { readIdCard, type IdCard } from './id-card.js';
import { verifyEnvelopedSignature } from './xml-signature.js';
import type { TrustStore } from './trust-store.js';
import type { ExpiringLru } from './expiring-lru.js';

export interface CachedCard {
  fingerprint: string;
  card: IdCard;
}

export interface DgwsVerifierDeps {
  trust: TrustStore;
  cache: ExpiringLru<CachedCard>;
  clockSkewSeconds: number;
  acceptedVersions: readonly string[];
  /** saml:Issuer values accepted on ID cards (empty = any issuer whose key is trusted). */
  trustedIssuers: readonly string[];
}

export interface VerifiedIdCard {
  card: IdCard;
  /** true when the card came from the verified-card cache (no signature check this time). */
  cached: boolean;
}

/** The one wsse:Security header block (none: missing_required_header; several: ambiguous, rejected). */
export function findSecurityHeader(headers: readonly XmlElement[]): XmlElement | undefined {
  const all = headers.filter((h) => h.ns === NS.wsse && h.name === 'Security');
  if (all.length > 1) throw fail('invalid_signature', `the message has ${all.length} wsse:Security headers (signature wrapping)`);
  return all[0];
}

const WSU_ID = `{${NS.wsu}}Id`;

/** How often an ID value occurs as ID/Id/id/wsu:Id in the parsed tree. */
export function countIdInTree(el: XmlElement, id: string): number {
  let n = 0;
  if (el.attrs.ID === id) n++;
  if (el.attrs.Id === id) n++;
  if (el.attrs.id === id) n++;
  if (el.nsAttrs[WSU_ID] === id) n++;
  for (const c of el.children) n += countIdInTree(c, id);
  return n;
}

/**
 * SHA-256 over an unambiguous serialisation of the parsed element (namespaces, names, attributes, text,
 * structure): every string is length-prefixed, so no content can imitate a boundary.
 */
export function fingerprint(el: XmlElement): string {
  return createHash('sha256').update(flatten(el)).digest('base64');
}

const lp = (v: string): string => `${v.length}:${v}`;

function flatten(e: XmlElement): string {
  let s = `<${lp(e.ns)}${lp(e.name)}`;
  for (const k in e.attrs) s += `a${lp(k)}${lp(e.attrs[k])}`;
  for (const k in e.nsAttrs) s += `n${lp(k)}${lp(e.nsAttrs[k])}`;
  s += `t${lp(e.text)}`;
  for (const c of e.children) s += flatten(c);
  return `${s}>`;
}

function signatureValueText(assertion: XmlElement): string | undefined {
  const sigs = childrenNamed(assertion, NS.ds, 'Signature');
  if (sigs.length !== 1) return undefined;
  const sv = child(sigs[0], NS.ds, 'SignatureValue');
  return sv?.text.replace(/\s+/g, '') || undefined;
}

/** Structural checks done on every request, cached or not (cheap, on the parsed tree). */
function structuralChecks(req: SoapRequest, security: XmlElement): XmlElement {
  const assertions = childrenNamed(security, NS.saml, 'Assertion');
  if (assertions.length === 0) throw fail('missing_required_header', 'wsse:Security carries no ID card (saml:Assertion)');
  if (assertions.length > 1) throw fail('invalid_signature', `wsse:Security carries ${assertions.length} saml:Assertion elements (signature wrapping)`);
  const assertion = assertions[0];
  const id = assertion.attrs.id ?? assertion.attrs.ID ?? assertion.attrs.Id;
  if (id) {
    const total = req.headers.reduce((n, h) => n + countIdInTree(h, id), 0) + countIdInTree(req.body, id);
    if (total > 1) throw fail('invalid_signature', `ID "${id}" occurs ${total} times in the message (signature wrapping)`);
  }
  return assertion;
}

export function verifyDgwsIdCard(req: SoapRequest, security: XmlElement, deps: DgwsVerifierDeps, now: Date): VerifiedIdCard {
  const assertion = structuralChecks(req, security);
  const sv = signatureValueText(assertion);
  const key = sv ? createHash('sha256').update(sv).digest('base64') : undefined;
  const print = fingerprint(assertion);
  if (key) {
    const hit = deps.cache.get(key);
    if (hit && hit.fingerprint === print) return { card: hit.card, cached: true };
  }

  // Cold path: the signature over the card, on the envelope as received (header part only).
  const doc = parseXml(envelopeWithoutBody(req.rawEnvelope));
  const root = doc.documentElement!;
  const header = childrenNS(root, root.namespaceURI ?? '', 'Header')[0];
  const securityDom = header ? childrenNS(header, NS.wsse, 'Security') : [];
  if (securityDom.length !== 1) throw fail('invalid_signature', 'the wsse:Security header could not be located in the envelope as received');
  const assertionsDom = childrenNS(securityDom[0], NS.saml, 'Assertion');
  if (assertionsDom.length !== 1) throw fail('invalid_signature', 'the ID card could not be located in the envelope as received');
  const target: Element = assertionsDom[0];
  const verified = verifyEnvelopedSignature(target, root, deps.trust, now);
  const signedRoot = parseXml(verified.signedXml).documentElement!;
  if (firstChildNS(signedRoot, NS.ds, 'Signature')) throw fail('invalid_signature', 'the signed content still contains its signature');
  const card = readIdCard(toXmlElement(signedRoot), deps.acceptedVersions);
  if (deps.trustedIssuers.length > 0 && !deps.trustedIssuers.includes(card.issuer)) {
    throw fail('invalid_idcard', `ID card issuer "${card.issuer}" is not a trusted STS (trusted: ${deps.trustedIssuers.join(', ')})`);
  }
  if (key) {
    const until = Math.min(card.notOnOrAfter.getTime() + deps.clockSkewSeconds * 1000, verified.certificate.notAfter.getTime());
    deps.cache.set(key, { fingerprint: print, card }, until);
  }
  return { card, cached: false };
}
