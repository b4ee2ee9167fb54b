/**
 * XML-DSig checks with xml-crypto 6.3.2 (dependencies.md §2) hardened against signature wrapping:
 * exactly one Signature and one SignedInfo, references only by same-document ID to the element the
 * caller will read, IDs unique in the whole message, a whitelist of algorithms, keys only from the trust
 * store (or, for IDWS, from the signed token), and the caller reads the canonical XML that was actually
 * digested (getSignedReferences), never the original nodes.
 */
import { SignedXml } from 'xml-crypto';
import type { Element } from '@xmldom/xmldom';
import { fail } from './faults.js';
import { ALG, NS } from './namespaces.js';
import { childElements, childrenNS, countId, firstChildNS, hasCommentOrPi, idOf, standaloneXml, textOf } from './dom.js';
import type { TrustedCertificate, TrustStore } from './trust-store.js';

const SIGNATURE_ALGORITHMS = new Set<string>([ALG.rsaSha1, ALG.rsaSha256, ALG.rsaSha512]);
const DIGEST_ALGORITHMS = new Set<string>([ALG.sha1, ALG.sha256, ALG.sha512]);

export interface SignedInfoSummary {
  signatureMethod: string;
  references: { uri: string; id: string; transforms: string[]; digestMethod: string }[];
}

/** Reads and checks the SignedInfo structure before any cryptography (cheap, precise fault messages). */
export function inspectSignedInfo(signature: Element, allowEnveloped: boolean): SignedInfoSummary {
  const signedInfos = childrenNS(signature, NS.ds, 'SignedInfo');
  if (signedInfos.length !== 1) throw fail('invalid_signature', `ds:Signature must hold exactly one ds:SignedInfo (found ${signedInfos.length})`);
  const si = signedInfos[0];
  const c14n = firstChildNS(si, NS.ds, 'CanonicalizationMethod')?.getAttribute('Algorithm');
  if (c14n !== ALG.excC14n) throw fail('invalid_signature', `unsupported CanonicalizationMethod ${c14n ?? '(none)'}; exclusive c14n is required`);
  const signatureMethod = firstChildNS(si, NS.ds, 'SignatureMethod')?.getAttribute('Algorithm') ?? '';
  if (!SIGNATURE_ALGORITHMS.has(signatureMethod)) throw fail('invalid_signature', `unsupported SignatureMethod ${signatureMethod || '(none)'}`);
  const references = childrenNS(si, NS.ds, 'Reference').map((ref) => {
    const uri = ref.getAttribute('URI') ?? '';
    if (!/^#[^'"#\s]+$/.test(uri)) throw fail('invalid_signature', `signature reference URI "${uri}" is not a same-document ID reference`);
    const transformsEl = firstChildNS(ref, NS.ds, 'Transforms');
    const transforms = transformsEl ? childrenNS(transformsEl, NS.ds, 'Transform').map((t) => t.getAttribute('Algorithm') ?? '') : [];
    for (const t of transforms) {
      if (t === ALG.excC14n) continue;
      if (t === ALG.enveloped && allowEnveloped) continue;
      throw fail('invalid_signature', `unsupported transform ${t || '(none)'} in reference ${uri}`);
    }
    const digestMethod = firstChildNS(ref, NS.ds, 'DigestMethod')?.getAttribute('Algorithm') ?? '';
    if (!DIGEST_ALGORITHMS.has(digestMethod)) throw fail('invalid_signature', `unsupported DigestMethod ${digestMethod || '(none)'}`);
    return { uri, id: uri.slice(1), transforms, digestMethod };
  });
  if (references.length === 0) throw fail('invalid_signature', 'ds:SignedInfo has no ds:Reference');
  return { signatureMethod, references };
}

/** The certificates carried in ds:KeyInfo/ds:X509Data (base64 DER). */
export function keyInfoCertificates(signature: Element): string[] {
  const keyInfo = firstChildNS(signature, NS.ds, 'KeyInfo');
  if (!keyInfo) return [];
  return childrenNS(keyInfo, NS.ds, 'X509Data').flatMap((d) =>
    childrenNS(d, NS.ds, 'X509Certificate').map((c) => textOf(c).replace(/\s+/g, '')),
  );
}

export function signatureValueOf(signature: Element): string {
  const sv = firstChildNS(signature, NS.ds, 'SignatureValue');
  if (!sv) throw fail('invalid_signature', 'ds:Signature has no ds:SignatureValue');
  return textOf(sv).replace(/\s+/g, '');
}

/** The local name (ID, Id or id) of the attribute carrying `id` on `el`. */
function idAttributeName(el: Element, id: string): string {
  for (const name of ['ID', 'Id', 'id']) {
    const attrs = el.attributes;
    for (let i = 0; i < attrs.length; i++) {
      const a = attrs.item(i)!;
      if ((a.localName ?? a.name) === name && a.value === id) return name;
    }
  }
  return 'id';
}

export interface VerifiedEnvelopedSignature {
  /** exclusive-c14n XML of the signed element without its signature: the only thing to read from. */
  signedXml: string;
  signatureValue: string;
  signatureMethod: string;
  certificate: TrustedCertificate;
}

/**
 * Verifies the enveloped signature of `target` (an ID card or IDWS token) against the trust store.
 * `root` is the document element of the message, for the duplicate-ID check.
 */
export function verifyEnvelopedSignature(target: Element, root: Element, trust: TrustStore, now: Date): VerifiedEnvelopedSignature {
  const signatures = childrenNS(target, NS.ds, 'Signature');
  if (signatures.length === 0) throw fail('invalid_signature', `${target.localName} is not signed`);
  if (signatures.length > 1) throw fail('invalid_signature', `${target.localName} carries ${signatures.length} signatures`);
  const signature = signatures[0];
  const info = inspectSignedInfo(signature, true);
  if (info.references.length !== 1) throw fail('invalid_signature', `the signature must have exactly one reference (found ${info.references.length})`);
  const ref = info.references[0];
  const ownIds = [...new Set(idOf(target))];
  if (ownIds.length !== 1 || ref.id !== ownIds[0]) {
    throw fail('invalid_signature', `the signature covers "${ref.uri}", not the ${target.localName} it is in`);
  }
  if (!ref.transforms.includes(ALG.enveloped)) throw fail('invalid_signature', 'an enveloped signature must use the enveloped-signature transform');
  const occurrences = countId(root, ref.id);
  if (occurrences !== 1) throw fail('invalid_signature', `ID "${ref.id}" occurs ${occurrences} times in the message (signature wrapping)`);
  if (hasCommentOrPi(target)) {
    throw fail('invalid_signature', `${target.localName} contains comments or processing instructions, which its signature does not cover`);
  }
  if (trust.certificates.length === 0) throw fail('invalid_certificate', 'no trusted STS certificate is configured');
  const offered = keyInfoCertificates(signature);
  let candidates: TrustedCertificate[] = [...trust.certificates];
  if (offered.length > 0) {
    const matched = offered.map((b64) => trust.byDerBase64(b64)).filter((c): c is TrustedCertificate => !!c);
    if (matched.length === 0) throw fail('invalid_certificate', 'the signing certificate is not a trusted STS certificate');
    candidates = matched;
  }
  const valid = candidates.filter((c) => c.notBefore <= now && now < c.notAfter);
  if (valid.length === 0) throw fail('invalid_certificate', `the STS certificate ${candidates[0].subject} is not valid at ${now.toISOString()}`);

  const standalone = standaloneXml(target);
  let lastError = 'signature value does not verify';
  for (const cert of valid) {
    const sx = new SignedXml({ publicCert: cert.pem, getCertFromKeyInfo: () => null });
    // xml-crypto looks the reference up once per ID attribute name with a slow XPath; the attribute in
    // use is known and the whole message was already checked for duplicates under every name (countId).
    sx.idAttributes = [idAttributeName(target, ref.id)];
    try {
      sx.loadSignature(signature as never);
      if (sx.checkSignature(standalone)) {
        const signed = sx.getSignedReferences();
        if (signed.length !== 1) throw fail('invalid_signature', 'unexpected number of signed references');
        return { signedXml: signed[0], signatureValue: signatureValueOf(signature), signatureMethod: info.signatureMethod, certificate: cert };
      }
      lastError = 'digest of the signed element does not match (content changed after signing)';
    } catch (e) {
      if ((e as { faultCode?: string }).faultCode) throw e;
      lastError = (e as Error).message.replace(/the signature value \S+ is incorrect/, 'the signature value is incorrect');
    }
  }
  throw fail('invalid_signature', `signature check failed: ${lastError}`);
}

/**
 * Verifies a detached WS-Security message signature (OIO IDWS, Liberty SOAP binding) with the key of
 * the holder-of-key certificate taken from the signed token. Returns the IDs the signature covers.
 */
export function verifyMessageSignature(signature: Element, envelopeXml: string, root: Element, publicCertPem: string): Set<string> {
  const info = inspectSignedInfo(signature, false);
  for (const ref of info.references) {
    const occurrences = countId(root, ref.id);
    if (occurrences !== 1) throw fail('invalid_signature', `ID "${ref.id}" occurs ${occurrences} times in the message (signature wrapping)`);
  }
  const sx = new SignedXml({ publicCert: publicCertPem, getCertFromKeyInfo: () => null });
  let ok = false;
  let why = 'digest of a signed element does not match (content changed after signing)';
  try {
    sx.loadSignature(signature as never);
    ok = sx.checkSignature(envelopeXml);
  } catch (e) {
    why = (e as Error).message.replace(/the signature value \S+ is incorrect/, 'the signature value is incorrect');
  }
  if (!ok) throw fail('invalid_signature', `message signature check failed: ${why}`);
  return new Set(info.references.map((r) => r.id));
}

/** Direct element children, re-exported for the token readers. */
export { childElements };
