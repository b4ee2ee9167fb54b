/**
 * DGWS 1.0 fault codes (dk-nsp.md §1.6; Seal `FaultCodeValues.java`) and the SoapFault that carries them:
 * `detail/medcom:FaultCode` plus a medcom:Header reply whose Linking/InResponseToMessageID names the
 * request (Seal `SAMLReplyDOMBuilder.java`), so a DGWS client can correlate the fault.
 */
import { SoapFault } from '../soap/types.js';
import { escapeText } from '../xml/escape.js';
import { NS } from './namespaces.js';
import { buildMedcomReplyHeader, type MedcomReplyInput } from './medcom-header.js';

export type DgwsFaultCode =
  | 'missing_required_header'
  | 'security_level_failed'
  | 'invalid_idcard'
  | 'invalid_signature'
  | 'invalid_certificate'
  | 'expired_idcard'
  | 'not_authorized'
  | 'processing_problem'
  | 'syntax_error';

export const DGWS_FAULT_CODES: readonly DgwsFaultCode[] = [
  'missing_required_header',
  'security_level_failed',
  'invalid_idcard',
  'invalid_signature',
  'invalid_certificate',
  'expired_idcard',
  'not_authorized',
  'processing_problem',
  'syntax_error',
];

/**
 * A security check failed. Thrown inside the stack; `toSoapFault` turns it into the wire fault once the
 * request's medcom:Header (if any) is known, so every fault can echo the MessageID.
 */
export class SecurityError extends Error {
  constructor(
    readonly faultCode: DgwsFaultCode,
    message: string,
  ) {
    super(message);
    this.name = 'SecurityError';
  }
}

/** Shorthand used by the checks: `throw fail('invalid_idcard', '...')`. */
export function fail(code: DgwsFaultCode, message: string): SecurityError {
  return new SecurityError(code, message);
}

/**
 * The SoapFault for a DGWS fault code. Seal answers DGWS faults as `faultcode=Server` with the DGWS code
 * in detail (dk-nsp.md §1.6); processing_problem is ours, every other code the caller's, but NSP clients
 * key on medcom:FaultCode, so the SOAP code follows Seal.
 */
export function dgwsSoapFault(code: DgwsFaultCode, reason: string, reply?: MedcomReplyInput): SoapFault {
  const detailXml = `<medcom:FaultCode xmlns:medcom="${NS.medcom}">${escapeText(code)}</medcom:FaultCode>`;
  const headersXml = reply ? [buildMedcomReplyHeader({ ...reply, flowStatus: reply.flowStatus ?? 'flow_finalized_succesfully' })] : undefined;
  return new SoapFault('Receiver', reason, undefined, detailXml, 500, headersXml);
}

export function toSoapFault(err: SecurityError, reply?: MedcomReplyInput): SoapFault {
  return dgwsSoapFault(err.faultCode, err.message, reply);
}
