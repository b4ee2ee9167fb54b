/**
 * The hub's request listener (src/http/soap-dispatch.ts): SOAP POSTs on an endpoint's exact paths go to
 * that endpoint's handler, everything else to the express app; two endpoints cannot claim one path.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { soapDispatchListener } from '../../../src/http/soap-dispatch.js';
import type { SoapEndpoint } from '../../../src/http/soap-endpoint.js';

function fakeEndpoint(name: string, paths: string[], seen: string[]): SoapEndpoint {
  return {
    name,
    paths,
    router: undefined as never,
    async post(_req: IncomingMessage, res: ServerResponse, path: string) {
      seen.push(`${name} ${path}`);
      res.end(`soap:${name}`);
    },
  };
}

let server: http.Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function serve(listener: http.RequestListener): Promise<string> {
  server = http.createServer(listener);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('soapDispatchListener', () => {
  it('sends POSTs on exact endpoint paths to the endpoint and everything else to the fallback', async () => {
    const seen: string[] = [];
    const listener = soapDispatchListener(
      [fakeEndpoint('registry', ['/xds/registry', '/ddsregistry'], seen), fakeEndpoint('repository', ['/xds/repository'], seen)],
      (req, res) => {
        seen.push(`fallback ${req.method} ${req.url}`);
        res.end('express');
      },
    );
    const base = await serve(listener);
    const post = async (p: string) => (await fetch(base + p, { method: 'POST', body: '<x/>' })).text();
    expect(await post('/xds/registry')).toBe('soap:registry');
    expect(await post('/ddsregistry?x=1')).toBe('soap:registry');
    expect(await post('/xds/repository')).toBe('soap:repository');
    expect(await post('/xds/registry/')).toBe('express');
    expect(await post('/XDS/registry')).toBe('express');
    expect(await post('/admin/api/login')).toBe('express');
    expect(await (await fetch(`${base}/xds/registry?wsdl`)).text()).toBe('express');
    expect(seen).toEqual([
      'registry /xds/registry',
      'registry /ddsregistry',
      'repository /xds/repository',
      'fallback POST /xds/registry/',
      'fallback POST /XDS/registry',
      'fallback POST /admin/api/login',
      'fallback GET /xds/registry?wsdl',
    ]);
  });

  it('refuses two endpoints on one path', () => {
    expect(() => soapDispatchListener([fakeEndpoint('a', ['/p'], []), fakeEndpoint('b', ['/p'], [])], () => undefined)).toThrow(
      'SOAP path /p is served by both a and b',
    );
  });
});
