/**
 * medcom:Header (DGWS 1.0.1, medcom.xsd; dk-nsp.md §1.4): SecurityLevel?, TimeOut?, Linking(FlowID?,
 * MessageID, InResponseToMessageID?), FlowStatus?, Priority?, RequireNonRepudiationReceipt?.
 */
import { randomUUID } from 'node:crypto';
import { child, type XmlElement } from '../xml/tree.js';
import { escapeText } from '../xml/escape.js';
import { NS } from './namespaces.js';

export interface MedcomHeader {
  securityLevel?: number;
  /** the raw text when SecurityLevel is present but not an integer 1..5 */
  securityLevelRaw?: string;
  flowId?: string;
  messageId?: string;
  inResponseToMessageId?: string;
  requireNonRepudiationReceipt?: string;
  hasLinking: boolean;
}

export function findMedcomHeader(headers: readonly XmlElement[]): XmlElement | undefined {
  return headers.find((h) => h.ns === NS.medcom && h.name === 'Header');
}

export function parseMedcomHeader(el: XmlElement): MedcomHeader {
  const text = (name: string, parent: XmlElement | undefined = el): string | undefined => {
    const c = parent ? child(parent, NS.medcom, name) : undefined;
    const t = c?.text.trim();
    return t ? t : undefined;
  };
  const linking = child(el, NS.medcom, 'Linking');
  const rawLevel = text('SecurityLevel');
  const level = rawLevel !== undefined && /^[1-5]$/.test(rawLevel) ? Number(rawLevel) : undefined;
  return {
    securityLevel: level,
    securityLevelRaw: rawLevel !== undefined && level === undefined ? rawLevel : undefined,
    flowId: text('FlowID', linking),
    messageId: text('MessageID', linking),
    inResponseToMessageId: text('InResponseToMessageID', linking),
    requireNonRepudiationReceipt: text('RequireNonRepudiationReceipt'),
    hasLinking: linking !== undefined,
  };
}

export interface MedcomReplyInput {
  /** the request's MessageID, echoed as InResponseToMessageID. */
  inResponseToMessageId?: string;
  flowId?: string;
  securityLevel?: number;
  /** DGWS spelling, including the schema's "succesfully". */
  flowStatus?: 'flow_running' | 'flow_finalized_succesfully';
  /** the reply's own MessageID (a fresh one by default). */
  messageId?: string;
}

/**
 * The medcom:Header of a reply (Seal `SAMLReplyDOMBuilder.java`): SecurityLevel, Linking with a new
 * MessageID and InResponseToMessageID = the request's, and FlowStatus.
 */
export function buildMedcomReplyHeader(r: MedcomReplyInput): string {
  const parts: string[] = [`<medcom:Header xmlns:medcom="${NS.medcom}">`];
  if (r.securityLevel !== undefined) parts.push(`<medcom:SecurityLevel>${r.securityLevel}</medcom:SecurityLevel>`);
  parts.push('<medcom:Linking>');
  if (r.flowId) parts.push(`<medcom:FlowID>${escapeText(r.flowId)}</medcom:FlowID>`);
  parts.push(`<medcom:MessageID>${escapeText(r.messageId ?? randomUUID())}</medcom:MessageID>`);
  if (r.inResponseToMessageId) {
    parts.push(`<medcom:InResponseToMessageID>${escapeText(r.inResponseToMessageId)}</medcom:InResponseToMessageID>`);
  }
  parts.push('</medcom:Linking>');
  if (r.flowStatus) parts.push(`<medcom:FlowStatus>${r.flowStatus}</medcom:FlowStatus>`);
  parts.push('</medcom:Header>');
  return parts.join('');
}
