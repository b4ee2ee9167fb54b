/**
 * A lean ITI-18 load generator for the benchmarks: keep-alive HTTP/1.1 through node:http with one socket
 * per concurrent caller, SOAP 1.2 envelopes built by string concatenation, and answers checked by text
 * (the ebRS status and the count of ExtrinsicObjects), not parsed into a tree.
 *
 * Why: the load generator shares the bench machine with the hub. The full SoapClient (fetch + a libxml2
 * parse of every answer) cost more CPU per query than the hub itself (2.3 ms against 1.6 ms measured on
 * the 2-core bench machine, issue #3), so it, not the hub, set the measured rate and tail latency. The
 * hub's own CPU per query is measured from /proc either way.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';

export interface QueryLoadResult {
  queries: number;
  perSecond: number;
  /** sorted request times (ms). */
  times: number[];
  hits: number;
  failures: number;
  /** first failing answer, for the report. */
  firstFailure?: string;
  /** CPU the load generator used per query (ms): what it takes away from the hub on a shared machine. */
  clientCpuMsPerQuery: number;
  /** mean size of an answer body (characters). */
  meanResponseChars: number;
}

const SUCCESS = 'status="urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success"';

/** Counts non-overlapping occurrences of `needle` in `text`. */
function count(text: string, needle: string): number {
  let n = 0;
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + needle.length)) n++;
  return n;
}

export function soap12Envelope(action: string, to: string, bodyXml: string, headers: readonly string[] = []): string {
  return (
    `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://www.w3.org/2005/08/addressing"><s:Header>` +
    `<a:Action s:mustUnderstand="1">${action}</a:Action><a:MessageID>urn:uuid:${randomUUID()}</a:MessageID>` +
    `<a:To s:mustUnderstand="1">${to}</a:To>${headers.join('')}</s:Header><s:Body>${bodyXml}</s:Body></s:Envelope>`
  );
}

function post(agent: http.Agent, url: URL, action: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': `application/soap+xml; charset=UTF-8; action="${action}"`, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.setEncoding('utf8');
        let text = '';
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Sends `queries` ITI-18 requests, `concurrency` at a time; `body(i)` is the AdhocQueryRequest of query i
 * and `headers()` the extra SOAP header blocks (e.g. a DGWS ID card) of each request.
 */
export async function runQueryLoad(opts: {
  url: string;
  action: string;
  queries: number;
  concurrency: number;
  body: (i: number) => string;
  headers?: () => Promise<readonly string[]> | readonly string[];
}): Promise<QueryLoadResult> {
  const url = new URL(opts.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.concurrency });
  const times: number[] = [];
  let hits = 0;
  let failures = 0;
  let firstFailure: string | undefined;
  let responseChars = 0;
  let next = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  try {
    await Promise.all(
      Array.from({ length: opts.concurrency }, async () => {
        while (next < opts.queries) {
          const i = next++;
          const envelope = soap12Envelope(opts.action, opts.url, opts.body(i), (await opts.headers?.()) ?? []);
          const s = performance.now();
          const r = await post(agent, url, opts.action, envelope);
          times.push(performance.now() - s);
          if (r.status !== 200 || !r.text.includes(SUCCESS)) {
            failures++;
            firstFailure ??= `HTTP ${r.status}: ${r.text.slice(0, 600)}`;
          }
          hits += count(r.text, '<rim:ExtrinsicObject');
          responseChars += r.text.length;
        }
      }),
    );
  } finally {
    agent.destroy();
  }
  const elapsed = performance.now() - start;
  const used = process.cpuUsage(cpu);
  times.sort((a, b) => a - b);
  return {
    queries: opts.queries,
    perSecond: Math.round(opts.queries / (elapsed / 1000)),
    times,
    hits,
    failures,
    firstFailure,
    clientCpuMsPerQuery: +((used.user + used.system) / 1000 / opts.queries).toFixed(3),
    meanResponseChars: Math.round(responseChars / opts.queries),
  };
}
