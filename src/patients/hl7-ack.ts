/**
 * HL7 v2 original-mode acknowledgements (HL7 v2.5 §2.9.2, §2.15 "ACK"), as the ITI-8 receiver returns
 * them (ITI TF-2a §3.8.4.1.3 / §3.8.4.2.3 refer to the HL7 ACK):
 *   MSH  sender and receiver swapped (MSH-3/4 ↔ MSH-5/6), MSH-9 ACK^<event>[^ACK], fresh MSH-10,
 *        MSH-11/MSH-12/MSH-18 echoed;
 *   MSA  MSA-1 AA (accepted) | AE (application error) | AR (rejected), MSA-2 = the request's MSH-10,
 *        MSA-3 a short text (kept for v2.3.1 senders, which read no ERR);
 *   ERR  when not AA, coded from HL7 table 0357 (message error condition codes). v2.3.1/2.4 carry it in
 *        ERR-1 (ELD: segment^sequence^field^code&text&HL70357); v2.5 and later in ERR-2 (location),
 *        ERR-3 (code), ERR-4 (severity E) and ERR-8 (user message).
 */
import { DEFAULT_DELIMITERS, encodeSegment, type Hl7Delimiters, type Hl7FieldValue } from './hl7-message.js';

export type AckCode = 'AA' | 'AE' | 'AR';

/** HL7 table 0357. */
export const HL7_ERROR = {
  segmentSequence: { code: '100', text: 'Segment sequence error' },
  requiredFieldMissing: { code: '101', text: 'Required field missing' },
  dataTypeError: { code: '102', text: 'Data type error' },
  tableValueNotFound: { code: '103', text: 'Table value not found' },
  unsupportedMessageType: { code: '200', text: 'Unsupported message type' },
  unsupportedEventCode: { code: '201', text: 'Unsupported event code' },
  unsupportedProcessingId: { code: '202', text: 'Unsupported processing id' },
  unsupportedVersionId: { code: '203', text: 'Unsupported version id' },
  unknownKeyIdentifier: { code: '204', text: 'Unknown key identifier' },
  applicationInternalError: { code: '207', text: 'Application internal error' },
} as const;

export type Hl7ErrorCondition = (typeof HL7_ERROR)[keyof typeof HL7_ERROR];

export interface AckError {
  condition: Hl7ErrorCondition;
  /** What exactly was wrong (goes to MSA-3 and ERR). */
  message: string;
  /** Where: segment id, segment sequence (1-based), field number. */
  location?: { segment: string; sequence?: number; field?: number; component?: number };
}

/** What the ACK answers: the request's header fields, or nothing when the request was unreadable. */
export interface AckRequestHeader {
  /** MSH-3..MSH-6 as sent (raw, in the request's delimiters, which the ACK reuses). */
  sendingApplication?: string;
  sendingFacility?: string;
  receivingApplication?: string;
  receivingFacility?: string;
  messageControlId?: string;
  processingId?: string;
  versionId?: string;
  triggerEvent?: string;
  characterSet?: string;
  delimiters?: Hl7Delimiters;
}

export interface AckOptions {
  code: AckCode;
  request: AckRequestHeader;
  error?: AckError;
  /** This registry's application/facility, used when the request's MSH-5/MSH-6 are empty. */
  application: { name: string; facility?: string };
  now: Date;
  messageControlId: string;
}

/** HL7 TS in UTC with an explicit offset: YYYYMMDDHHMMSS+0000. */
export function formatHl7Timestamp(date: Date): string {
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  return (
    `${pad(date.getUTCFullYear(), 4)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}` +
    `${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}+0000`
  );
}

/** True for versions that use the v2.5 ERR layout (2.5, 2.5.1, 2.6, ...). */
function usesV25Err(version: string): boolean {
  const m = /^2\.(\d+)/.exec(version);
  return m !== null && Number(m[1]) >= 5;
}

/** Builds the ACK message text (segments separated by CR, as HL7 requires). */
export function buildAck(options: AckOptions): string {
  const { request, error } = options;
  const d = request.delimiters ?? DEFAULT_DELIMITERS;
  // Answer in the request's version when it is a v2 one (the sender reads its own version best).
  const version = /^2\.\d/.test(request.versionId ?? '') ? request.versionId! : '2.5';
  const v25 = usesV25Err(version);
  // MSH-9: ACK^<event>, plus the message structure ACK for v2.5 and later; a bare ACK when no event was readable.
  const messageType: Hl7FieldValue = !request.triggerEvent
    ? 'ACK'
    : v25
      ? ['ACK', request.triggerEvent, 'ACK']
      : ['ACK', request.triggerEvent];
  const msh: Hl7FieldValue[] = [
    request.receivingApplication ? { raw: request.receivingApplication } : options.application.name, // MSH-3
    request.receivingFacility ? { raw: request.receivingFacility } : (options.application.facility ?? ''), // MSH-4
    { raw: request.sendingApplication ?? '' }, // MSH-5
    { raw: request.sendingFacility ?? '' }, // MSH-6
    formatHl7Timestamp(options.now), // MSH-7
    '', // MSH-8
    messageType, // MSH-9
    options.messageControlId, // MSH-10
    request.processingId || 'P', // MSH-11
    version, // MSH-12
  ];
  if (request.characterSet) {
    while (msh.length < 15) msh.push(''); // up to MSH-17
    msh.push(request.characterSet); // MSH-18
  }
  const segments = [encodeSegment('MSH', msh, d)];
  segments.push(encodeSegment('MSA', [options.code, request.messageControlId ?? '', error ? error.message : ''], d));
  if (error) segments.push(encodeSegment('ERR', errFields(error, v25), d));
  return `${segments.join('\r')}\r`;
}

function errFields(error: AckError, v25: boolean): Hl7FieldValue[] {
  const loc = error.location;
  const { code, text } = error.condition;
  if (!v25) {
    // ERR-1 ELD: segment id ^ sequence ^ field position ^ code (CE as sub-components).
    return [[loc?.segment ?? '', loc?.sequence ? String(loc.sequence) : '', loc?.field ? String(loc.field) : '', [code, text, 'HL70357']]];
  }
  const location: Hl7FieldValue = loc
    ? [loc.segment, loc.sequence ? String(loc.sequence) : '', loc.field ? String(loc.field) : '', '', loc.component ? String(loc.component) : '']
    : '';
  return ['', location, [code, text, 'HL70357'], 'E', '', '', '', error.message];
}
