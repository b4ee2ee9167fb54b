/**
 * OIO IDWS for development (dk-nsp.md §1.8): tokens as the NSP STS `Bst2Idws` exchange issues them (a
 * SAML 2.0 holder-of-key assertion for one audience, signed by the STS) and client requests with the
 * Liberty SOAP binding signed by the holder-of-key key over Framework, Action, MessageID, Timestamp and
 * Body (Seal `LibertyMessageDOMEnhancer.java`).
 */
import { randomUUID } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import { escapeAttr, escapeText } from '../../xml/escape.js';
import { ALG, HOLDER_OF_KEY, NS } from '../../security/namespaces.js';
import { certBase64, type KeyAndCert, type TestCa } from './test-ca.js';

export interface IdwsTokenSpec {
  audience: string;
  /** the certificate whose key signs the requests (holder-of-key). */
  holderOfKeyCertPem: string;
  /** NSIS level of assurance (default High) or a numeric AssuranceLevel. */
  loa?: 'Low' | 'Substantial' | 'High';
  assuranceLevel?: number;
  cpr?: string;
  name?: string;
  cvr?: string;
  orgName?: string;
  authorizationCode?: string;
  systemName?: string;
  role?: string;
  subjectNameId?: string;
  issuer?: string;
  now?: Date;
  notBefore?: Date;
  notOnOrAfter?: Date;
  signatureAlgorithm?: 'rsa-sha1' | 'rsa-sha256';
}

function iso(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const BASIC = 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic';

export function buildUnsignedIdwsToken(spec: IdwsTokenSpec, issuer: string): string {
  const now = spec.now ?? new Date();
  const nb = spec.notBefore ?? new Date(now.getTime() - 60_000);
  const na = spec.notOnOrAfter ?? new Date(now.getTime() + 8 * 3600_000);
  const attr = (name: string, value: string | undefined): string =>
    value === undefined ? '' : `<saml:Attribute Name="${escapeAttr(name)}" NameFormat="${BASIC}"><saml:AttributeValue>${escapeText(value)}</saml:AttributeValue></saml:Attribute>`;
  return (
    `<saml:Assertion xmlns:saml="${NS.saml}" xmlns:ds="${NS.ds}" ID="_${randomUUID()}" IssueInstant="${iso(now)}" Version="2.0">` +
    `<saml:Issuer>${escapeText(issuer)}</saml:Issuer>` +
    '<saml:Subject>' +
    `<saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">${escapeText(spec.subjectNameId ?? `urn:uuid:${randomUUID()}`)}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="${HOLDER_OF_KEY}"><saml:SubjectConfirmationData>` +
    `<ds:KeyInfo><ds:X509Data><ds:X509Certificate>${certBase64(spec.holderOfKeyCertPem)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>` +
    '</saml:SubjectConfirmationData></saml:SubjectConfirmation>' +
    '</saml:Subject>' +
    `<saml:Conditions NotBefore="${iso(nb)}" NotOnOrAfter="${iso(na)}"><saml:AudienceRestriction><saml:Audience>${escapeText(spec.audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${iso(now)}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:X509</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
    '<saml:AttributeStatement>' +
    attr('dk:gov:saml:attribute:SpecVer', 'DK-SAML-2.0') +
    (spec.assuranceLevel !== undefined
      ? attr('dk:gov:saml:attribute:AssuranceLevel', String(spec.assuranceLevel))
      : attr('https://data.gov.dk/concept/core/nsis/loa', spec.loa ?? 'High')) +
    attr('dk:gov:saml:attribute:CprNumberIdentifier', spec.cpr) +
    attr('urn:oid:2.5.4.3', spec.name) +
    attr('dk:gov:saml:attribute:CvrNumberIdentifier', spec.cvr) +
    attr('urn:oid:2.5.4.10', spec.orgName) +
    attr('dk:healthcare:saml:attribute:UserAuthorizationCode', spec.authorizationCode) +
    attr('dk:healthcare:saml:attribute:ITSystemName', spec.systemName) +
    attr('dk:healthcare:saml:attribute:UserRole', spec.role) +
    '</saml:AttributeStatement>' +
    '</saml:Assertion>'
  );
}

/** Signs an assertion SAML-style: the enveloped signature right after saml:Issuer. */
export function signSamlAssertion(xml: string, signer: KeyAndCert, algorithm: 'rsa-sha1' | 'rsa-sha256' = 'rsa-sha256'): string {
  const sha1 = algorithm === 'rsa-sha1';
  const sig = new SignedXml({
    privateKey: signer.keyPem,
    publicCert: signer.certPem,
    signatureAlgorithm: sha1 ? ALG.rsaSha1 : ALG.rsaSha256,
    canonicalizationAlgorithm: ALG.excC14n,
  });
  sig.addReference({ xpath: '/*', transforms: [ALG.enveloped, ALG.excC14n], digestAlgorithm: sha1 ? ALG.sha1 : ALG.sha256 });
  sig.computeSignature(xml, { prefix: 'ds', location: { reference: "/*/*[local-name(.)='Issuer']", action: 'after' } });
  return sig.getSignedXml();
}

/** An IDWS token from the test STS (what the `/sts/services/Bst2Idws` route returns). */
export function issueIdwsToken(ca: TestCa, spec: IdwsTokenSpec): string {
  return signSamlAssertion(buildUnsignedIdwsToken(spec, spec.issuer ?? ca.issuer), ca.sts, spec.signatureAlgorithm ?? 'rsa-sha256');
}

export interface IdwsEnvelopeInput {
  soapVersion?: '1.1' | '1.2';
  tokenXml: string;
  action: string;
  to?: string;
  messageId?: string;
  bodyXml: string;
  /** the holder-of-key key and certificate (the one named in the token). */
  holderOfKey: KeyAndCert;
  created?: Date;
  expiresInSeconds?: number;
  extraHeadersXml?: string[];
  /** wsu:Ids the signature covers (default all: sbf, action, messageID, to, ts, body); tests drop some. */
  signedParts?: string[];
}

/** A complete OIO IDWS request, signed by the holder of the key. */
export function buildIdwsEnvelope(i: IdwsEnvelopeInput): string {
  const soapNs = i.soapVersion === '1.1' ? NS.soap11 : NS.soap12;
  const created = i.created ?? new Date();
  const expires = new Date(created.getTime() + (i.expiresInSeconds ?? 300) * 1000);
  const assertionId = /\sID="([^"]+)"/.exec(i.tokenXml)?.[1] ?? '';
  const xml =
    `<soap:Envelope xmlns:soap="${soapNs}" xmlns:wsu="${NS.wsu}" xmlns:wsa="${NS.wsa}" xmlns:wsse="${NS.wsse}" xmlns:sbf="${NS.sbf}" xmlns:sbfprofile="${NS.sbfprofile}">` +
    '<soap:Header>' +
    '<sbf:Framework version="2.0" sbfprofile:profile="urn:liberty:sb:profile:basic" wsu:Id="sbf"/>' +
    `<wsa:Action wsu:Id="action">${escapeText(i.action)}</wsa:Action>` +
    `<wsa:MessageID wsu:Id="messageID">${escapeText(i.messageId ?? `urn:uuid:${randomUUID()}`)}</wsa:MessageID>` +
    (i.to ? `<wsa:To wsu:Id="to">${escapeText(i.to)}</wsa:To>` : '') +
    (i.extraHeadersXml ?? []).join('') +
    '<wsse:Security soap:mustUnderstand="1">' +
    `<wsu:Timestamp wsu:Id="ts"><wsu:Created>${iso(created)}</wsu:Created><wsu:Expires>${iso(expires)}</wsu:Expires></wsu:Timestamp>` +
    i.tokenXml.replace(/^<\?xml[^>]*\?>\s*/, '') +
    '</wsse:Security>' +
    '</soap:Header>' +
    `<soap:Body wsu:Id="body">${i.bodyXml}</soap:Body>` +
    '</soap:Envelope>';
  const sig = new SignedXml({
    privateKey: i.holderOfKey.keyPem,
    publicCert: i.holderOfKey.certPem,
    signatureAlgorithm: ALG.rsaSha256,
    canonicalizationAlgorithm: ALG.excC14n,
    idMode: 'wssecurity',
    getKeyInfoContent: () =>
      `<wsse:SecurityTokenReference xmlns:wsse="${NS.wsse}"><wsse:KeyIdentifier ValueType="http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLID">${escapeText(assertionId)}</wsse:KeyIdentifier></wsse:SecurityTokenReference>`,
  });
  const ids = i.signedParts ?? ['sbf', 'action', 'messageID', ...(i.to ? ['to'] : []), 'ts', 'body'];
  for (const id of ids) {
    sig.addReference({ xpath: `//*[@*[local-name(.)='Id']='${id}']`, transforms: [ALG.excC14n], digestAlgorithm: ALG.sha256 });
  }
  sig.computeSignature(xml, { prefix: 'ds', location: { reference: "//*[local-name(.)='Security']", action: 'append' } });
  return sig.getSignedXml();
}
