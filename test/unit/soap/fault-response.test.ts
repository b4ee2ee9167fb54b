import { describe, expect, it } from 'vitest';
import { parseXml } from '../../../src/xml/parse.js';
import { faultEnvelope, faultHttpStatus, WSA_FAULT_ACTION } from '../../../src/soap/fault.js';
import { responseEnvelope, soapContentType } from '../../../src/soap/response.js';
import { readEnvelope, SOAP11_NS, SOAP12_NS, WSA_NS, WsaFault } from '../../../src/soap/envelope.js';
import { SoapFault } from '../../../src/soap/types.js';
import { xpathString } from '../../../src/xml/xpath.js';

const ns = { env12: SOAP12_NS, env11: SOAP11_NS, wsa: WSA_NS, x: 'u:x', d: 'urn:d' };

describe('faultEnvelope', () => {
  const f = new SoapFault('Sender', 'action <urn:x> is not supported', WsaFault.ActionNotSupported, '<x:Why xmlns:x="u:x">because</x:Why>');

  it('writes a SOAP 1.2 fault with Subcode, Reason xml:lang, Detail and WS-Addressing', () => {
    const xml = faultEnvelope(f, '1.2', { relatesTo: 'urn:uuid:req' });
    expect(xpathString(xml, '/env12:Envelope/env12:Header/wsa:Action', ns)).toBe(WSA_FAULT_ACTION);
    expect(xpathString(xml, '//wsa:RelatesTo', ns)).toBe('urn:uuid:req');
    expect(xpathString(xml, '//wsa:MessageID', ns)).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(xpathString(xml, '//env12:Fault/env12:Code/env12:Value', ns)).toBe('env:Sender');
    expect(xpathString(xml, '//env12:Subcode/env12:Value', ns)).toBe('sc:ActionNotSupported');
    expect(xpathString(xml, 'string(//env12:Subcode/env12:Value/namespace::sc)', ns)).toBe(WSA_NS);
    expect(xpathString(xml, '//env12:Reason/env12:Text[@xml:lang="en"]', ns)).toBe('action <urn:x> is not supported');
    expect(xpathString(xml, '//env12:Detail/x:Why', ns)).toBe('because');
    expect(faultHttpStatus(f, '1.2')).toBe(400);
    expect(faultHttpStatus(new SoapFault('Receiver', 'x'), '1.2')).toBe(500);
  });

  it('writes a SOAP 1.1 fault: subcode as faultcode, Client/Server codes, status 500', () => {
    const xml = faultEnvelope(f, '1.1');
    expect(xpathString(xml, '//env11:Fault/faultcode', ns)).toBe('sc:ActionNotSupported');
    expect(xpathString(xml, '//env11:Fault/faultstring', ns)).toBe('action <urn:x> is not supported');
    expect(xpathString(xml, '//env11:Fault/detail/x:Why', ns)).toBe('because');
    expect(xpathString(xml, 'count(//wsa:RelatesTo)', ns)).toBe('0');
    expect(xpathString(faultEnvelope(new SoapFault('Receiver', 'boom'), '1.1'), '//faultcode', ns)).toBe('env:Server');
    expect(xpathString(faultEnvelope(new SoapFault('Sender', 'bad'), '1.1'), '//faultcode', ns)).toBe('env:Client');
    expect(faultHttpStatus(f, '1.1')).toBe(500);
    expect(faultHttpStatus(new SoapFault('Sender', 'big', undefined, undefined, 413), '1.1')).toBe(413);
  });

  it('adds the fault headers (e.g. the DGWS medcom:Header)', () => {
    const xml = faultEnvelope(new SoapFault('Receiver', 'x', undefined, undefined, undefined, ['<x:H xmlns:x="u:x">h</x:H>']), '1.2');
    expect(xpathString(xml, '/env12:Envelope/env12:Header/x:H', ns)).toBe('h');
  });
});

describe('responseEnvelope', () => {
  it('round-trips through readEnvelope in both versions', () => {
    for (const version of ['1.1', '1.2'] as const) {
      const xml = responseEnvelope(version, {
        action: 'urn:test:PingResponse',
        relatesTo: 'urn:uuid:req-1',
        bodyXml: '<?xml version="1.0"?><d:Pong xmlns:d="urn:d">ok</d:Pong>',
        headersXml: ['<x:Extra xmlns:x="u:x">e</x:Extra>'],
      });
      const r = readEnvelope(parseXml(xml), { rawEnvelope: Buffer.from(xml), path: '/' });
      expect(r.version).toBe(version);
      expect(r.action).toBe('urn:test:PingResponse');
      expect(r.addressing.messageId).toMatch(/^urn:uuid:/);
      expect(r.headers.find((h) => h.name === 'RelatesTo')?.text).toBe('urn:uuid:req-1');
      expect(r.headers.find((h) => h.name === 'Extra')?.text).toBe('e');
      expect(r.body.name).toBe('Pong');
      expect(r.body.text).toBe('ok');
    }
  });

  it('omits RelatesTo when the request had no MessageID, and names the content type', () => {
    const xml = responseEnvelope('1.2', { action: 'a', bodyXml: '<r/>' });
    expect(xml).not.toContain('RelatesTo');
    expect(soapContentType('1.2', 'urn:a')).toBe('application/soap+xml; charset=UTF-8; action="urn:a"');
    expect(soapContentType('1.1', 'urn:a')).toBe('text/xml; charset=UTF-8');
  });
});
