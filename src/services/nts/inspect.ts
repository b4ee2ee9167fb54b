/**
 * NTS: examines any DGWS request and reports, check by check, what is right and what is wrong with it
 * (dk-nsp.md §1: envelope, wsse:Security, ID card signature and certificate, card attributes and
 * validity, medcom:Header, HSUID header, each security policy) plus the verdict the hub would give.
 * Checks continue after a failure wherever the later ones still mean something, so one call shows
 * every problem, not only the first.
 */
import type { Element } from '@xmldom/xmldom';
import type { SoapRequest } from '../../soap/types.js';
import { SoapFault } from '../../soap/types.js';
import { NS } from '../../security/namespaces.js';
import { childrenNS, envelopeWithoutBody, parseXml, toXmlElement } from '../../security/dom.js';
import { SecurityError, type DgwsFaultCode } from '../../security/faults.js';
import { findMedcomHeader, parseMedcomHeader } from '../../security/medcom-header.js';
import { findHsuidHeader, parseHsuidHeader } from '../../security/hsuid.js';
import { readIdCard, checkValidity, type IdCard } from '../../security/id-card.js';
import { verifyEnvelopedSignature, inspectSignedInfo } from '../../security/xml-signature.js';
import { createTrustStore } from '../../security/trust-store.js';
import { contextFromCard, createSecurityStack } from '../../security/security-stack.js';
import { enforcePolicy, type SecurityPolicies } from '../../security/policies.js';
import { soapRequestFromXml } from '../../security/soap-request-from-xml.js';
import { isIdwsRequest } from '../../security/idws.js';

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'info' | 'skip';

export interface NtsCheck {
  name: string;
  status: CheckStatus;
  message: string;
  faultCode?: DgwsFaultCode;
}

export interface NtsReport {
  /** 'accepted' or the DGWS fault code the hub would answer with. */
  verdict: 'accepted' | DgwsFaultCode;
  verdictMessage: string;
  soapVersion?: string;
  checks: NtsCheck[];
  /** The ID card as read (signed content when the signature verified). */
  idCard?: IdCard & { signatureVerified: boolean };
}

export interface NtsOptions {
  trustedCertificatesPem: string[];
  clockSkewSeconds: number;
  policies: SecurityPolicies;
  trustedIssuers?: string[];
  now?: () => Date;
}

function codeOf(e: unknown): DgwsFaultCode {
  return e instanceof SecurityError ? e.faultCode : 'processing_problem';
}

export async function inspectDgwsRequest(xml: string | Buffer, opts: NtsOptions, policyId?: string): Promise<NtsReport> {
  const now = (opts.now ?? (() => new Date()))();
  const checks: NtsCheck[] = [];
  const add = (name: string, status: CheckStatus, message: string, faultCode?: DgwsFaultCode): void => {
    checks.push(faultCode ? { name, status, message, faultCode } : { name, status, message });
  };
  const failWith = (name: string, e: unknown): void => add(name, 'fail', (e as Error).message, codeOf(e));

  let req: SoapRequest;
  try {
    req = soapRequestFromXml(xml, '/nts');
    add('envelope', 'pass', `well-formed SOAP ${req.version} envelope`);
  } catch (e) {
    failWith('envelope', e);
    return { verdict: codeOf(e), verdictMessage: (e as Error).message, checks };
  }

  // The verdict: exactly what the stack answers (a fresh stack, so no replay memory of earlier calls).
  const policyIds = Object.keys(opts.policies);
  const verdictPolicy = policyId ?? policyIds[0] ?? 'none';
  const stack = createSecurityStack({ ...opts, insecureDevelopment: false, now: () => now });
  let verdict: NtsReport['verdict'] = 'accepted';
  let verdictMessage = 'accepted';
  try {
    await stack.authenticate(req, verdictPolicy);
    verdictMessage = `accepted under policy ${verdictPolicy}`;
  } catch (e) {
    const code = /<medcom:FaultCode[^>]*>([^<]+)</.exec((e as SoapFault).detailXml ?? '')?.[1] as DgwsFaultCode | undefined;
    verdict = code ?? 'processing_problem';
    verdictMessage = (e as Error).message;
  }

  if (isIdwsRequest(req.headers)) {
    // OIO IDWS: one signature check covers token, audience and message; the stack's verdict says it all
    add('OIO IDWS', verdict === 'accepted' ? 'pass' : 'fail', verdict === 'accepted' ? 'token, audience and message signature verified' : verdictMessage, verdict === 'accepted' ? undefined : verdict);
    return { verdict, verdictMessage, soapVersion: req.version, checks };
  }

  const securities = req.headers.filter((h) => h.ns === NS.wsse && h.name === 'Security');
  if (securities.length === 1) add('wsse:Security', 'pass', 'one wsse:Security header');
  else add('wsse:Security', 'fail', `${securities.length} wsse:Security headers (exactly one is required)`, securities.length ? 'invalid_signature' : 'missing_required_header');
  const security = securities[0];
  const ts = security?.children.find((c) => c.ns === NS.wsu && c.name === 'Timestamp');
  const created = ts?.children.find((c) => c.ns === NS.wsu && c.name === 'Created')?.text.trim();
  if (security) add('wsu:Timestamp', created ? 'pass' : 'warn', created ? `Created ${created}` : 'no wsu:Timestamp/Created (DGWS samples always carry one)');

  // ID card: signature and certificate, then content
  let card: IdCard | undefined;
  let verified = false;
  const trust = createTrustStore(opts.trustedCertificatesPem);
  const doc = (() => {
    try {
      return parseXml(envelopeWithoutBody(req.rawEnvelope));
    } catch {
      return undefined;
    }
  })();
  const root = doc?.documentElement ?? undefined;
  const header = root ? childrenNS(root, root.namespaceURI ?? '', 'Header')[0] : undefined;
  const secDom = header ? childrenNS(header, NS.wsse, 'Security') : [];
  const assertions: Element[] = secDom.length === 1 ? childrenNS(secDom[0], NS.saml, 'Assertion') : [];
  if (security && assertions.length !== 1) {
    add('ID card', 'fail', assertions.length === 0 ? 'no saml:Assertion in wsse:Security' : `${assertions.length} assertions in wsse:Security`, assertions.length ? 'invalid_signature' : 'missing_required_header');
  }
  if (assertions.length === 1 && root) {
    const a = assertions[0];
    const sig = childrenNS(a, NS.ds, 'Signature')[0];
    if (sig) {
      try {
        const info = inspectSignedInfo(sig, true);
        add('signature structure', 'pass', `SignatureMethod ${info.signatureMethod}, reference ${info.references.map((r) => r.uri).join(', ')}`);
      } catch (e) {
        failWith('signature structure', e);
      }
    }
    try {
      const v = verifyEnvelopedSignature(a, root, trust, now);
      verified = true;
      add('signature', 'pass', `verified with trusted STS certificate ${v.certificate.subject}`);
      card = readIdCard(toXmlElement(parseXml(v.signedXml).documentElement!), ['1.0.1']);
    } catch (e) {
      failWith('signature', e);
    }
    if (!card) {
      try {
        card = readIdCard(toXmlElement(a), ['1.0.1', '1.0']);
        add('ID card content (unverified)', 'warn', 'read from the unsigned content for this report only');
      } catch (e) {
        failWith('ID card content', e);
      }
    }
    if (card) {
      add('ID card', 'pass', `${card.type} card, level ${card.authLevel}, version ${card.version}, issuer ${card.issuer}, subject ${card.nameId} (${card.nameIdFormat})`);
      if (card.version !== '1.0.1') add('sosi:IDCardVersion', 'fail', `version ${card.version}; 1.0.1 is required`, 'invalid_idcard');
      if (opts.trustedIssuers?.length && !opts.trustedIssuers.includes(card.issuer)) add('issuer', 'fail', `issuer ${card.issuer} is not trusted`, 'invalid_idcard');
      try {
        checkValidity(card.notBefore, card.notOnOrAfter, now, opts.clockSkewSeconds);
        add('validity', 'pass', `valid ${card.notBefore.toISOString()} – ${card.notOnOrAfter.toISOString()} (skew ${opts.clockSkewSeconds}s)`);
      } catch (e) {
        failWith('validity', e);
      }
    }
  }

  // medcom:Header
  const medcomEl = findMedcomHeader(req.headers);
  const medcom = medcomEl ? parseMedcomHeader(medcomEl) : undefined;
  if (!medcom) add('medcom:Header', 'fail', 'medcom:Header is missing', 'missing_required_header');
  else {
    if (medcom.messageId) add('medcom:MessageID', 'pass', medcom.messageId);
    else add('medcom:MessageID', 'fail', 'Linking/MessageID is missing', 'missing_required_header');
    add('medcom:FlowID', medcom.flowId ? 'pass' : 'info', medcom.flowId ?? 'no FlowID (optional)');
    if (medcom.securityLevelRaw !== undefined) add('medcom:SecurityLevel', 'fail', `"${medcom.securityLevelRaw}" is not 1..5`, 'syntax_error');
    else if (medcom.securityLevel === undefined) add('medcom:SecurityLevel', 'warn', 'no SecurityLevel');
    else if (card && medcom.securityLevel > card.authLevel) add('medcom:SecurityLevel', 'fail', `${medcom.securityLevel} exceeds the card level ${card.authLevel}`, 'security_level_failed');
    else add('medcom:SecurityLevel', 'pass', String(medcom.securityLevel));
  }

  // HSUID
  const hsuidEl = findHsuidHeader(req.headers);
  let hsuid: ReturnType<typeof parseHsuidHeader> | undefined;
  if (!hsuidEl) add('HSUID header', 'info', 'no HSUID header (required by read policies with system cards)');
  else {
    try {
      hsuid = parseHsuidHeader(hsuidEl);
      add('HSUID header', 'pass', `namespace ${hsuidEl.ns}; ${Object.entries(hsuid).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join(', ')}`);
      if (card?.user && hsuid.actingUserCpr && hsuid.actingUserCpr !== card.user.cpr) {
        add('HSUID acting user', 'fail', 'ActingUserCivilRegistrationNumber differs from the user card', 'not_authorized');
      }
    } catch (e) {
      failWith('HSUID header', e);
    }
  }

  // each policy
  if (card && verified) {
    const ctx = contextFromCard(card, hsuid, medcom);
    for (const id of policyIds) {
      try {
        enforcePolicy(opts.policies[id], ctx, !!hsuid);
        add(`policy ${id}`, 'pass', 'the card satisfies this policy');
      } catch (e) {
        failWith(`policy ${id}`, e);
      }
    }
  } else {
    for (const id of policyIds) add(`policy ${id}`, 'skip', 'no verified ID card');
  }

  return { verdict, verdictMessage, soapVersion: req.version, checks, idCard: card ? { ...card, signatureVerified: verified } : undefined };
}
