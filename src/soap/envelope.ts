/**
 * Reads a SOAP 1.1 / 1.2 envelope (already parsed into the plain tree) into a SoapRequest: version,
 * action, WS-Addressing headers, header blocks, the single Body child, and documentContent() which
 * resolves an MTOM xop:Include (or inline base64) into the document bytes.
 *
 * - SOAP 1.1 §4 / SOAP 1.2 Part 1 §5: Envelope, optional Header, mandatory Body.
 * - WS-I Basic Profile 1.1 R9981 (document/literal): exactly one element child of Body.
 * - WS-Addressing 1.0 SOAP Binding §2/§3 and ITI TF-2x Appendix V §V.3.2: wsa:Action, MessageID, To, ReplyTo.
 * - XOP 1.0 §3: xop:Include href="cid:..." (RFC 2392 Content-ID URL, percent-encoded).
 */
import { SoapFault, type Addressing, type Attachment, type DocumentContent, type SoapRequest, type SoapVersion } from './types.js';
import { child, type XmlElement } from '../xml/tree.js';
import { ErrorCode, Severity, XdsError } from '../xds/errors.js';

export const SOAP11_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const SOAP12_NS = 'http://www.w3.org/2003/05/soap-envelope';
export const WSA_NS = 'http://www.w3.org/2005/08/addressing';
/** The pre-standard WS-Addressing (2004/08) some SOAP 1.1 stacks still send; read as a fallback. */
export const WSA_2004_NS = 'http://schemas.xmlsoap.org/ws/2004/08/addressing';
export const XOP_NS = 'http://www.w3.org/2004/08/xop/include';

/** The namespace of a SOAP version's envelope. */
export function envelopeNamespace(version: SoapVersion): string {
  return version === '1.2' ? SOAP12_NS : SOAP11_NS;
}

/** WS-Addressing fault subcodes (WS-Addressing 1.0 SOAP Binding §6.4). */
export const WsaFault = {
  ActionNotSupported: { ns: WSA_NS, name: 'ActionNotSupported' },
  MessageAddressingHeaderRequired: { ns: WSA_NS, name: 'MessageAddressingHeaderRequired' },
  InvalidAddressingHeader: { ns: WSA_NS, name: 'InvalidAddressingHeader' },
} as const;

/**
 * An xop:Include names a Content-ID no MIME part carries. It is an XdsError with XDSMissingDocument
 * (ITI TF-3 Table 4.2.4.1-2: "a document referenced by metadata is missing from the submission"), so the
 * repository's ITI-41 handler reports it per document and any other caller gets a RegistryResponse
 * Failure through the endpoint's XdsError mapping, never a fault or a crash.
 */
export class MissingAttachmentError extends XdsError {
  constructor(
    readonly contentId: string,
    location?: string,
  ) {
    super([
      {
        errorCode: ErrorCode.MissingDocument,
        codeContext: `xop:Include href "cid:${contentId}"${location ? ` of document ${location}` : ''} names no MIME part of the request`,
        severity: Severity.Error,
        location,
      },
    ]);
    this.name = 'MissingAttachmentError';
  }
}

export interface EnvelopeContext {
  /** The root part (or whole body) bytes as received. */
  rawEnvelope: Buffer;
  /** MTOM attachments by Content-ID (empty for a plain SOAP request). */
  attachments?: ReadonlyMap<string, Attachment>;
  /** HTTP path of the request. */
  path: string;
  /** The action from the Content-Type `action` parameter (SOAP 1.2) or the SOAPAction header (1.1). */
  httpAction?: string;
  /**
   * Last resort when the request names no action at all (some SOAP 1.1 stacks send SOAPAction ""):
   * the endpoint may infer it from the body element when exactly one of its transactions expects it.
   */
  actionForBody?: (body: XmlElement) => string | undefined;
}

/** The SOAP version of an envelope, or a fault when the document is not a SOAP envelope. */
export function envelopeVersion(root: XmlElement): SoapVersion {
  if (root.name !== 'Envelope') {
    throw new SoapFault('Sender', `not a SOAP message: the root element is {${root.ns}}${root.name}, expected a SOAP Envelope`);
  }
  if (root.ns === SOAP12_NS) return '1.2';
  if (root.ns === SOAP11_NS) return '1.1';
  // SOAP 1.2 Part 1 §5.4.7 / SOAP 1.1 §4.4.1: an unknown envelope namespace is a VersionMismatch.
  throw new SoapFault('VersionMismatch', `unsupported SOAP envelope namespace "${root.ns}" (expected ${SOAP12_NS} or ${SOAP11_NS})`);
}

/** Removes the quotes and whitespace of a SOAPAction header / action parameter value. */
export function cleanAction(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const v = value.trim().replace(/^"(.*)"$/, '$1').trim();
  return v === '' ? undefined : v;
}

function addressing(header: XmlElement | undefined): Addressing {
  if (!header) return {};
  const ns = header.children.some((c) => c.ns === WSA_NS) || !header.children.some((c) => c.ns === WSA_2004_NS) ? WSA_NS : WSA_2004_NS;
  const text = (name: string): string | undefined => {
    const el = child(header, ns, name);
    const v = el?.text.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  const replyTo = child(header, ns, 'ReplyTo');
  const replyAddress = replyTo && child(replyTo, ns, 'Address')?.text.trim();
  return { action: text('Action'), messageId: text('MessageID'), to: text('To'), replyTo: replyAddress || undefined };
}

/** Builds the SoapRequest from a parsed envelope; envelope-level problems are Sender faults. */
export function readEnvelope(root: XmlElement, ctx: EnvelopeContext): SoapRequest {
  const version = envelopeVersion(root);
  const ns = root.ns;
  let header: XmlElement | undefined;
  let body: XmlElement | undefined;
  for (const c of root.children) {
    if (c.ns === ns && c.name === 'Header' && !header && !body) header = c;
    else if (c.ns === ns && c.name === 'Body' && !body) body = c;
    else throw new SoapFault('Sender', `unexpected element {${c.ns}}${c.name} in the SOAP Envelope (only Header then Body are allowed)`);
  }
  if (!body) throw new SoapFault('Sender', 'the SOAP Envelope has no Body');
  if (body.children.length === 0) throw new SoapFault('Sender', 'the SOAP Body is empty: it must contain the request element');
  if (body.children.length > 1) {
    throw new SoapFault('Sender', `the SOAP Body must contain exactly one element, found ${body.children.length} (WS-I BP R9981)`);
  }
  const wsa = addressing(header);
  const action = wsa.action ?? cleanAction(ctx.httpAction) ?? ctx.actionForBody?.(body.children[0]);
  if (!action) {
    throw new SoapFault(
      'Sender',
      'no SOAP action: the request has no wsa:Action header, no Content-Type action parameter and no SOAPAction header',
      WsaFault.MessageAddressingHeaderRequired,
    );
  }
  const attachments = ctx.attachments ?? new Map<string, Attachment>();
  return {
    version,
    action,
    addressing: wsa,
    headers: header ? header.children : [],
    body: body.children[0],
    rawEnvelope: ctx.rawEnvelope,
    attachments,
    path: ctx.path,
    documentContent: (el) => documentContent(el, attachments),
  };
}

/** Percent-decodes a cid: URL (RFC 2392); a malformed escape keeps the raw text. */
export function decodeCid(href: string): string {
  const raw = href.replace(/^cid:/i, '').trim().replace(/^<(.*)>$/, '$1');
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * The content of an element typed xs:base64Binary with MTOM (XOP 1.0 §3): an xop:Include child naming an
 * attachment by cid, or the base64 text itself.
 */
export function documentContent(el: XmlElement, attachments: ReadonlyMap<string, Attachment>): DocumentContent {
  const include = child(el, XOP_NS, 'Include');
  const location = el.attrs.id;
  if (include) {
    const href = include.attrs.href ?? '';
    if (!/^cid:/i.test(href.trim())) {
      throw new SoapFault('Sender', `xop:Include href "${href}" is not a cid: URL (XOP 1.0 §3)`);
    }
    const cid = decodeCid(href);
    const attachment = attachments.get(cid) ?? attachments.get(href.trim().replace(/^cid:/i, ''));
    if (!attachment) throw new MissingAttachmentError(cid, location);
    return { kind: 'attachment', attachment };
  }
  const text = el.text.replace(/\s+/g, '');
  if (!BASE64.test(text) || text.length % 4 !== 0) {
    throw new SoapFault('Sender', `element ${el.name}${location ? ` "${location}"` : ''} does not hold valid base64 content`);
  }
  return { kind: 'inline', bytes: Buffer.from(text, 'base64') };
}
