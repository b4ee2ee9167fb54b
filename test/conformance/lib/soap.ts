/**
 * SOAP 1.2 + WS-Addressing client for the replay (conformance ANALYSIS.md §8, ITI TF-2x Appendix V):
 * builds the envelope, posts it (plain or MTOM), and turns the answer into the response body XML with
 * xop:Include resolved, plus what the checks need (action, RelatesTo, fault, MIME form).
 */
import { randomUUID } from 'node:crypto';
import { parseXml, serialize, byLocalName, childElements, firstChild, textOf, type Element } from './dom.js';
import { buildMtom, cidFromHref, mediaType, normalizeContentId, parseMultipart, type Attachment } from './mime.js';

export const SOAP12 = 'http://www.w3.org/2003/05/soap-envelope';
export const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/';
export const WSA = 'http://www.w3.org/2005/08/addressing';
const XOP = 'http://www.w3.org/2004/08/xop/include';

const REQUEST_TIMEOUT_MS = 120_000;

export function envelope(action: string, to: string, messageId: string, bodyXml: string): string {
  return `<s:Envelope xmlns:s="${SOAP12}" xmlns:a="${WSA}"><s:Header>`
    + `<a:Action s:mustUnderstand="1">${action}</a:Action>`
    + `<a:MessageID>${messageId}</a:MessageID>`
    + `<a:ReplyTo><a:Address>http://www.w3.org/2005/08/addressing/anonymous</a:Address></a:ReplyTo>`
    + `<a:To s:mustUnderstand="1">${to}</a:To>`
    + `</s:Header><s:Body>${stripDeclaration(bodyXml)}</s:Body></s:Envelope>`;
}

export function stripDeclaration(xml: string): string {
  return xml.replace(/^\uFEFF?\s*<\?xml[^>]*\?>\s*/, '');
}

export interface SoapResponse {
  httpStatus: number;
  contentType: string;
  /** true when the answer was a multipart/related XOP package. */
  multipart: boolean;
  action?: string;
  relatesTo?: string;
  fault?: { code: string; reason: string };
  /** the Body's first child, XOP resolved (xop:Include replaced by base64 content), as XML. */
  bodyXml?: string;
  /** raw text for messages (trimmed). */
  raw: string;
}

export interface SoapRequest {
  url: string;
  action: string;
  bodyXml: string;
  /** MTOM attachments; when given (or mtom true) the request is a multipart/related XOP package. */
  attachments?: Attachment[];
  mtom?: boolean;
}

export async function soapCall(req: SoapRequest): Promise<{ messageId: string; response: SoapResponse }> {
  const messageId = `urn:uuid:${randomUUID()}`;
  const env = envelope(req.action, req.url, messageId, req.bodyXml);
  let contentType: string;
  let body: Buffer;
  if (req.mtom || (req.attachments && req.attachments.length > 0)) {
    ({ contentType, body } = buildMtom(env, req.attachments ?? [], req.action));
  } else {
    contentType = `application/soap+xml; charset=UTF-8; action="${req.action}"`;
    body = Buffer.from(env, 'utf8');
  }
  const response = await postRaw(req.url, contentType, body);
  return { messageId, response };
}

export async function postRaw(url: string, contentType: string, body: Buffer): Promise<SoapResponse> {
  let res: Response;
  try {
    // A hub that never answers fails the step instead of hanging the replay.
    res = await fetch(url, { method: 'POST', headers: { 'Content-Type': contentType }, body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (e) {
    const err = e as Error & { cause?: Error };
    throw new Error(`POST ${url} failed: ${err.name === 'TimeoutError' ? `no answer within ${REQUEST_TIMEOUT_MS} ms` : err.cause?.message ?? err.message}`);
  }
  const buf = Buffer.from(await res.arrayBuffer());
  return parseSoapResponse(res.status, res.headers.get('content-type') ?? '', buf);
}

export async function parseSoapResponse(httpStatus: number, contentType: string, buf: Buffer): Promise<SoapResponse> {
  const out: SoapResponse = { httpStatus, contentType, multipart: false, raw: '' };
  let envelopeText: string;
  const attachments = new Map<string, Buffer>();
  if (mediaType(contentType) === 'multipart/related') {
    out.multipart = true;
    const parts = await parseMultipart(buf, contentType);
    if (parts.length === 0) throw new Error('multipart response has no parts');
    const startMatch = /start\s*=\s*"?<?([^">;]+)>?"?/i.exec(contentType);
    const start = startMatch ? normalizeContentId(startMatch[1]) : undefined;
    const root = (start && parts.find((p) => normalizeContentId(p.headers['content-id'] ?? '') === start)) || parts[0];
    for (const p of parts) if (p !== root) attachments.set(normalizeContentId(p.headers['content-id'] ?? ''), p.body);
    envelopeText = root.body.toString('utf8');
  } else {
    envelopeText = buf.toString('utf8');
  }
  out.raw = envelopeText.slice(0, 2000);
  if (envelopeText.trim() === '') return out;
  const doc = parseXml(envelopeText, `response (HTTP ${httpStatus}, ${contentType})`);
  const env = doc.documentElement!;
  if (env.localName !== 'Envelope' || (env.namespaceURI !== SOAP12 && env.namespaceURI !== SOAP11)) {
    throw new Error(`response is not a SOAP envelope: <${env.nodeName}>`);
  }
  const header = firstChild(env, 'Header');
  if (header) {
    const action = childElements(header).find((e) => e.localName === 'Action' && e.namespaceURI === WSA);
    const rel = childElements(header).find((e) => e.localName === 'RelatesTo' && e.namespaceURI === WSA);
    out.action = action ? textOf(action) : undefined;
    out.relatesTo = rel ? textOf(rel) : undefined;
  }
  const body = firstChild(env, 'Body');
  const first = body ? childElements(body)[0] : undefined;
  if (first && first.localName === 'Fault') {
    const code = byLocalName(first, 'Value')[0] ?? firstChild(first, 'faultcode');
    const reason = byLocalName(first, 'Text')[0] ?? firstChild(first, 'faultstring');
    out.fault = { code: textOf(code), reason: textOf(reason) };
    return out;
  }
  if (first) {
    resolveXop(first, attachments);
    out.bodyXml = serialize(first);
  }
  return out;
}

/** Replaces every xop:Include by the base64 of the part it names (the XOP infoset, W3C XOP §3). */
function resolveXop(root: Element, attachments: Map<string, Buffer>): void {
  for (const inc of byLocalName(root, 'Include').filter((e) => e.namespaceURI === XOP)) {
    const href = inc.getAttribute('href') ?? '';
    const data = attachments.get(cidFromHref(href));
    if (!data) throw new Error(`xop:Include href="${href}" names no MIME part`);
    const parent = inc.parentNode as Element;
    const text = root.ownerDocument!.createTextNode(data.toString('base64'));
    parent.replaceChild(text, inc);
  }
}
