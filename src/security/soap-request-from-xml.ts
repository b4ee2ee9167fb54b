/**
 * Builds a SoapRequest from a plain (non-MTOM) SOAP envelope with xmldom. The hub's endpoint gets its
 * SoapRequest from the SOAP layer; the NTS endpoint, the STS CLI and the tests use this to examine a
 * request on their own.
 */
import type { SoapRequest, SoapVersion } from '../soap/types.js';
import type { XmlElement } from '../xml/tree.js';
import { child } from '../xml/tree.js';
import { parseXml, toXmlElement } from './dom.js';
import { fail } from './faults.js';
import { NS } from './namespaces.js';

export function soapRequestFromXml(xml: string | Buffer, path = '/'): SoapRequest {
  const raw = Buffer.isBuffer(xml) ? xml : Buffer.from(xml, 'utf8');
  const doc = parseXml(raw.toString('utf8'));
  const root = doc.documentElement!;
  const version: SoapVersion | undefined = root.namespaceURI === NS.soap11 ? '1.1' : root.namespaceURI === NS.soap12 ? '1.2' : undefined;
  if (root.localName !== 'Envelope' || !version) throw fail('syntax_error', 'not a SOAP 1.1 or 1.2 Envelope');
  const env = toXmlElement(root);
  const header = child(env, env.ns, 'Header');
  const bodyEl = child(env, env.ns, 'Body');
  if (!bodyEl) throw fail('syntax_error', 'the envelope has no Body');
  const body: XmlElement = bodyEl.children[0] ?? { ns: '', name: '', attrs: {}, nsAttrs: {}, children: [], text: '' };
  const headers = header?.children ?? [];
  const wsa = (name: string): string | undefined =>
    headers.find((h) => (h.ns === NS.wsa || h.ns === NS.wsa2004) && h.name === name)?.text.trim() || undefined;
  return {
    version,
    action: wsa('Action') ?? '',
    addressing: { action: wsa('Action'), messageId: wsa('MessageID'), to: wsa('To') },
    headers,
    body,
    rawEnvelope: raw,
    attachments: new Map(),
    path,
    documentContent() {
      throw new Error('documentContent is not available on a request built for security inspection');
    },
  };
}
