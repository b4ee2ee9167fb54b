import { describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { parseXml } from '../../../src/xml/parse.js';
import { decodeCid, MissingAttachmentError, readEnvelope, SOAP11_NS, SOAP12_NS, WSA_NS } from '../../../src/soap/envelope.js';
import { SoapFault, type Attachment } from '../../../src/soap/types.js';
import { XdsError } from '../../../src/xds/errors.js';

const BODY = '<q:Ping xmlns:q="urn:test:q"><q:Document id="Document01">aGVsbG8=</q:Document></q:Ping>';

function env12(header: string, body = BODY): string {
  return `<s:Envelope xmlns:s="${SOAP12_NS}" xmlns:a="${WSA_NS}"><s:Header>${header}</s:Header><s:Body>${body}</s:Body></s:Envelope>`;
}

function read(xml: string, extra: { httpAction?: string; attachments?: Map<string, Attachment> } = {}) {
  return readEnvelope(parseXml(xml), { rawEnvelope: Buffer.from(xml), path: '/xds/test', ...extra });
}

function fault(fn: () => unknown): SoapFault {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SoapFault);
    return err as SoapFault;
  }
  throw new Error('expected a SoapFault');
}

function attachment(contentId: string, bytes: Buffer): Attachment {
  return { contentId, contentType: 'application/octet-stream', size: bytes.length, open: () => Readable.from([bytes]), readAll: async () => bytes };
}

describe('readEnvelope', () => {
  it('reads a SOAP 1.2 request with WS-Addressing', () => {
    const r = read(
      env12(
        '<a:Action s:mustUnderstand="1">urn:test:Ping</a:Action><a:MessageID>urn:uuid:1</a:MessageID>' +
          '<a:ReplyTo><a:Address>http://www.w3.org/2005/08/addressing/anonymous</a:Address></a:ReplyTo><a:To>http://h/x</a:To><x:Other xmlns:x="u:x"/>',
      ),
    );
    expect(r.version).toBe('1.2');
    expect(r.action).toBe('urn:test:Ping');
    expect(r.addressing).toEqual({ action: 'urn:test:Ping', messageId: 'urn:uuid:1', to: 'http://h/x', replyTo: 'http://www.w3.org/2005/08/addressing/anonymous' });
    expect(r.headers.map((h) => h.name)).toEqual(['Action', 'MessageID', 'ReplyTo', 'To', 'Other']);
    expect(r.body.name).toBe('Ping');
    expect(r.path).toBe('/xds/test');
  });

  it('reads a SOAP 1.1 request without a Header, taking the action from SOAPAction', () => {
    const xml = `<soap:Envelope xmlns:soap="${SOAP11_NS}"><soap:Body>${BODY}</soap:Body></soap:Envelope>`;
    const r = read(xml, { httpAction: '"urn:test:Ping"' });
    expect(r.version).toBe('1.1');
    expect(r.action).toBe('urn:test:Ping');
    expect(r.headers).toEqual([]);
    expect(r.rawEnvelope.toString()).toBe(xml);
  });

  it('prefers wsa:Action over the HTTP action', () => {
    expect(read(env12('<a:Action>urn:wsa</a:Action>'), { httpAction: 'urn:http' }).action).toBe('urn:wsa');
  });

  it('faults envelope-level errors', () => {
    expect(fault(() => read('<x:Foo xmlns:x="u:x"/>')).reason).toMatch(/not a SOAP message/);
    const vm = fault(() => read('<s:Envelope xmlns:s="urn:wrong"><s:Body/></s:Envelope>'));
    expect(vm.code).toBe('VersionMismatch');
    expect(fault(() => read(`<s:Envelope xmlns:s="${SOAP12_NS}"><s:Header/></s:Envelope>`)).reason).toMatch(/no Body/);
    expect(fault(() => read(`<s:Envelope xmlns:s="${SOAP12_NS}"><s:Body/></s:Envelope>`, { httpAction: 'a' })).reason).toMatch(/Body is empty/);
    expect(fault(() => read(env12('<a:Action>x</a:Action>', BODY + BODY))).reason).toMatch(/exactly one element/);
    const noAction = fault(() => read(env12('')));
    expect(noAction.code).toBe('Sender');
    expect(noAction.subcode).toEqual({ ns: WSA_NS, name: 'MessageAddressingHeaderRequired' });
  });
});

describe('documentContent', () => {
  const xop = (href: string) =>
    env12('<a:Action>urn:test:Ping</a:Action>', `<q:Ping xmlns:q="urn:test:q"><q:Document id="Document01"><xop:Include xmlns:xop="http://www.w3.org/2004/08/xop/include" href="${href}"/></q:Document></q:Ping>`);

  it('decodes inline base64', () => {
    const r = read(env12('<a:Action>urn:test:Ping</a:Action>'));
    expect(r.documentContent(r.body.children[0])).toEqual({ kind: 'inline', bytes: Buffer.from('hello') });
  });

  it('resolves xop:Include by Content-ID, URL-encoded too', async () => {
    const att = attachment('1.urn:uuid:abc@apache.org', Buffer.from('doc bytes'));
    const attachments = new Map([[att.contentId, att]]);
    for (const href of ['cid:1.urn:uuid:abc@apache.org', 'cid:1.urn%3Auuid%3Aabc%40apache.org', 'CID:1.urn:uuid:abc@apache.org']) {
      const r = read(xop(href), { attachments });
      const c = r.documentContent(r.body.children[0]);
      expect(c.kind).toBe('attachment');
      if (c.kind === 'attachment') expect((await c.attachment.readAll()).toString()).toBe('doc bytes');
    }
    expect(decodeCid('cid:a%2Fb')).toBe('a/b');
    expect(decodeCid('cid:%E0%A4%A')).toBe('%E0%A4%A');
  });

  it('reports an unknown cid as XDSMissingDocument (an XdsError)', () => {
    const r = read(xop('cid:nothing-here'));
    try {
      r.documentContent(r.body.children[0]);
      throw new Error('expected an error');
    } catch (err) {
      expect(err).toBeInstanceOf(MissingAttachmentError);
      expect(err).toBeInstanceOf(XdsError);
      const e = (err as XdsError).errors[0];
      expect(e.errorCode).toBe('XDSMissingDocument');
      expect(e.location).toBe('Document01');
      expect(e.codeContext).toMatch(/cid:nothing-here/);
    }
  });

  it('faults a non-cid href and invalid base64', () => {
    const r = read(xop('http://evil/doc'));
    expect(fault(() => r.documentContent(r.body.children[0])).reason).toMatch(/not a cid: URL/);
    const bad = read(env12('<a:Action>x</a:Action>', '<q:Ping xmlns:q="urn:test:q"><q:Document id="D">not*base64</q:Document></q:Ping>'));
    expect(fault(() => bad.documentContent(bad.body.children[0])).reason).toMatch(/valid base64/);
  });
});

describe('action fallbacks', () => {
  it('reads WS-Addressing 2004/08 headers when the 2005 namespace is absent', () => {
    const xml = `<s:Envelope xmlns:s="${SOAP11_NS}" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing"><s:Header><a:Action>urn:old</a:Action><a:MessageID>uuid:9</a:MessageID></s:Header><s:Body>${BODY}</s:Body></s:Envelope>`;
    const r = read(xml);
    expect(r.action).toBe('urn:old');
    expect(r.addressing.messageId).toBe('uuid:9');
  });

  it('infers the action from the body element only as a last resort', () => {
    const xml = `<s:Envelope xmlns:s="${SOAP11_NS}"><s:Body>${BODY}</s:Body></s:Envelope>`;
    const r = readEnvelope(parseXml(xml), { rawEnvelope: Buffer.from(xml), path: '/', httpAction: '""', actionForBody: (b) => (b.name === 'Ping' ? 'urn:test:Ping' : undefined) });
    expect(r.action).toBe('urn:test:Ping');
    expect(fault(() => readEnvelope(parseXml(xml), { rawEnvelope: Buffer.from(xml), path: '/', actionForBody: () => undefined })).subcode?.name).toBe('MessageAddressingHeaderRequired');
  });
});
