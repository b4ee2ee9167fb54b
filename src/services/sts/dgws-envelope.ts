/**
 * Client-side builders for DGWS requests (dk-nsp.md §1.1 request skeleton): wsse:Security with the ID
 * card, medcom:Header and the HSUID header, in SOAP 1.1 or 1.2. Used by the STS CLI, the demo and tests.
 */
import { randomUUID } from 'node:crypto';
import { escapeAttr, escapeText } from '../../xml/escape.js';
import { NS } from '../../security/namespaces.js';

function iso(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** wsse:Security holding a wsu:Timestamp and the signed ID card (the card string is inserted verbatim). */
export function buildDgwsSecurityHeader(idCardXml: string, created: Date = new Date()): string {
  return (
    `<wsse:Security xmlns:wsse="${NS.wsse}" xmlns:wsu="${NS.wsu}">` +
    `<wsu:Timestamp><wsu:Created>${iso(created)}</wsu:Created></wsu:Timestamp>` +
    idCardXml.replace(/^<\?xml[^>]*\?>\s*/, '') +
    '</wsse:Security>'
  );
}

export interface MedcomHeaderInput {
  securityLevel: number;
  messageId?: string;
  flowId?: string;
  requireNonRepudiationReceipt?: 'yes' | 'no';
}

export function buildMedcomRequestHeader(h: MedcomHeaderInput): string {
  return (
    `<medcom:Header xmlns:medcom="${NS.medcom}">` +
    `<medcom:SecurityLevel>${h.securityLevel}</medcom:SecurityLevel>` +
    '<medcom:Linking>' +
    (h.flowId ? `<medcom:FlowID>${escapeText(h.flowId)}</medcom:FlowID>` : '') +
    `<medcom:MessageID>${escapeText(h.messageId ?? randomUUID())}</medcom:MessageID>` +
    '</medcom:Linking>' +
    `<medcom:RequireNonRepudiationReceipt>${h.requireNonRepudiationReceipt ?? 'no'}</medcom:RequireNonRepudiationReceipt>` +
    '</medcom:Header>'
  );
}

export interface HsuidInput {
  userType: 'nsi:HealthcareProfessional' | 'nsi:Citizen';
  actingUserCpr?: string;
  responsibleUserCpr?: string;
  responsibleUserAuthorizationCode?: string;
  citizenCpr?: string;
  orgUsingId?: { id: string; format: 'nsi:sor' | 'nsi:skskode' | 'nsi:ynumber' };
  consentOverride?: boolean;
  systemName?: string;
  systemVersion?: string;
  systemOwnerName?: string;
  orgResponsibleName?: string;
  citizenUserRelation?: string;
  /** '2016' (default) or the older '2013' namespace still sent by KIH. */
  namespaceVersion?: '2016' | '2013';
}

/** The HSUID header (hsuid-1_1.xsd): Assertion id="HSUID" / AttributeStatement id="HSUIDdata". */
export function buildHsuidHeader(h: HsuidInput, issueInstant: Date = new Date()): string {
  const ns = h.namespaceVersion === '2013' ? NS.hsuid2013 : NS.hsuid2016;
  const attrs: string[] = [];
  const add = (name: string, value: string | undefined, format = 'nsi:sor'): void => {
    if (value === undefined) return;
    attrs.push(
      `<hsuid:Attribute Name="nsi:${name}" NameFormat="${escapeAttr(format)}"><hsuid:AttributeValue>${escapeText(value)}</hsuid:AttributeValue></hsuid:Attribute>`,
    );
  };
  add('UserType', h.userType);
  add('CitizenCivilRegistrationNumber', h.citizenCpr);
  add('ActingUserCivilRegistrationNumber', h.actingUserCpr);
  add('ResponsibleUserCivilRegistrationNumber', h.responsibleUserCpr);
  add('ResponsibleUserAuthorizationCode', h.responsibleUserAuthorizationCode);
  if (h.orgUsingId) add('OrgUsingID', h.orgUsingId.id, h.orgUsingId.format);
  add('ConsentOverride', h.consentOverride === undefined ? undefined : String(h.consentOverride));
  add('SystemOwnerName', h.systemOwnerName);
  add('SystemName', h.systemName);
  add('SystemVersion', h.systemVersion);
  add('OrgResponsibleName', h.orgResponsibleName);
  add('CitizenUserRelation', h.citizenUserRelation);
  return (
    `<hsuid:HsuidHeader xmlns:hsuid="${ns}">` +
    `<hsuid:Assertion id="HSUID" Version="1.1" IssueInstant="${iso(issueInstant)}">` +
    '<hsuid:Issuer>xdshub</hsuid:Issuer>' +
    `<hsuid:AttributeStatement id="HSUIDdata">${attrs.join('')}</hsuid:AttributeStatement>` +
    '</hsuid:Assertion></hsuid:HsuidHeader>'
  );
}

export interface DgwsEnvelopeInput {
  soapVersion?: '1.1' | '1.2';
  idCardXml: string;
  medcom: MedcomHeaderInput;
  hsuid?: HsuidInput;
  /** the Body's child, serialised. */
  bodyXml: string;
  /** WS-Addressing Action (SOAP 1.2 requests carry it; ITI TF-2x §V.3.2). */
  action?: string;
  extraHeadersXml?: string[];
  created?: Date;
}

/** A complete DGWS request envelope. */
export function buildDgwsEnvelope(i: DgwsEnvelopeInput): string {
  const soapNs = i.soapVersion === '1.2' ? NS.soap12 : NS.soap11;
  const wsa = i.action
    ? `<wsa:Action xmlns:wsa="${NS.wsa}">${escapeText(i.action)}</wsa:Action><wsa:MessageID xmlns:wsa="${NS.wsa}">urn:uuid:${randomUUID()}</wsa:MessageID>`
    : '';
  return (
    `<soap:Envelope xmlns:soap="${soapNs}"><soap:Header>` +
    wsa +
    buildDgwsSecurityHeader(i.idCardXml, i.created) +
    buildMedcomRequestHeader(i.medcom) +
    (i.hsuid ? buildHsuidHeader(i.hsuid) : '') +
    (i.extraHeadersXml ?? []).join('') +
    `</soap:Header><soap:Body>${i.bodyXml}</soap:Body></soap:Envelope>`
  );
}
