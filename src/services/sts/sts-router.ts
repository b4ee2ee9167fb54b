/**
 * The development STS (dk-nsp.md §1.8) as an express router:
 * - POST /sts/services/NewSecurityTokenService: WS-Trust Issue (Seal `stslevel3request.xml`): the
 *   requested ID card travels in wst:Claims; the STS answers RequestSecurityTokenResponse with the card
 *   re-issued and signed by its own key (`stslevel3response.xml`).
 * - POST /sts/services/Bst2Idws: WS-Trust 1.3 Issue with wst14:ActAs holding an ID card this STS issued,
 *   wsp:AppliesTo naming the audience and wst:UseKey the holder-of-key certificate; answers an OIO IDWS
 *   token for that audience.
 * - GET /sts/certificate: the STS signing certificate (PEM), for XDS_TRUSTED_STS_CERTS.
 * It issues cards to whoever asks, so it is a development tool: mount it only when explicitly enabled.
 */
import express, { type Request, type Response, type Router } from 'express';
import { X509Certificate } from 'node:crypto';
import { SoapFault, type SoapVersion } from '../../soap/types.js';
import { faultEnvelope } from '../../soap/fault.js';
import { responseEnvelope, soapContentType } from '../../soap/response.js';
import { child, childrenNamed, descendants, type XmlElement } from '../../xml/tree.js';
import { NS } from '../../security/namespaces.js';
import { escapeAttr, escapeText } from '../../xml/escape.js';
import type { Element } from '@xmldom/xmldom';
import { childrenNS, parseXml, toXmlElement } from '../../security/dom.js';
import { readIdCard, checkValidity } from '../../security/id-card.js';
import { soapRequestFromXml } from '../../security/soap-request-from-xml.js';
import { keyInfoCertificates, verifyEnvelopedSignature } from '../../security/xml-signature.js';
import { createTrustStore } from '../../security/trust-store.js';
import { SecurityError } from '../../security/faults.js';
import { issueIdCard, type CareProviderType, type IdCardSpec } from './id-card-issuer.js';
import { issueIdwsToken } from './idws-issuer.js';
import type { TestCa } from './test-ca.js';

export interface StsRouterOptions {
  ca: TestCa;
  now?: () => Date;
  /** lifetime of issued ID cards (default 24 h, Seal's maximum). */
  cardLifetimeSeconds?: number;
  /** lifetime of IDWS tokens (default 8 h). */
  idwsLifetimeSeconds?: number;
  /** accept ID card requests whose claims are not signed by a certificate of the test CA (default true). */
  allowUnsignedRequests?: boolean;
  maxRequestBytes?: number;
}

const TRUST_2005 = NS.wst2005;
const WST13 = NS.wst;

class StsFault extends SoapFault {
  constructor(code: 'InvalidRequest' | 'FailedAuthentication' | 'RequestFailed', reason: string, ns: string = TRUST_2005) {
    super('Sender', reason, { ns, name: code }, undefined, 500);
  }
}

function text(el: XmlElement | undefined): string | undefined {
  const t = el?.text.trim();
  return t ? t : undefined;
}

/** Reads the requested card from wst:Claims (a DGWS ID card template, dk-nsp.md §1.8). */
function specFromClaims(claim: XmlElement): IdCardSpec {
  const attrs = new Map<string, { value: string; format?: string }>();
  for (const st of childrenNamed(claim, NS.saml, 'AttributeStatement')) {
    for (const a of childrenNamed(st, NS.saml, 'Attribute')) {
      attrs.set(a.attrs.Name ?? '', { value: text(child(a, NS.saml, 'AttributeValue')) ?? '', format: a.attrs.NameFormat });
    }
  }
  const v = (n: string): string | undefined => attrs.get(n)?.value || undefined;
  const type = v('sosi:IDCardType');
  if (type !== 'user' && type !== 'system') throw new StsFault('InvalidRequest', 'sosi:IDCardType must be user or system');
  const level = Number(v('sosi:AuthenticationLevel') ?? (type === 'user' ? 4 : 3));
  if (!Number.isInteger(level) || level < 1 || level > (type === 'user' ? 4 : 3)) throw new StsFault('InvalidRequest', `AuthenticationLevel ${level} cannot be issued for a ${type} card`);
  const systemName = v('medcom:ITSystemName');
  const cp = attrs.get('medcom:CareProviderID');
  if (!systemName || !cp?.value) throw new StsFault('InvalidRequest', 'medcom:ITSystemName and medcom:CareProviderID are required');
  const cpType = (cp.format ?? 'medcom:cvrnumber').replace(/^medcom:/, '') as CareProviderType;
  if (!['cvrnumber', 'skscode', 'ynumber', 'pnumber'].includes(cpType)) throw new StsFault('InvalidRequest', `unsupported CareProviderID NameFormat ${cp.format}`);
  const cpr = v('medcom:UserCivilRegistrationNumber');
  if (type === 'user' && !(cpr && /^\d{10}$/.test(cpr))) throw new StsFault('InvalidRequest', 'a user card needs medcom:UserCivilRegistrationNumber (10 digits)');
  return {
    type,
    level,
    cpr,
    givenName: v('medcom:UserGivenName'),
    surName: v('medcom:UserSurName'),
    email: v('medcom:UserEmailAddress'),
    role: v('medcom:UserRole'),
    occupation: v('medcom:UserOccupation'),
    authorizationCode: v('medcom:UserAuthorizationCode'),
    systemName,
    careProvider: { type: cpType, id: cp.value, name: v('medcom:CareProviderName') ?? systemName },
  };
}

export function createStsRouter(opts: StsRouterOptions): Router {
  const router = express.Router();
  const now = opts.now ?? (() => new Date());
  const ownTrust = createTrustStore([opts.ca.sts.certPem]);
  const caCert = new X509Certificate(opts.ca.ca.certPem);
  const parseBody = express.text({ type: () => true, limit: opts.maxRequestBytes ?? 1024 * 1024 });

  function send(res: Response, version: SoapVersion, action: string, bodyXml: string, relatesTo?: string): void {
    res.status(200).type(soapContentType(version, action)).send(responseEnvelope(version, { action, bodyXml, relatesTo }));
  }
  function sendFault(res: Response, version: SoapVersion, err: unknown): void {
    const fault =
      err instanceof SoapFault ? err
      : err instanceof SecurityError ? new StsFault(err.faultCode === 'syntax_error' ? 'InvalidRequest' : 'FailedAuthentication', err.message)
      : new StsFault('RequestFailed', (err as Error).message);
    res.status(fault.httpStatus ?? 500).type(soapContentType(version)).send(faultEnvelope(fault, version));
  }

  /** Client-signed claims must be signed by a certificate the test CA issued (OCES in production). */
  function checkClaimSignature(claim: Element, root: Element): void {
    const sig = childrenNS(claim, NS.ds, 'Signature')[0];
    if (!sig) {
      if (opts.allowUnsignedRequests ?? true) return;
      throw new StsFault('FailedAuthentication', 'the requested ID card must be signed by the client certificate');
    }
    const certB64 = keyInfoCertificates(sig)[0];
    if (!certB64) throw new StsFault('FailedAuthentication', 'the client signature carries no certificate');
    const pem = `-----BEGIN CERTIFICATE-----\n${certB64.replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;
    const cert = new X509Certificate(pem);
    if (!cert.checkIssued(caCert) || !cert.verify(caCert.publicKey)) throw new StsFault('FailedAuthentication', 'the client certificate is not issued by the test CA');
    verifyEnvelopedSignature(claim, root, createTrustStore([pem]), now());
  }

  router.get('/sts/certificate', (_req, res) => {
    res.type('application/x-pem-file').send(opts.ca.sts.certPem);
  });

  router.post('/sts/services/NewSecurityTokenService', parseBody, (req: Request, res: Response) => {
    let version: SoapVersion = '1.1';
    try {
      const soap = soapRequestFromXml(String(req.body ?? ''), req.path);
      version = soap.version;
      const rst = soap.body;
      if (rst.name !== 'RequestSecurityToken' || (rst.ns !== TRUST_2005 && rst.ns !== WST13)) throw new StsFault('InvalidRequest', 'the body must be wst:RequestSecurityToken');
      const claims = child(rst, rst.ns, 'Claims');
      const claim = claims && child(claims, NS.saml, 'Assertion');
      if (!claim) throw new StsFault('InvalidRequest', 'wst:Claims must hold the requested ID card (saml:Assertion)');
      const doc = parseXml(String(req.body));
      const claimDom = doc.getElementsByTagNameNS(NS.saml, 'Assertion')[0];
      if (claimDom) checkClaimSignature(claimDom, doc.documentElement!);
      const at = now();
      const spec = specFromClaims(claim);
      const card = issueIdCard(opts.ca, {
        ...spec,
        now: at,
        notBefore: new Date(at.getTime() - 5 * 60_000),
        notOnOrAfter: new Date(at.getTime() + (opts.cardLifetimeSeconds ?? 24 * 3600) * 1000),
      });
      const ctx = escapeAttr(rst.attrs.Context ?? 'www.sosi.dk');
      const body =
        `<wst:RequestSecurityTokenResponse xmlns:wst="${rst.ns}" xmlns:wsa="${NS.wsa2004}" Context="${ctx}">` +
        '<wst:TokenType>urn:oasis:names:tc:SAML:2.0:assertion</wst:TokenType>' +
        `<wst:RequestedSecurityToken>${card}</wst:RequestedSecurityToken>` +
        `<wst:Status><wst:Code>${rst.ns}/status/valid</wst:Code></wst:Status>` +
        `<wst:Issuer><wsa:Address>${opts.ca.issuer}</wsa:Address></wst:Issuer>` +
        '</wst:RequestSecurityTokenResponse>';
      send(res, version, `${rst.ns}/RSTR/Issue`, body, soap.addressing.messageId);
    } catch (err) {
      sendFault(res, version, err);
    }
  });

  router.post('/sts/services/Bst2Idws', parseBody, (req: Request, res: Response) => {
    let version: SoapVersion = '1.1';
    try {
      const raw = String(req.body ?? '');
      const soap = soapRequestFromXml(raw, req.path);
      version = soap.version;
      const rst = soap.body;
      if (rst.name !== 'RequestSecurityToken' || rst.ns !== WST13) throw new StsFault('InvalidRequest', 'the body must be WS-Trust 1.3 wst:RequestSecurityToken', WST13);
      const actAs = child(rst, NS.wst14, 'ActAs');
      if (!actAs || !child(actAs, NS.saml, 'Assertion')) throw new StsFault('InvalidRequest', 'wst14:ActAs must hold the ID card to exchange', WST13);
      const audience = text(descendants(rst, NS.wsa, 'Address')[0]);
      if (!audience) throw new StsFault('InvalidRequest', 'wsp:AppliesTo/wsa:EndpointReference/wsa:Address must name the audience', WST13);
      const useKey = child(rst, WST13, 'UseKey');
      const hokB64 = useKey ? descendants(useKey, NS.ds, 'X509Certificate')[0]?.text.replace(/\s+/g, '') : undefined;
      if (!hokB64) throw new StsFault('InvalidRequest', 'wst:UseKey must carry the holder-of-key X509 certificate', WST13);
      const hokPem = `-----BEGIN CERTIFICATE-----\n${hokB64.replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;
      new X509Certificate(hokPem);
      // the ID card must be one this STS issued and still valid
      const doc = parseXml(raw);
      const assertionDom = doc.getElementsByTagNameNS(NS.saml, 'Assertion')[0];
      if (!assertionDom) throw new StsFault('InvalidRequest', 'no ID card found', WST13);
      const at = now();
      const verified = verifyEnvelopedSignature(assertionDom, doc.documentElement!, ownTrust, at);
      const card = readIdCard(toXmlElement(parseXml(verified.signedXml).documentElement!));
      checkValidity(card.notBefore, card.notOnOrAfter, at, 300);
      const token = issueIdwsToken(opts.ca, {
        audience,
        holderOfKeyCertPem: hokPem,
        assuranceLevel: card.authLevel,
        cpr: card.user?.cpr,
        name: card.user ? [card.user.givenName, card.user.surName].filter(Boolean).join(' ') || undefined : undefined,
        cvr: card.careProvider.type === 'cvrnumber' ? card.careProvider.id : undefined,
        orgName: card.careProvider.name,
        authorizationCode: card.user?.authorizationCode,
        systemName: card.systemName,
        role: card.user?.role,
        now: at,
        notOnOrAfter: new Date(Math.min(card.notOnOrAfter.getTime(), at.getTime() + (opts.idwsLifetimeSeconds ?? 8 * 3600) * 1000)),
      });
      const body =
        `<wst:RequestSecurityTokenResponseCollection xmlns:wst="${WST13}" xmlns:wsp="${NS.wsp}" xmlns:wsa="${NS.wsa}"><wst:RequestSecurityTokenResponse>` +
        '<wst:TokenType>http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV2.0</wst:TokenType>' +
        `<wst:RequestedSecurityToken>${token}</wst:RequestedSecurityToken>` +
        `<wsp:AppliesTo><wsa:EndpointReference><wsa:Address>${escapeText(audience)}</wsa:Address></wsa:EndpointReference></wsp:AppliesTo>` +
        '</wst:RequestSecurityTokenResponse></wst:RequestSecurityTokenResponseCollection>';
      send(res, version, `${WST13}/RSTRC/IssueFinal`, body, soap.addressing.messageId);
    } catch (err) {
      sendFault(res, version, err);
    }
  });

  return router;
}
