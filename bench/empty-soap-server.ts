/**
 * The floor under the ITI-18 benchmark (issue #3): a Node HTTP server that does nothing but read each POST
 * and answer a fixed Success AdhocQueryResponse of the hub's mean answer size. Run in its own process by
 * bench/core-xds.ts with the same load generator, concurrency and requests as the hub, it shows how many
 * requests/s this machine can carry at all, before any SOAP, XSD, SQLite or consent work.
 *
 *   npx tsx bench/empty-soap-server.ts <port> <responseBytes>   (prints "listening" when ready)
 */
import http from 'node:http';

const port = Number(process.argv[2]);
const size = Number(process.argv[3] ?? 2048);
const head =
  '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><query:AdhocQueryResponse ' +
  'xmlns:query="urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0" status="urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success"><!--';
const tail = '--></query:AdhocQueryResponse></s:Body></s:Envelope>';
const answer = Buffer.from(head + 'x'.repeat(Math.max(0, size - head.length - tail.length)) + tail);

const server = http.createServer((req, res) => {
  req.on('data', () => undefined);
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/soap+xml; charset=UTF-8', 'content-length': answer.length });
    res.end(answer);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(port, '127.0.0.1', () => process.stdout.write('listening\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
