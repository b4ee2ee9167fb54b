/**
 * Client side of a SOSI STS (dk-nsp.md §1.8): the WS-Trust Issue request for an ID card (Seal
 * `stslevel3request.xml` layout, the requested card in wst:Claims, signed with the system's VOCES/FOCES
 * certificate for a level 3 card) and the header blocks a DGWS call carries. The demo, the CLI and the
 * repository's remote-registry client use these; every call gets a fresh medcom MessageID (the hub
 * refuses a replayed one).
 */
import { createHash, randomUUID, X509Certificate } from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import { NS } from '../../security/namespaces.js';
import { childElements, parseXml as parseDom, standaloneXml, toXmlElement } from '../../security/dom.js';
import { describeSoapFault, readSoapFault } from '../../soap/fault-reader.js';
import { buildUnsignedIdCard, signAssertion, type IdCardSpec } from './id-card-issuer.js';
import type { KeyAndCert } from './test-ca.js';
import { buildDgwsSecurityHeader, buildHsuidHeader, buildMedcomRequestHeader, type HsuidInput } from './dgws-envelope.js';

/** sosi:OCESCertHash of a certificate: base64 SHA-1 of its DER (Seal `stslevel3request.xml`). */
export function ocesCertHash(certPem: string): string {
  return createHash('sha1').update(new X509Certificate(certPem).raw).digest('base64');
}

/**
 * The SOAP 1.1 WS-Trust request asking the STS for a card like `spec`. With `signer` (the VOCES/FOCES
 * system or MOCES user certificate and key) the claimed card carries sosi:OCESCertHash and is signed
 * with it (enveloped, id="OCESSignature", dk-nsp.md §1.3), as a level 3/4 request must be.
 */
export function buildIdCardRequest(spec: IdCardSpec, signer?: KeyAndCert): string {
  const claim = signer
    ? signAssertion(buildUnsignedIdCard({ ...spec, ocesCertHash: spec.ocesCertHash ?? ocesCertHash(signer.certPem) }), signer, spec.signatureAlgorithm ?? 'rsa-sha1')
    : buildUnsignedIdCard(spec);
  return (
    `<soap:Envelope xmlns:soap="${NS.soap11}" xmlns:wst="${NS.wst2005}" xmlns:wsse="${NS.wsse}" xmlns:wsu="${NS.wsu}">` +
    `<soap:Header><wsse:Security><wsu:Timestamp><wsu:Created>${new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')}</wsu:Created></wsu:Timestamp></wsse:Security></soap:Header>` +
    '<soap:Body><wst:RequestSecurityToken Context="www.sosi.dk">' +
    '<wst:TokenType>urn:oasis:names:tc:SAML:2.0:assertion</wst:TokenType>' +
    `<wst:RequestType>${NS.wst2005}/Issue</wst:RequestType>` +
    `<wst:Claims>${claim}</wst:Claims>` +
    '</wst:RequestSecurityToken></soap:Body></soap:Envelope>'
  );
}

/** Why the STS gave no card: not reachable, a SOAP fault, or an answer without a card. */
export class StsError extends Error {
  constructor(
    readonly kind: 'unreachable' | 'refused' | 'bad-response',
    message: string,
  ) {
    super(message);
    this.name = 'StsError';
  }
}

export interface StsIssueOptions {
  /** signs the requested card (required by a real STS for level 3 and 4). */
  signer?: KeyAndCert;
  fetchImpl?: typeof fetch;
  /** gives up on the STS after this long (default 30 s). */
  timeoutMs?: number;
}

function causeOf(err: unknown): string {
  const e = err as Error & { cause?: { message?: string; code?: string } };
  const cause = e.cause?.code ?? e.cause?.message;
  return cause ? `${e.message} (${cause})` : e.message;
}

/** The first descendant (document order) matching `test`: RSTR or, in WS-Trust 1.3, RSTRC/RSTR. */
function findElement(el: Element, test: (e: Element) => boolean): Element | undefined {
  for (const c of childElements(el)) {
    if (test(c)) return c;
    const found = findElement(c, test);
    if (found) return found;
  }
  return undefined;
}

/**
 * Sends the WS-Trust Issue request to `stsUrl` (the full NewSecurityTokenService address) and returns the
 * issued saml:Assertion as standalone XML. The card is taken from the DOM, not cut out of the text: the
 * NSP STS declares saml:/ds: on its Envelope (`stslevel3response.xml`), so the extract gets the
 * declarations in scope, which exclusive c14n ignores, so the STS signature stays valid.
 */
export async function issueIdCardAt(stsUrl: string, spec: IdCardSpec, opts: StsIssueOptions = {}): Promise<string> {
  const fetchImpl = opts.fetchImpl ?? fetch;
  let status: number;
  let text: string;
  try {
    const res = await fetchImpl(stsUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'text/xml; charset=UTF-8', SOAPAction: '"Issue"' },
      body: buildIdCardRequest(spec, opts.signer),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
    });
    status = res.status;
    text = await res.text();
  } catch (err) {
    throw new StsError('unreachable', `STS ${stsUrl} not reachable: ${causeOf(err)}`);
  }
  let body: Element | undefined;
  try {
    const envelope = parseDom(text).documentElement!;
    body = childElements(envelope).find((e) => e.localName === 'Body' && (e.namespaceURI === NS.soap11 || e.namespaceURI === NS.soap12));
  } catch {
    body = undefined;
  }
  if (!body) throw new StsError('bad-response', `STS ${stsUrl} answered HTTP ${status} without a SOAP envelope: ${text.slice(0, 200)}`);
  const fault = readSoapFault(toXmlElement(body));
  if (fault) throw new StsError('refused', `STS ${stsUrl} refused to issue an ID card: ${describeSoapFault(fault)}`);
  const requested = findElement(body, (e) => e.localName === 'RequestedSecurityToken' && (e.namespaceURI === NS.wst2005 || e.namespaceURI === NS.wst));
  const card = requested ? childElements(requested).find((e) => e.namespaceURI === NS.saml && e.localName === 'Assertion') : undefined;
  if (status < 200 || status >= 300 || !card) {
    throw new StsError('bad-response', `STS ${stsUrl} answered HTTP ${status} without wst:RequestedSecurityToken/saml:Assertion`);
  }
  return standaloneXml(card);
}

/** Asks the hub's development STS for an ID card; returns the signed saml:Assertion XML. */
export async function requestIdCard(baseUrl: string, spec: IdCardSpec, opts: StsIssueOptions = {}): Promise<string> {
  return issueIdCardAt(`${baseUrl.replace(/\/$/, '')}/sts/services/NewSecurityTokenService`, spec, opts);
}

export interface DgwsHeaderOptions {
  securityLevel: number;
  hsuid?: HsuidInput;
  flowId?: string;
}

/** wsse:Security + medcom:Header (fresh MessageID) + optional HSUID header, ready for a SOAP Header. */
export function dgwsHeaderBlocks(idCardXml: string, opts: DgwsHeaderOptions): string[] {
  const blocks = [
    buildDgwsSecurityHeader(idCardXml),
    buildMedcomRequestHeader({ securityLevel: opts.securityLevel, messageId: randomUUID(), flowId: opts.flowId }),
  ];
  if (opts.hsuid) blocks.push(buildHsuidHeader(opts.hsuid));
  return blocks;
}
