/**
 * The hub's HTTP request listener: a SOAP POST to one of the endpoints' exact paths goes straight to that
 * endpoint; everything else (GET ?wsdl, other methods, the admin UI, STS, REST, /health, and paths that
 * only express's lenient matching accepts, such as a trailing slash) goes to the express app.
 *
 * Why: express's application and router stack (request/response prototype swaps, one path-to-regexp match
 * per mounted layer) cost more per request than parsing and validating the SOAP envelope — measured at
 * about 0.6 ms CPU per ITI-18 query on the bench machine (issue #3). The endpoint's handler and answers are
 * the same on both routes: createSoapEndpoint's router calls the same `post`.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { SoapEndpoint } from './soap-endpoint.js';

export function soapDispatchListener(endpoints: readonly SoapEndpoint[], fallback: RequestListener): RequestListener {
  const byPath = new Map<string, SoapEndpoint>();
  for (const e of endpoints) {
    for (const p of e.paths) {
      const other = byPath.get(p);
      if (other) throw new Error(`SOAP path ${p} is served by both ${other.name} and ${e.name}`);
      byPath.set(p, e);
    }
  }
  return (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'POST' && req.url !== undefined) {
      const q = req.url.indexOf('?');
      const p = q === -1 ? req.url : req.url.slice(0, q);
      const endpoint = byPath.get(p);
      if (endpoint) {
        // post() answers every failure itself (SOAP fault or error response, logged); a rejection here
        // would mean that answering failed too, so the connection is all that is left to close.
        endpoint.post(req, res, p).catch(() => res.destroy());
        return;
      }
    }
    fallback(req, res);
  };
}
