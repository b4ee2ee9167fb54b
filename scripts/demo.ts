/**
 * `npm run demo`: sends a first document to a running hub and reads it back:
 * ITI-8 patient feed (HL7 ADT^A01 over MLLP) → ITI-41 Provide and Register (MTOM) → ITI-18 FindDocuments →
 * ITI-43 Retrieve, printing what happened at each step. Target: XDS_URL (default http://localhost:8080).
 */
import { randomUUID } from 'node:crypto';
import { findDocumentsRequestXml } from '../src/client/find-documents-request.js';
import { SoapClient } from '../src/client/soap-client.js';
import { hl7Now, sampleSubmission } from '../src/client/sample-submission.js';
import { demoSecurityHeaders } from '../src/client/demo-security.js';
import { sendAdtA01 } from '../src/client/patient-feed-client.js';
import { child, childrenNamed, descendants } from '../src/xml/tree.js';
import { NS } from '../src/xds/ebrim/namespaces.js';

const base = (process.env.XDS_URL ?? 'http://localhost:8080').replace(/\/$/, '');
const oid = () => `2.25.${BigInt('0x' + randomUUID().replace(/-/g, '')).toString()}`;

function statusOf(el: { attrs: Readonly<Record<string, string>> }): string {
  return (el.attrs.status ?? '').split(':').pop() ?? '';
}

function errorsOf(el: Parameters<typeof descendants>[0]): string[] {
  return descendants(el, NS.rs, 'RegistryError').map((e) => `${e.attrs.errorCode}: ${e.attrs.codeContext}`);
}

async function main(): Promise<void> {
  const pid = { id: `DEMO${Date.now()}`, oid: '1.3.6.1.4.1.21367.2005.13.20.1000' };
  const patientId = `${pid.id}^^^&${pid.oid}&ISO`;
  const client = new SoapClient({ headers: await demoSecurityHeaders(base) });
  console.log(`xds-hub demo against ${base}`);

  const mllpPort = Number(process.env.XDS_MLLP_PORT ?? 2575);
  const ack = await sendAdtA01(new URL(base).hostname, mllpPort, pid);
  console.log(`1. ITI-8 Patient Identity Feed ADT^A01 for ${patientId} (MLLP port ${mllpPort}): ACK ${ack}`);
  if (ack !== 'AA') throw new Error(`the patient feed was not accepted (MSA-1 ${ack})`);

  const documentUniqueId = oid();
  const content = Buffer.from(`Hello from the xds-hub demo, ${new Date().toISOString()}\n`);
  const sample = sampleSubmission({
    patientId,
    documentUniqueId,
    submissionSetUniqueId: oid(),
    sourceId: '1.3.6.1.4.1.21367.2010.1.2.1',
    mimeType: 'text/plain',
    title: 'Demo note',
    now: hl7Now(),
  });
  const cid = `doc1.${randomUUID()}@xds-hub-demo`;
  const pnr =
    `<xdsb:ProvideAndRegisterDocumentSetRequest xmlns:xdsb="${NS.xdsb}">${sample.submitObjectsRequestXml}` +
    `<xdsb:Document id="${sample.documentEntryUuid}"><xop:Include xmlns:xop="${NS.xop}" href="cid:${cid}"/></xdsb:Document>` +
    `</xdsb:ProvideAndRegisterDocumentSetRequest>`;
  const r41 = await client.call(`${base}/xds/repository`, 'urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b', pnr, [
    { contentId: cid, contentType: 'text/plain', bytes: content },
  ]);
  console.log(`2. ITI-41 Provide and Register ${documentUniqueId} (${content.length} bytes, MTOM): ${statusOf(r41.body)}`, errorsOf(r41.body));
  if (statusOf(r41.body) !== 'Success') process.exitCode = 1;

  const query = findDocumentsRequestXml(patientId);
  const r18 = await client.call(`${base}/xds/registry`, 'urn:ihe:iti:2007:RegistryStoredQuery', query);
  const list = child(r18.body, NS.rim, 'RegistryObjectList');
  const found = list ? childrenNamed(list, NS.rim, 'ExtrinsicObject') : [];
  console.log(`3. ITI-18 FindDocuments for the patient: ${statusOf(r18.body)}, ${found.length} DocumentEntry`, errorsOf(r18.body));
  const repositoryUniqueId = found
    .flatMap((eo) => childrenNamed(eo, NS.rim, 'Slot'))
    .find((s) => s.attrs.name === 'repositoryUniqueId');
  const repoId = repositoryUniqueId ? descendants(repositoryUniqueId, NS.rim, 'Value')[0]?.text ?? '' : '';

  const retrieve =
    `<xdsb:RetrieveDocumentSetRequest xmlns:xdsb="${NS.xdsb}"><xdsb:DocumentRequest>` +
    `<xdsb:RepositoryUniqueId>${repoId}</xdsb:RepositoryUniqueId><xdsb:DocumentUniqueId>${documentUniqueId}</xdsb:DocumentUniqueId>` +
    `</xdsb:DocumentRequest></xdsb:RetrieveDocumentSetRequest>`;
  const r43 = await client.call(`${base}/xds/repository`, 'urn:ihe:iti:2007:RetrieveDocumentSet', retrieve);
  const rr = child(r43.body, NS.rs, 'RegistryResponse');
  const bytes = [...r43.parts.values()][0];
  const same = bytes !== undefined && Buffer.compare(bytes, content) === 0;
  console.log(`4. ITI-43 Retrieve from repository ${repoId}: ${rr ? statusOf(rr) : '?'}, ${bytes?.length ?? 0} bytes, identical: ${same}`, rr ? errorsOf(rr) : []);
  if (!same) process.exitCode = 1;
  console.log(process.exitCode ? 'demo FAILED' : 'demo OK: the document went in and came back unchanged');
}

main().catch((err) => {
  console.error(`demo failed: ${(err as Error).message}`);
  process.exitCode = 1;
});
