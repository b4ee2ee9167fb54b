/**
 * Builds and signs DGWS 1.0.1 ID cards exactly as the NSP STS does (dk-nsp.md §1.1–1.3; Seal
 * `IDCard.java`, trifork/dgws SecurityHeader1.xml): saml:Assertion id="IDCard" with the IDCardData,
 * UserLog (user cards) and SystemLog attribute statements, and an enveloped ds:Signature
 * id="OCESSignature" over #IDCard (enveloped-signature + exc-c14n, X509 KeyInfo).
 */
import { randomBytes } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import { escapeAttr, escapeText } from '../../xml/escape.js';
import { ALG, NS, HOLDER_OF_KEY } from '../../security/namespaces.js';
import type { KeyAndCert, TestCa } from './test-ca.js';

export type CareProviderType = 'cvrnumber' | 'skscode' | 'ynumber' | 'pnumber';
export type SignatureAlgorithmName = 'rsa-sha1' | 'rsa-sha256';

export interface IdCardSpec {
  type: 'user' | 'system';
  /** sosi:AuthenticationLevel; default 4 for user cards, 3 for system cards (dk-nsp.md §1.2). */
  level?: number;
  /** user cards: the person's CPR number (medcom:UserCivilRegistrationNumber and NameID). */
  cpr?: string;
  givenName?: string;
  surName?: string;
  email?: string;
  role?: string;
  occupation?: string;
  authorizationCode?: string;
  systemName: string;
  careProvider: { type: CareProviderType; id: string; name: string };
  issuer?: string;
  idCardId?: string;
  version?: string;
  /** default: now - 5 min (Seal backdates for clock skew). */
  notBefore?: Date;
  /** default: notBefore + 24 h (Seal's maximum card life). */
  notOnOrAfter?: Date;
  now?: Date;
  signatureAlgorithm?: SignatureAlgorithmName;
  /** overrides the NameID Format (tests of malformed cards). */
  nameIdFormat?: string;
  /**
   * sosi:OCESCertHash: base64 SHA-1 of the certificate that signs the card request (Seal
   * `stslevel3request.xml`: level 3/4 requests carry the hash of the VOCES/MOCES certificate).
   */
  ocesCertHash?: string;
  /** extra raw XML appended to the IDCardData statement (tests). */
  extraIdCardDataXml?: string;
}

function iso(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function attribute(name: string, value: string, nameFormat?: string): string {
  const nf = nameFormat ? ` NameFormat="${escapeAttr(nameFormat)}"` : '';
  return `<saml:Attribute Name="${escapeAttr(name)}"${nf}><saml:AttributeValue>${escapeText(value)}</saml:AttributeValue></saml:Attribute>`;
}

/** The unsigned ID card assertion (self-contained: it declares every prefix it uses). */
export function buildUnsignedIdCard(spec: IdCardSpec): string {
  const now = spec.now ?? new Date();
  const notBefore = spec.notBefore ?? new Date(now.getTime() - 5 * 60_000);
  const notOnOrAfter = spec.notOnOrAfter ?? new Date(notBefore.getTime() + 24 * 3600_000);
  const level = spec.level ?? (spec.type === 'user' ? 4 : 3);
  const isUser = spec.type === 'user';
  if (isUser && !spec.cpr) throw new Error('a user ID card needs a CPR number');
  const nameIdFormat = spec.nameIdFormat ?? (isUser ? 'medcom:cprnumber' : 'medcom:itsystemname');
  const nameId = isUser ? spec.cpr! : spec.systemName;
  const parts: string[] = [
    `<saml:Assertion xmlns:saml="${NS.saml}" xmlns:ds="${NS.ds}" IssueInstant="${iso(notBefore)}" Version="2.0" id="IDCard">`,
    `<saml:Issuer>${escapeText(spec.issuer ?? 'XDS-HUB-TEST-STS')}</saml:Issuer>`,
    '<saml:Subject>',
    `<saml:NameID Format="${escapeAttr(nameIdFormat)}">${escapeText(nameId)}</saml:NameID>`,
    '<saml:SubjectConfirmation>',
    `<saml:ConfirmationMethod>${HOLDER_OF_KEY}</saml:ConfirmationMethod>`,
    '<saml:SubjectConfirmationData><ds:KeyInfo><ds:KeyName>OCESSignature</ds:KeyName></ds:KeyInfo></saml:SubjectConfirmationData>',
    '</saml:SubjectConfirmation>',
    '</saml:Subject>',
    `<saml:Conditions NotBefore="${iso(notBefore)}" NotOnOrAfter="${iso(notOnOrAfter)}"/>`,
    '<saml:AttributeStatement id="IDCardData">',
    attribute('sosi:IDCardID', spec.idCardId ?? randomBytes(16).toString('base64')),
    attribute('sosi:IDCardVersion', spec.version ?? '1.0.1'),
    attribute('sosi:IDCardType', spec.type),
    attribute('sosi:AuthenticationLevel', String(level)),
    spec.ocesCertHash ? attribute('sosi:OCESCertHash', spec.ocesCertHash) : '',
    spec.extraIdCardDataXml ?? '',
    '</saml:AttributeStatement>',
  ];
  if (isUser) {
    parts.push('<saml:AttributeStatement id="UserLog">');
    parts.push(attribute('medcom:UserCivilRegistrationNumber', spec.cpr!));
    if (spec.givenName) parts.push(attribute('medcom:UserGivenName', spec.givenName));
    if (spec.surName) parts.push(attribute('medcom:UserSurName', spec.surName));
    if (spec.email) parts.push(attribute('medcom:UserEmailAddress', spec.email));
    if (spec.role) parts.push(attribute('medcom:UserRole', spec.role));
    if (spec.occupation) parts.push(attribute('medcom:UserOccupation', spec.occupation));
    if (spec.authorizationCode) parts.push(attribute('medcom:UserAuthorizationCode', spec.authorizationCode));
    parts.push('</saml:AttributeStatement>');
  }
  parts.push('<saml:AttributeStatement id="SystemLog">');
  parts.push(attribute('medcom:ITSystemName', spec.systemName));
  parts.push(attribute('medcom:CareProviderID', spec.careProvider.id, `medcom:${spec.careProvider.type}`));
  parts.push(attribute('medcom:CareProviderName', spec.careProvider.name));
  parts.push('</saml:AttributeStatement>');
  parts.push('</saml:Assertion>');
  return parts.join('');
}

const SIG_ALG: Record<SignatureAlgorithmName, { sig: string; digest: string }> = {
  'rsa-sha1': { sig: ALG.rsaSha1, digest: ALG.sha1 },
  'rsa-sha256': { sig: ALG.rsaSha256, digest: ALG.sha256 },
};

/**
 * Signs the root element of `xml` (an assertion with an id/ID attribute) with an enveloped signature
 * appended as its last child, the DGWS layout. Also used by tests to sign with untrusted keys.
 */
export function signAssertion(
  xml: string,
  signer: KeyAndCert,
  algorithm: SignatureAlgorithmName = 'rsa-sha1',
  signatureId = 'OCESSignature',
): string {
  const alg = SIG_ALG[algorithm];
  const sig = new SignedXml({
    privateKey: signer.keyPem,
    publicCert: signer.certPem,
    signatureAlgorithm: alg.sig,
    canonicalizationAlgorithm: ALG.excC14n,
  });
  sig.addReference({ xpath: '/*', transforms: [ALG.enveloped, ALG.excC14n], digestAlgorithm: alg.digest });
  sig.computeSignature(xml, {
    prefix: 'ds',
    attrs: signatureId ? { id: signatureId } : {},
    location: { reference: '/*', action: 'append' },
  });
  return sig.getSignedXml();
}

/** Issues a signed ID card from the test STS (what `/sts/services/NewSecurityTokenService` returns). */
export function issueIdCard(ca: TestCa, spec: IdCardSpec): string {
  return signAssertion(buildUnsignedIdCard({ issuer: ca.issuer, ...spec }), ca.sts, spec.signatureAlgorithm ?? 'rsa-sha1');
}
