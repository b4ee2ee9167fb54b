/**
 * Issue #2: "MTOM with a large streamed attachment ... a 1 GB document never sits in memory". A 300 MB
 * attachment is streamed through a real HTTP connection (chunked, generated on the fly) into the endpoint;
 * the MTOM parser spools it to disk and the handler hashes it from there. The process RSS is sampled
 * throughout: holding the document in memory anywhere would add ≥ 300 MB.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import express from 'express';
import { parseMtom } from '../../../src/http/mtom-parser.js';
import { afterAll, describe, expect, it } from 'vitest';
import { createSoapEndpoint } from '../../../src/http/soap-endpoint.js';
import { createSchemaSet } from '../../../src/xml/schemas.js';
import { anonymousContext } from '../../../src/security/context.js';
import { xpathString } from '../../../src/xml/xpath.js';
import { createLogger } from '../../../src/util/logger.js';
import { ACTIONS, fakeDescriptors, pnrBody, xopInclude, type Received } from './fake-descriptors.js';

const MB = 1024 * 1024;
const DOC_BYTES = 300 * MB;
const schemas = createSchemaSet(path.resolve('schemas'));
const spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xds-large-mtom-'));
afterAll(() => {
  schemas.dispose();
  fs.rmSync(spoolDir, { recursive: true, force: true });
});

describe('MTOM with a large streamed attachment', () => {
  it('streams 300 MB through the endpoint with bounded RSS and leaves no spool file', async () => {
    const received: Received = { documents: {}, actions: [] };
    const app = express();
    app.use(
      createSoapEndpoint({
        name: 'repository',
        paths: ['/xds/repository'],
        descriptors: fakeDescriptors(received),
        schemas,
        limits: { maxRequestBytes: 1024 * MB, maxXmlBytes: 64 * MB, spoolThresholdBytes: 4 * MB, spoolDir },
        authenticate: async () => anonymousContext(),
        log: createLogger('silent'),
      }),
    );
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const port = (server.address() as AddressInfo).port;

    const boundary = 'uuid:0ca0e16e-feb1-426c-97d8-c4508ada5e82';
    const envelope =
      `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:wsa="http://www.w3.org/2005/08/addressing">` +
      `<s:Header><wsa:Action>${ACTIONS.pnr}</wsa:Action><wsa:MessageID>urn:uuid:big-1</wsa:MessageID></s:Header>` +
      `<s:Body>${pnrBody([{ id: 'Document01', content: xopInclude('1.big%40test') }])}</s:Body></s:Envelope>`;

    // A 1 MB pattern block, varied per chunk so the hash proves order and completeness.
    const block = Buffer.alloc(MB);
    for (let i = 0; i < block.length; i++) block[i] = (i * 31) & 0xff;
    const expected = createHash('sha1');

    globalThis.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 25);

    const response = await new Promise<{ status: number; contentType: string; body: Buffer }>((resolve, reject) => {
      const req = http.request({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/xds/repository',
        headers: {
          'Content-Type': `multipart/related; type="application/xop+xml"; boundary="${boundary}"; start="<root@test>"; start-info="application/soap+xml"; action="${ACTIONS.pnr}"`,
        },
      });
      req.on('error', reject);
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type']), body: Buffer.concat(chunks) }));
      });
      const write = (b: Buffer | string): Promise<void> => (req.write(b) ? Promise.resolve() : new Promise((r) => req.once('drain', () => r())));
      void (async () => {
        await write(`--${boundary}\r\nContent-Type: application/xop+xml; charset=UTF-8; type="application/soap+xml"\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <root@test>\r\n\r\n${envelope}\r\n`);
        await write(`--${boundary}\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <1.big@test>\r\n\r\n`);
        for (let i = 0; i < DOC_BYTES / MB; i++) {
          block[0] = i & 0xff;
          expected.update(block);
          await write(Buffer.from(block));
        }
        await write(`\r\n--${boundary}--\r\n`);
        req.end();
      })().catch(reject);
    });
    clearInterval(sampler);
    server.close();

    expect(response.status).toBe(200);
    // the MTOM request is answered in MTOM: read the root part
    const reply = await parseMtom(Readable.from([response.body]), response.contentType, { maxRequestBytes: MB, maxXmlBytes: MB, spoolThresholdBytes: MB, spoolDir });
    expect(xpathString(reply.root, '//*[local-name()="RegistryResponse"]/@status')).toMatch(/Success$/);
    expect(received.documents.Document01).toEqual({ size: DOC_BYTES, sha1: expected.digest('hex'), kind: 'attachment' });
    expect(fs.readdirSync(spoolDir)).toEqual([]);
    const growth = (peak - rssBefore) / MB;
    console.log(`300 MB MTOM upload: RSS ${(rssBefore / MB).toFixed(0)} MB -> peak ${(peak / MB).toFixed(0)} MB (+${growth.toFixed(0)} MB)`);
    expect(growth).toBeLessThan(150);
  }, 240_000);
});

describe('client abort during an MTOM upload', () => {
  it('deletes the spool file and keeps serving', async () => {
    const received: Received = { documents: {}, actions: [] };
    const app = express();
    app.use(
      createSoapEndpoint({
        name: 'repository',
        paths: ['/xds/repository'],
        descriptors: fakeDescriptors(received),
        schemas,
        limits: { maxRequestBytes: 1024 * MB, maxXmlBytes: 64 * MB, spoolThresholdBytes: MB, spoolDir },
        authenticate: async () => anonymousContext(),
        log: createLogger('silent'),
      }),
    );
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const port = (server.address() as AddressInfo).port;
    const req = http.request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/xds/repository',
      headers: { 'Content-Type': `multipart/related; boundary="b"; type="application/xop+xml"; action="${ACTIONS.pnr}"` },
    });
    req.on('error', () => undefined);
    req.write(`--b\r\nContent-Type: application/xop+xml; type="application/soap+xml"\r\nContent-ID: <r>\r\n\r\n<e/>\r\n--b\r\nContent-ID: <a>\r\n\r\n`);
    for (let i = 0; i < 8; i++) req.write(Buffer.alloc(MB, 1));
    // wait until the spool file exists, then cut the connection
    for (let i = 0; i < 200 && fs.readdirSync(spoolDir).length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(fs.readdirSync(spoolDir).length).toBe(1);
    req.destroy();
    for (let i = 0; i < 200 && fs.readdirSync(spoolDir).length > 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(fs.readdirSync(spoolDir)).toEqual([]);
    expect(received.actions).toEqual([]);
    // the server is still healthy
    const ok = await fetch(`http://127.0.0.1:${port}/xds/repository?wsdl`);
    expect(ok.status).toBe(405);
    server.close();
  }, 60_000);
});
