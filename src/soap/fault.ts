/**
 * Serializes a SoapFault in the request's SOAP version.
 *
 * - SOAP 1.2 Part 1 §5.4: env:Code/env:Value (Sender, Receiver, ...), env:Subcode, env:Reason/env:Text
 *   with xml:lang, env:Detail. The HTTP binding (Part 2 §7.5.1.2) answers a Sender fault with 400, any
 *   other fault with 500.
 * - SOAP 1.1 §4.4: faultcode (Client/Server/VersionMismatch/MustUnderstand), faultstring, detail; always
 *   HTTP 500 (§6.2). WS-Addressing 1.0 SOAP Binding §6.4.2: on SOAP 1.1 the subcode becomes the faultcode.
 * - WS-Addressing 1.0 SOAP Binding §6: a fault carries wsa:Action .../addressing/soap/fault and, when the
 *   request had a MessageID, wsa:RelatesTo.
 */
import { randomUUID } from 'node:crypto';
import { SoapFault, type SoapVersion } from './types.js';
import { SOAP11_NS, SOAP12_NS, WSA_NS } from './envelope.js';
import { escapeAttr, escapeText } from '../xml/escape.js';

export const WSA_FAULT_ACTION = 'http://www.w3.org/2005/08/addressing/soap/fault';

export interface FaultOptions {
  /** The request's wsa:MessageID, echoed as wsa:RelatesTo. */
  relatesTo?: string;
  /** The fault's own wsa:MessageID (a fresh urn:uuid when omitted). */
  messageId?: string;
}

const SOAP11_CODES: Record<SoapFault['code'], string> = {
  Sender: 'Client',
  Receiver: 'Server',
  VersionMismatch: 'VersionMismatch',
  MustUnderstand: 'MustUnderstand',
  DataEncodingUnknown: 'Client',
};

/** The HTTP status for a fault (its own httpStatus wins). */
export function faultHttpStatus(fault: SoapFault, version: SoapVersion): number {
  if (fault.httpStatus !== undefined) return fault.httpStatus;
  if (version === '1.2' && fault.code === 'Sender') return 400;
  return 500;
}

function addressingHeaders(version: SoapVersion, opts: FaultOptions, extra: string[] | undefined): string {
  const mu = version === '1.2' ? ' env:mustUnderstand="true"' : '';
  const parts = [
    `<wsa:Action${mu}>${WSA_FAULT_ACTION}</wsa:Action>`,
    `<wsa:MessageID>${escapeText(opts.messageId ?? `urn:uuid:${randomUUID()}`)}</wsa:MessageID>`,
  ];
  if (opts.relatesTo) parts.push(`<wsa:RelatesTo>${escapeText(opts.relatesTo)}</wsa:RelatesTo>`);
  return `<env:Header>${parts.join('')}${(extra ?? []).join('')}</env:Header>`;
}

/** The complete fault envelope as XML text. */
export function faultEnvelope(fault: SoapFault, version: SoapVersion, opts: FaultOptions = {}): string {
  const envNs = version === '1.2' ? SOAP12_NS : SOAP11_NS;
  const head = `<?xml version="1.0" encoding="UTF-8"?><env:Envelope xmlns:env="${envNs}" xmlns:wsa="${WSA_NS}">`;
  const header = addressingHeaders(version, opts, fault.headersXml);
  const reason = escapeText(fault.reason);
  let body: string;
  if (version === '1.2') {
    const sub = fault.subcode
      ? `<env:Subcode><env:Value xmlns:sc="${escapeAttr(fault.subcode.ns)}">sc:${fault.subcode.name}</env:Value></env:Subcode>`
      : '';
    const detail = fault.detailXml ? `<env:Detail>${fault.detailXml}</env:Detail>` : '';
    body =
      `<env:Fault><env:Code><env:Value>env:${fault.code}</env:Value>${sub}</env:Code>` +
      `<env:Reason><env:Text xml:lang="en">${reason}</env:Text></env:Reason>${detail}</env:Fault>`;
  } else {
    const code = fault.subcode
      ? `<faultcode xmlns:sc="${escapeAttr(fault.subcode.ns)}">sc:${fault.subcode.name}</faultcode>`
      : `<faultcode>env:${SOAP11_CODES[fault.code]}</faultcode>`;
    const detail = fault.detailXml ? `<detail>${fault.detailXml}</detail>` : '';
    // SOAP 1.1's envelope schema types faultstring as plain xs:string: no xml:lang attribute there.
    body = `<env:Fault>${code}<faultstring>${reason}</faultstring>${detail}</env:Fault>`;
  }
  return `${head}${header}<env:Body>${body}</env:Body></env:Envelope>`;
}
