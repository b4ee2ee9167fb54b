/**
 * The contracts of the SOAP pipeline (architecture.md "The pipeline"):
 * HTTP → MIME/MTOM → SOAP envelope (+WS-Addressing) → security → transaction descriptor → hooks →
 * domain service → storage ports.
 */
import type { Readable } from 'node:stream';
import type { XmlElement } from '../xml/tree.js';

export type SoapVersion = '1.1' | '1.2';

/** An MTOM/XOP attachment (or a spooled part) of the request, by Content-ID. */
export interface Attachment {
  /** Content-ID without angle brackets, URL-decoded. */
  contentId: string;
  contentType: string;
  size: number;
  /** A fresh stream of the bytes each call (memory or a spool file on disk). */
  open(): Readable;
  /** Reads the whole attachment into memory (small documents, tests). */
  readAll(): Promise<Buffer>;
}

/**
 * Where a document's bytes come from inside a request: an inline base64 element, or an xop:Include
 * resolved to an attachment. The repository streams from it without caring which.
 */
export type DocumentContent =
  | { kind: 'inline'; bytes: Buffer }
  | { kind: 'attachment'; attachment: Attachment };

/** WS-Addressing headers (W3C WS-Addressing 1.0 SOAP Binding, as ITI TF-2x §V.3.2 requires). */
export interface Addressing {
  action?: string;
  messageId?: string;
  to?: string;
  replyTo?: string;
}

/** A parsed SOAP request, ready for a transaction handler. */
export interface SoapRequest {
  version: SoapVersion;
  /** SOAP action: wsa:Action, else the HTTP action parameter / SOAPAction header. */
  action: string;
  addressing: Addressing;
  /** All header blocks (wsse:Security, medcom:Header, HSUID, ...). */
  headers: readonly XmlElement[];
  /** The first (only) child of soap:Body. */
  body: XmlElement;
  /** The envelope as received (for signature checks over exactly what was signed). */
  rawEnvelope: Buffer;
  /** MTOM attachments by Content-ID. */
  attachments: ReadonlyMap<string, Attachment>;
  /** The HTTP path the request came in on (for NSP aliases and per-service policy). */
  path: string;
  /** Resolves an element carrying base64 text or an xop:Include child into its content. */
  documentContent(el: XmlElement): DocumentContent;
}

/** An attachment of a response (ITI-43 streams documents as MTOM parts). */
export interface ResponseAttachment {
  contentId: string;
  contentType: string;
  open(): Readable | Promise<Readable>;
}

/** What a transaction handler returns; the SOAP layer adds the envelope and WS-Addressing. */
export interface SoapResponse {
  /** the body's single child element, serialized. */
  bodyXml: string;
  /** extra header blocks (e.g. medcom:Header reply), serialized. */
  headersXml?: string[];
  /** when present the response is MTOM (multipart/related) with these parts. */
  attachments?: ResponseAttachment[];
}

/** A SOAP fault raised by any layer before or outside the domain (SOAP 1.2 §5.4 / SOAP 1.1 §4.4). */
export class SoapFault extends Error {
  constructor(
    /** 'Sender' | 'Receiver' | 'VersionMismatch' | 'MustUnderstand' | 'DataEncodingUnknown' (1.2 names; mapped to 1.1 Client/Server). */
    readonly code: 'Sender' | 'Receiver' | 'VersionMismatch' | 'MustUnderstand' | 'DataEncodingUnknown',
    readonly reason: string,
    /** optional subcode QName, e.g. `wsa:ActionNotSupported`. */
    readonly subcode?: { ns: string; name: string },
    /** optional serialized detail children (DGWS puts medcom:FaultCode here). */
    readonly detailXml?: string,
    /** HTTP status to answer with (default 500 for faults, 400 for SOAP 1.2 Sender per the HTTP binding). */
    readonly httpStatus?: number,
    /** extra response header blocks (e.g. medcom:Header with FlowStatus for DGWS faults). */
    readonly headersXml?: string[],
  ) {
    super(reason);
    this.name = 'SoapFault';
  }
}
