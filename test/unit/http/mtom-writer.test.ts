import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { createMtomResponse } from '../../../src/http/mtom-writer.js';
import { parseMtom } from '../../../src/http/mtom-parser.js';
import { parseMediaType } from '../../../src/http/content-type.js';

const spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xds-mtomw-test-'));
afterAll(() => fs.rmSync(spoolDir, { recursive: true, force: true }));

describe('createMtomResponse', () => {
  it('writes a multipart/related body that the MTOM parser reads back', async () => {
    const doc = Buffer.concat([Buffer.from('\r\n--MIMEBoundary_fake\r\n'), Buffer.alloc(100_000, 9)]);
    const env = '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body/></s:Envelope>';
    const r = createMtomResponse({
      version: '1.2',
      envelope: env,
      action: 'urn:ihe:iti:2007:RetrieveDocumentSetResponse',
      attachments: [
        { contentId: '1.doc@xds-hub', contentType: 'text/plain', open: () => Readable.from([doc.subarray(0, 50), doc.subarray(50)]) },
        { contentId: '2.doc@xds-hub', contentType: 'application/pdf', open: async () => Readable.from([Buffer.from('%PDF')]) },
      ],
    });
    const ct = parseMediaType(r.contentType);
    expect(ct.params).toMatchObject({ type: 'application/xop+xml', 'start-info': 'application/soap+xml', action: 'urn:ihe:iti:2007:RetrieveDocumentSetResponse' });
    const parsed = await parseMtom(r.body, r.contentType, { maxRequestBytes: 1e7, maxXmlBytes: 1e6, spoolThresholdBytes: 1e6, spoolDir });
    expect(parsed.root.toString()).toBe(env);
    expect(parsed.rootContentType).toBe('application/xop+xml; charset=UTF-8; type="application/soap+xml"');
    expect((await parsed.attachments.get('1.doc@xds-hub')!.readAll()).equals(doc)).toBe(true);
    expect(parsed.attachments.get('2.doc@xds-hub')!.contentType).toBe('application/pdf');
  });

  it('uses text/xml for SOAP 1.1 and no action parameter', () => {
    const r = createMtomResponse({ version: '1.1', envelope: '<e/>', attachments: [], action: 'x' });
    expect(parseMediaType(r.contentType).params['start-info']).toBe('text/xml');
    expect(parseMediaType(r.contentType).params.action).toBeUndefined();
  });

  it('errors the body stream when an attachment fails', async () => {
    const r = createMtomResponse({
      version: '1.2',
      envelope: '<e/>',
      attachments: [{ contentId: 'x', contentType: 'a/b', open: () => { throw new Error('store unavailable'); } }],
    });
    await expect(async () => {
      for await (const _ of r.body) void _;
    }).rejects.toThrow('store unavailable');
  });
});
