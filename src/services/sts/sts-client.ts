/**
 * Client side of the development STS: the WS-Trust Issue request for an ID card (Seal
 * `stslevel3request.xml` layout, the requested card in wst:Claims) and the header blocks a DGWS call
 * carries. The demo and the CLI use these; every call gets a fresh medcom MessageID (the hub refuses a
 * replayed one).
 */
import { randomUUID } from 'node:crypto';
import { NS } from '../../security/namespaces.js';
import { buildUnsignedIdCard, type IdCardSpec } from './id-card-issuer.js';
import { buildDgwsSecurityHeader, buildHsuidHeader, buildMedcomRequestHeader, type HsuidInput } from './dgws-envelope.js';

/** The SOAP 1.1 WS-Trust request asking the STS for a card like `spec`. */
export function buildIdCardRequest(spec: IdCardSpec): string {
  const claim = buildUnsignedIdCard(spec);
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

/** Asks the hub's development STS for an ID card; returns the signed saml:Assertion XML. */
export async function requestIdCard(baseUrl: string, spec: IdCardSpec): Promise<string> {
  const res = await fetch(`${baseUrl.replace(/\/$/, '')}/sts/services/NewSecurityTokenService`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/xml; charset=UTF-8', SOAPAction: '"Issue"' },
    body: buildIdCardRequest(spec),
  });
  const text = await res.text();
  const card = /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(text)?.[0];
  if (!res.ok || !card) throw new Error(`STS did not issue an ID card (HTTP ${res.status}): ${text.slice(0, 500)}`);
  return card;
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
