/**
 * Reads a SOAP fault a server answered (SOAP 1.1 §4.4 faultcode/faultstring/detail, SOAP 1.2 Part 1
 * §5.4 Code/Subcode/Reason/Detail), for the hub's outbound clients (STS, remote registry): they pass the
 * server's reason and the DGWS medcom:FaultCode (dk-nsp.md §1.6) on to their own caller.
 */
import { child, childrenNamed, deepText, descendants, type XmlElement } from '../xml/tree.js';

import { SOAP11_NS as SOAP11, SOAP12_NS as SOAP12 } from './envelope.js';

const MEDCOM = 'http://www.medcom.dk/dgws/2006/04/dgws-1.0.xsd';

export interface SoapFaultSummary {
  /** faultcode (1.1) or the innermost Subcode/Value, else Code/Value (1.2), as written (a QName). */
  code: string;
  /** faultstring (1.1) or the first Reason/Text (1.2). */
  reason: string;
  /** detail/medcom:FaultCode of a DGWS fault, e.g. `expired_idcard`. */
  dgwsFaultCode?: string;
}

/** The fault summary when `body` (the SOAP Body element) holds a Fault, else undefined. */
export function readSoapFault(body: XmlElement | undefined): SoapFaultSummary | undefined {
  const fault = body?.children.find((c) => c.name === 'Fault' && (c.ns === SOAP11 || c.ns === SOAP12));
  if (!fault) return undefined;
  const dgws = descendants(fault, MEDCOM, 'FaultCode')[0];
  const dgwsFaultCode = dgws ? deepText(dgws).trim() || undefined : undefined;
  if (fault.ns === SOAP11) {
    // SOAP 1.1 fault children are unqualified.
    const code = fault.children.find((c) => c.name === 'faultcode');
    const reason = fault.children.find((c) => c.name === 'faultstring');
    return { code: code ? deepText(code).trim() : '', reason: reason ? deepText(reason).trim() : '', dgwsFaultCode };
  }
  let code = '';
  for (let c = child(fault, SOAP12, 'Code'); c; c = child(c, SOAP12, 'Subcode')) {
    const value = child(c, SOAP12, 'Value');
    if (value) code = deepText(value).trim();
  }
  const reasonEl = child(fault, SOAP12, 'Reason');
  const text = reasonEl ? childrenNamed(reasonEl, SOAP12, 'Text')[0] : undefined;
  return { code, reason: text ? deepText(text).trim() : '', dgwsFaultCode };
}

/** "reason (code, DGWS FaultCode x)" for an error message. */
export function describeSoapFault(f: SoapFaultSummary): string {
  const parts = [f.code, f.dgwsFaultCode ? `DGWS FaultCode ${f.dgwsFaultCode}` : ''].filter(Boolean);
  return `${f.reason || 'no reason given'}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}
