/**
 * The hub with its admin UI as createHub mounts it (/admin, the login-protected /api/patients), a known
 * operator and no login delay; and ITI-41 submissions sent over HTTP (MTOM), one with a Folder, one
 * replacing a document (RPLC).
 */
import { randomUUID } from 'node:crypto';
import { findDocumentsRequestXml } from '../../src/client/find-documents-request.js';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHub, type Hub } from '../../src/app.js';
import type { ActivityLog } from '../../src/admin/activity-log.js';
import type { Admin, AdminOptions } from '../../src/admin/admin-router.js';
import { hashPassword } from '../../src/admin/auth/password.js';
import { envelope12, mtomBody } from '../../src/client/soap-client.js';
import { loadConfig, type HubConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/util/logger.js';
import { NS } from '../../src/xds/ebrim/namespaces.js';
import { encodeRegistryObjectList } from '../../src/xds/ebrim/encode-objects.js';
import { AssociationType, type DocumentEntry, type RegistryObject } from '../../src/xds/model/types.js';
import { association, author, code, documentEntry, folder, oid, submissionSet } from '../support/domain-builders.js';

export const ADMIN_USER = 'operator';
export const ADMIN_PASSWORD = 'correct horse battery staple';
export const AUTHORITY = '1.2.208.176.1.2';
const PNR = 'urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b';

export interface AdminTestHub {
  hub: Hub;
  admin: Admin;
  activity: ActivityLog;
  app: Hub['app'];
  cleanup(): Promise<void>;
}

/** The hub as createHub wires it, with a known operator, no login delay and any admin overrides. */
export async function createAdminTestHub(
  adminOverrides: Partial<AdminOptions> = {},
  logLines?: string[],
  configOverrides: Partial<HubConfig> = {},
): Promise<AdminTestHub> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'xds-admin-test-'));
  const config = loadConfig({}, { httpPort: 0, httpHost: '127.0.0.1', mllpPort: -1, insecureDevelopment: true, ...configOverrides, dataDir });
  const logger = logLines ? createLogger('info', (l) => logLines.push(l)) : createLogger('silent');
  const hub = await createHub(config, {
    logger,
    env: {},
    admin: {
      users: [{ name: ADMIN_USER, passwordHash: await hashPassword(ADMIN_PASSWORD, { N: 1024, r: 8, p: 1 }) }],
      guard: { failureDelayMs: 0 },
      ...adminOverrides,
    },
  });
  return {
    hub,
    admin: hub.admin,
    activity: hub.activity,
    app: hub.app,
    async cleanup() {
      await hub.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function listen(app: http.RequestListener): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export function patientId(cpr: string): string {
  return `${cpr}^^^&${AUTHORITY}&ISO`;
}

function entry(pid: string, title: string, mimeType: string): DocumentEntry {
  const { hash: _h, size: _s, repositoryUniqueId: _r, ...rest } = documentEntry({
    patientId: pid,
    sourcePatientId: pid,
    sourcePatientInfo: ['PID-3|' + pid, 'PID-5|Jensen^Karen^^^', 'PID-7|19800101', 'PID-8|F'],
    title: { value: title },
    mimeType,
    classCode: code('001', '1.2.208.184.100.9', 'Klinisk rapport'),
    authors: [author('^Hansen^Hans^^^Dr.', { institutions: ['Demo Hospital^^^^^&1.2.208.176.1&ISO^^^^1.2.208.176.1.1'], roles: ['Attending'], telecoms: ['^NET^Internet^hans@example.org'] })],
  });
  return rest as DocumentEntry;
}

/** Sends one ITI-41 over HTTP (MTOM) and returns the RegistryResponse status and error codes. */
async function provideRaw(baseUrl: string, objects: RegistryObject[], docs: { entryUuid: string; bytes: Buffer; mimeType: string }[]): Promise<{ status?: string; errorCodes: string[]; text: string; httpStatus: number }> {
  const sor = `<lcm:SubmitObjectsRequest xmlns:lcm="${NS.lcm}">${encodeRegistryObjectList(objects, 'LeafClass')}</lcm:SubmitObjectsRequest>`;
  const parts = docs.map((d) => ({ contentId: `doc.${randomUUID()}@test`, contentType: d.mimeType, bytes: d.bytes }));
  const xml =
    `<xdsb:ProvideAndRegisterDocumentSetRequest xmlns:xdsb="${NS.xdsb}">${sor}` +
    docs.map((d, i) => `<xdsb:Document id="${d.entryUuid}"><xop:Include xmlns:xop="${NS.xop}" href="cid:${parts[i].contentId}"/></xdsb:Document>`).join('') +
    `</xdsb:ProvideAndRegisterDocumentSetRequest>`;
  const { body, contentType } = mtomBody(envelope12(PNR, `${baseUrl}/xds/repository`, xml), PNR, parts);
  const res = await fetch(`${baseUrl}/xds/repository`, { method: 'POST', headers: { 'content-type': contentType }, body });
  const text = await res.text();
  const status = /RegistryResponse[^>]*status="[^"]*:(\w+)"/.exec(text)?.[1];
  return { status, errorCodes: [...text.matchAll(/errorCode="([^"]+)"/g)].map((m) => m[1]), text, httpStatus: res.status };
}

async function provide(baseUrl: string, objects: RegistryObject[], docs: { entryUuid: string; bytes: Buffer; mimeType: string }[]): Promise<void> {
  const r = await provideRaw(baseUrl, objects, docs);
  if (r.status !== 'Success') throw new Error(`ITI-41 failed (${r.httpStatus}): ${r.text.slice(0, 1500)}`);
}

/** One document for an already registered patient; returns its entry. */
export async function submitOne(baseUrl: string, pid: string, title: string, mimeType: string, bytes: Buffer): Promise<DocumentEntry> {
  const doc = entry(pid, title, mimeType);
  const ss = submissionSet({ patientId: pid });
  const member = association(ss.entryUuid, doc.entryUuid, { extraSlots: [{ name: 'SubmissionSetStatus', values: ['Original'] }] });
  await provide(baseUrl, [ss, doc, member], [{ entryUuid: doc.entryUuid, bytes, mimeType }]);
  return doc;
}

/** An ITI-41 for a patient the registry does not know: answered Failure / XDSUnknownPatientId. */
export async function submitForUnknownPatient(baseUrl: string, pid: string): Promise<string[]> {
  const doc = entry(pid, 'Unknown patient', 'text/plain');
  const ss = submissionSet({ patientId: pid });
  const member = association(ss.entryUuid, doc.entryUuid, { extraSlots: [{ name: 'SubmissionSetStatus', values: ['Original'] }] });
  const r = await provideRaw(baseUrl, [ss, doc, member], [{ entryUuid: doc.entryUuid, bytes: Buffer.from('x'), mimeType: 'text/plain' }]);
  if (r.status !== 'Failure') throw new Error(`expected a Failure, got ${r.status}: ${r.text.slice(0, 800)}`);
  return r.errorCodes;
}

/** An ITI-18 FindDocuments over HTTP (a read path: the audit recorder names the caller). */
export async function findDocuments(baseUrl: string, pid: string): Promise<string> {
  const SQ = 'urn:ihe:iti:2007:RegistryStoredQuery';
  const body = findDocumentsRequestXml(pid, { returnType: 'ObjectRef' });
  const res = await fetch(`${baseUrl}/xds/registry`, {
    method: 'POST',
    headers: { 'content-type': `application/soap+xml; charset=UTF-8; action="${SQ}"` },
    body: envelope12(SQ, `${baseUrl}/xds/registry`, body),
  });
  return res.text();
}

export interface Submitted {
  original: DocumentEntry;
  replacement: DocumentEntry;
  folderUuid: string;
  submissionSetUuid: string;
  content: Buffer;
  replacementContent: Buffer;
}

/**
 * Registers the patient, then two ITI-41s: a CDA-like XML document in a new Folder, then a text
 * document replacing it (RPLC, ITI TF-3 §4.2.2.2).
 */
export async function submitDocuments(baseUrl: string, hub: Hub, pid: string): Promise<Submitted> {
  await hub.identity.register(pid, 'test', { familyName: 'Jensen', givenName: 'Karen' });
  const original = entry(pid, 'Discharge summary', 'text/xml');
  const content = Buffer.from(`<?xml version="1.0"?>\n<ClinicalDocument xmlns="urn:hl7-org:v3"><title>Discharge summary</title><text>Patient discharged &amp; well.</text></ClinicalDocument>\n`);
  const ss1 = submissionSet({ patientId: pid, title: { value: 'Admission bundle' } });
  const f = folder({ patientId: pid, title: { value: 'Admission 2024' } });
  const { lastUpdateTime: _l, ...fNoTime } = f;
  const ssDoc = association(ss1.entryUuid, original.entryUuid, { extraSlots: [{ name: 'SubmissionSetStatus', values: ['Original'] }] });
  const ssFolder = association(ss1.entryUuid, f.entryUuid);
  const folderDoc = association(f.entryUuid, original.entryUuid);
  const ssFolderDoc = association(ss1.entryUuid, folderDoc.entryUuid);
  await provide(baseUrl, [ss1, original, fNoTime as RegistryObject, ssDoc, ssFolder, folderDoc, ssFolderDoc], [{ entryUuid: original.entryUuid, bytes: content, mimeType: 'text/xml' }]);

  const replacement = entry(pid, 'Discharge summary (corrected)', 'text/plain');
  const replacementContent = Buffer.from('Discharge summary, corrected.\nPatient discharged and well.\n');
  const ss2 = submissionSet({ patientId: pid, title: { value: 'Correction' } });
  const ss2Doc = association(ss2.entryUuid, replacement.entryUuid, { extraSlots: [{ name: 'SubmissionSetStatus', values: ['Original'] }] });
  const rplc = association(replacement.entryUuid, original.entryUuid, { associationType: AssociationType.Replace });
  await provide(baseUrl, [ss2, replacement, ss2Doc, rplc], [{ entryUuid: replacement.entryUuid, bytes: replacementContent, mimeType: 'text/plain' }]);
  return { original, replacement, folderUuid: f.entryUuid, submissionSetUuid: ss1.entryUuid, content, replacementContent };
}

export { oid };
