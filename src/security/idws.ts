/**
 * OIO IDWS (dk-nsp.md §1.8): a SAML 2.0 holder-of-key token issued by a trusted STS, sent with the
 * Liberty ID-WSF SOAP binding (sbf:Framework, WS-Addressing) and a WS-Security message signature made
 * with the holder-of-key key over Body, Timestamp, MessageID and Action (Seal
 * `LibertyMessageDOMEnhancer.java`). The key that checks the message signature is the certificate inside
 * the STS-signed token, never one from elsewhere in the message.
 */
import type { Element } from '@xmldom/xmldom';
import type { SoapRequest } from '../soap/types.js';
import { child, childrenNamed, type XmlElement } from '../xml/tree.js';
import { fail } from './faults.js';
import { HOLDER_OF_KEY, NS } from './namespaces.js';
import { childrenNS, firstChildNS, parseXml, textOf, toXmlElement } from './dom.js';
import { checkValidity } from './id-card.js';
import { verifyEnvelopedSignature, verifyMessageSignature } from './xml-signature.js';
import type { TrustStore } from './trust-store.js';

export interface IdwsToken {
  assertionId: string;
  issuer: string;
  nameId: string;
  notBefore?: Date;
  notOnOrAfter: Date;
  audiences: string[];
  holderOfKeyCertPem: string;
  authLevel: number;
  cpr?: string;
  cvr?: string;
  orgName?: string;
  name?: string;
  authorizationCode?: string;
  systemName?: string;
  role?: string;
}

export interface VerifiedIdws {
  token: IdwsToken;
  /** the signed wsa:MessageID (for replay detection). */
  messageId: string;
  action: string;
}

/** Attribute names of the older IDWS-H token and of OIO-SAML 3 / OIO-SAML-H (dk-nsp.md §1.8). */
const ATTR = {
  cpr: ['dk:gov:saml:attribute:CprNumberIdentifier', 'https://data.gov.dk/model/core/eid/cprNumber'],
  cvr: ['dk:gov:saml:attribute:CvrNumberIdentifier', 'https://data.gov.dk/model/core/eid/professional/cvr'],
  level: ['dk:gov:saml:attribute:AssuranceLevel'],
  loa: ['https://data.gov.dk/concept/core/nsis/loa'],
  orgName: ['urn:oid:2.5.4.10', 'https://data.gov.dk/model/core/eid/professional/orgName'],
  name: ['urn:oid:2.5.4.3', 'https://data.gov.dk/model/core/eid/fullName'],
  authorizationCode: ['dk:healthcare:saml:attribute:UserAuthorizationCode'],
  systemName: ['dk:healthcare:saml:attribute:ITSystemName'],
  role: ['dk:healthcare:saml:attribute:UserRole'],
};

/** NSIS level of assurance → NSP authentication level (Substantial ~ VOCES/level 3, High ~ MOCES/level 4). */
const LOA_LEVEL: Record<string, number> = { Low: 2, Substantial: 3, High: 4 };

export function isIdwsRequest(headers: readonly XmlElement[]): boolean {
  return headers.some((h) => h.ns === NS.sbf && h.name === 'Framework');
}

export function readIdwsToken(a: XmlElement): IdwsToken {
  if (a.ns !== NS.saml || a.name !== 'Assertion' || a.attrs.Version !== '2.0') throw fail('invalid_idcard', 'the IDWS token is not a SAML 2.0 assertion');
  const issuer = child(a, NS.saml, 'Issuer')?.text.trim();
  if (!issuer) throw fail('invalid_idcard', 'the IDWS token has no saml:Issuer');
  const subject = child(a, NS.saml, 'Subject');
  const nameId = subject ? child(subject, NS.saml, 'NameID')?.text.trim() : undefined;
  if (!subject || !nameId) throw fail('invalid_idcard', 'the IDWS token has no saml:Subject/saml:NameID');
  const hok = childrenNamed(subject, NS.saml, 'SubjectConfirmation').find((s) => s.attrs.Method === HOLDER_OF_KEY);
  const certText = hok
    ? child(hok, NS.saml, 'SubjectConfirmationData') &&
      child(child(hok, NS.saml, 'SubjectConfirmationData')!, NS.ds, 'KeyInfo')?.children
        .filter((c) => c.ns === NS.ds && c.name === 'X509Data')
        .flatMap((d) => d.children.filter((c) => c.ns === NS.ds && c.name === 'X509Certificate'))[0]?.text
    : undefined;
  if (!certText) throw fail('invalid_idcard', 'the IDWS token has no holder-of-key SubjectConfirmation with an X509 certificate');
  const b64 = certText.replace(/\s+/g, '');
  const conditions = child(a, NS.saml, 'Conditions');
  const nb = conditions?.attrs.NotBefore;
  const na = conditions?.attrs.NotOnOrAfter;
  if (!conditions || !na) throw fail('invalid_idcard', 'the IDWS token has no Conditions/@NotOnOrAfter');
  const audiences = childrenNamed(conditions, NS.saml, 'AudienceRestriction').flatMap((r) =>
    childrenNamed(r, NS.saml, 'Audience').map((x) => x.text.trim()),
  );
  const values = new Map<string, string>();
  for (const st of childrenNamed(a, NS.saml, 'AttributeStatement')) {
    for (const at of childrenNamed(st, NS.saml, 'Attribute')) {
      const name = at.attrs.Name ?? '';
      if (values.has(name)) throw fail('invalid_idcard', `IDWS attribute ${name} occurs more than once`);
      values.set(name, child(at, NS.saml, 'AttributeValue')?.text.trim() ?? '');
    }
  }
  const pick = (names: string[]): string | undefined => names.map((n) => values.get(n)).find((v) => !!v);
  let authLevel = 0;
  const lvl = pick(ATTR.level);
  const loa = pick(ATTR.loa);
  if (lvl && /^[1-5]$/.test(lvl)) authLevel = Number(lvl);
  else if (loa && LOA_LEVEL[loa]) authLevel = LOA_LEVEL[loa];
  else throw fail('invalid_idcard', 'the IDWS token states no assurance level (AssuranceLevel or NSIS loa)');
  const parse = (s: string): Date => {
    const d = new Date(s);
    if (Number.isNaN(d.getTime())) throw fail('invalid_idcard', `invalid time "${s}" in the IDWS token`);
    return d;
  };
  const cpr = pick(ATTR.cpr);
  if (cpr !== undefined && !/^\d{10}$/.test(cpr)) throw fail('invalid_idcard', `CPR attribute must be 10 digits, got "${cpr}"`);
  return {
    assertionId: a.attrs.ID ?? '',
    issuer,
    nameId,
    notBefore: nb ? parse(nb) : undefined,
    notOnOrAfter: parse(na),
    audiences,
    holderOfKeyCertPem: `-----BEGIN CERTIFICATE-----\n${b64.replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`,
    authLevel,
    cpr,
    cvr: pick(ATTR.cvr),
    orgName: pick(ATTR.orgName),
    name: pick(ATTR.name),
    authorizationCode: pick(ATTR.authorizationCode),
    systemName: pick(ATTR.systemName),
    role: pick(ATTR.role),
  };
}

function wsuId(el: Element): string | undefined {
  return el.getAttributeNS(NS.wsu, 'Id') || undefined;
}

export interface IdwsVerifierDeps {
  trust: TrustStore;
  clockSkewSeconds: number;
  trustedIssuers: readonly string[];
}

export function verifyIdwsRequest(req: SoapRequest, audience: string | undefined, deps: IdwsVerifierDeps, now: Date): VerifiedIdws {
  const xml = req.rawEnvelope.toString('utf8');
  const doc = parseXml(xml);
  const root = doc.documentElement!;
  const soapNs = root.namespaceURI ?? '';
  const header = childrenNS(root, soapNs, 'Header')[0];
  const body = childrenNS(root, soapNs, 'Body')[0];
  if (!header || !body) throw fail('syntax_error', 'the envelope needs a Header and a Body');
  const framework = childrenNS(header, NS.sbf, 'Framework');
  if (framework.length !== 1) throw fail('syntax_error', 'exactly one sbf:Framework header is required');
  if (framework[0].getAttribute('version') !== '2.0') throw fail('syntax_error', 'sbf:Framework version must be 2.0');
  const wsaOne = (name: string): Element => {
    const found = [...childrenNS(header, NS.wsa, name), ...childrenNS(header, NS.wsa2004, name)];
    if (found.length === 0) throw fail('missing_required_header', `wsa:${name} is required by the Liberty SOAP binding`);
    if (found.length > 1) throw fail('invalid_signature', `wsa:${name} occurs ${found.length} times`);
    return found[0];
  };
  const action = wsaOne('Action');
  const messageId = wsaOne('MessageID');
  const securities = childrenNS(header, NS.wsse, 'Security');
  if (securities.length === 0) throw fail('missing_required_header', 'wsse:Security is required');
  if (securities.length > 1) throw fail('invalid_signature', 'more than one wsse:Security header (signature wrapping)');
  const security = securities[0];
  const timestamp = childrenNS(security, NS.wsu, 'Timestamp');
  if (timestamp.length !== 1) throw fail('missing_required_header', 'wsse:Security must hold exactly one wsu:Timestamp');
  const assertions = childrenNS(security, NS.saml, 'Assertion');
  if (assertions.length === 0) throw fail('missing_required_header', 'wsse:Security carries no IDWS token (saml:Assertion)');
  if (assertions.length > 1) throw fail('invalid_signature', 'wsse:Security carries more than one saml:Assertion (signature wrapping)');

  // 1. the token: signed by a trusted STS, read from what that signature covers
  const verified = verifyEnvelopedSignature(assertions[0], root, deps.trust, now);
  const token = readIdwsToken(toXmlElement(parseXml(verified.signedXml).documentElement!));
  if (deps.trustedIssuers.length > 0 && !deps.trustedIssuers.includes(token.issuer)) {
    throw fail('invalid_idcard', `IDWS token issuer "${token.issuer}" is not a trusted STS`);
  }
  checkValidity(token.notBefore ?? new Date(0), token.notOnOrAfter, now, deps.clockSkewSeconds, 'IDWS token');
  if (audience && !token.audiences.includes(audience)) {
    throw fail('invalid_idcard', `the IDWS token is for audience ${token.audiences.join(', ') || '(none)'}, not ${audience}`);
  }

  // 2. the message: signed by the holder of the token's key over Body, Timestamp, MessageID, Action
  const msgSignatures = childrenNS(security, NS.ds, 'Signature');
  if (msgSignatures.length !== 1) throw fail('invalid_signature', `wsse:Security must hold exactly one message signature (found ${msgSignatures.length})`);
  const covered = verifyMessageSignature(msgSignatures[0], xml, root, token.holderOfKeyCertPem);
  const required: [string, Element][] = [
    ['soap:Body', body],
    ['wsu:Timestamp', timestamp[0]],
    ['wsa:MessageID', messageId],
    ['wsa:Action', action],
  ];
  for (const [what, el] of required) {
    const id = wsuId(el);
    if (!id || !covered.has(id)) throw fail('invalid_signature', `the message signature does not cover ${what}`);
  }

  // 3. the timestamp (signed, so trustworthy now)
  const created = firstChildNS(timestamp[0], NS.wsu, 'Created');
  const expires = firstChildNS(timestamp[0], NS.wsu, 'Expires');
  if (created) {
    const t = new Date(textOf(created).trim());
    if (Number.isNaN(t.getTime())) throw fail('syntax_error', 'wsu:Created is not a dateTime');
    if (t.getTime() > now.getTime() + deps.clockSkewSeconds * 1000) throw fail('expired_idcard', 'wsu:Timestamp/Created is in the future');
  }
  if (expires) {
    const t = new Date(textOf(expires).trim());
    if (Number.isNaN(t.getTime())) throw fail('syntax_error', 'wsu:Expires is not a dateTime');
    if (t.getTime() + deps.clockSkewSeconds * 1000 <= now.getTime()) throw fail('expired_idcard', 'the message timestamp has expired');
  }
  return { token, messageId: textOf(messageId).trim(), action: textOf(action).trim() };
}
