/**
 * The response envelope in the request's SOAP version (ITI TF-2x Appendix V §V.3.2, WS-Addressing 1.0
 * SOAP Binding §3): wsa:Action = the descriptor's response action, wsa:RelatesTo = the request's
 * MessageID, a fresh wsa:MessageID (urn:uuid), then any extra header blocks of the handler.
 */
import { randomUUID } from 'node:crypto';
import type { SoapVersion } from './types.js';
import { SOAP11_NS, SOAP12_NS, WSA_NS } from './envelope.js';
import { escapeText } from '../xml/escape.js';

export interface ResponseEnvelopeInput {
  action: string;
  relatesTo?: string;
  /** defaults to a fresh urn:uuid. */
  messageId?: string;
  bodyXml: string;
  headersXml?: string[];
}

/** A fresh WS-Addressing MessageID. */
export function newMessageId(): string {
  return `urn:uuid:${randomUUID()}`;
}

/** Strips an XML declaration from a fragment that goes inside the envelope. */
function fragment(xml: string): string {
  return xml.replace(/^\uFEFF?\s*<\?xml[^?]*\?>\s*/, '');
}

export function responseEnvelope(version: SoapVersion, input: ResponseEnvelopeInput): string {
  const envNs = version === '1.2' ? SOAP12_NS : SOAP11_NS;
  const mu = version === '1.2' ? ' env:mustUnderstand="true"' : '';
  const headers = [
    `<wsa:Action${mu}>${escapeText(input.action)}</wsa:Action>`,
    `<wsa:MessageID>${escapeText(input.messageId ?? newMessageId())}</wsa:MessageID>`,
  ];
  if (input.relatesTo) headers.push(`<wsa:RelatesTo>${escapeText(input.relatesTo)}</wsa:RelatesTo>`);
  for (const h of input.headersXml ?? []) headers.push(fragment(h));
  return (
    `<?xml version="1.0" encoding="UTF-8"?><env:Envelope xmlns:env="${envNs}" xmlns:wsa="${WSA_NS}">` +
    `<env:Header>${headers.join('')}</env:Header><env:Body>${fragment(input.bodyXml)}</env:Body></env:Envelope>`
  );
}

/**
 * The Content-Type of a plain (non-MTOM) SOAP message: SOAP 1.2 Part 2 §7.1.4 application/soap+xml with
 * the action parameter; SOAP 1.1 text/xml (the action travels in the SOAPAction header).
 */
export function soapContentType(version: SoapVersion, action?: string): string {
  if (version === '1.1') return 'text/xml; charset=UTF-8';
  return `application/soap+xml; charset=UTF-8${action ? `; action="${action.replace(/"/g, '')}"` : ''}`;
}
