/**
 * Turns a step's MetadataFile into the request body the toolkit would send, in the toolkit's order
 * (conformance ANALYSIS.md §3): UseReport, patient ids, UseId (pass 1), uniqueIds, sourceId,
 * AssignUuids, UseId (pass 2), $now$/$lastyear$; PnR is wrapped with its Document parts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { byLocalName, childElements, parseXml, serialize } from './dom.js';
import { assignPatientIds, assignSourceId, assignUids, assignUuids } from './metadata.js';
import type { Step, Transaction } from './plan.js';
import { stripDeclaration } from './soap.js';
import { SOURCE_ID, type RunState, type StepLog } from './state.js';
import { bindUseIds, bindUseReports, standardTokens, substitute, type Bindings } from './substitute.js';
import type { Attachment } from './mime.js';

export const XDSB = 'urn:ihe:iti:xds-b:2007';
const SUBMISSIONS = new Set(['RegisterTransaction', 'ProvideAndRegisterTransaction', 'MuTransaction']);

export interface PreparedRequest {
  bodyXml: string;
  /** SubmitObjectsRequest part as sent (InputMetadata of a PnR). */
  inputMetadata: string;
  attachments: Attachment[];
  mtom: boolean;
  bindings: Bindings;
}

export interface StepEnv {
  state: RunState;
  test: string;
  section: string;
  sectionDir: string;
  step: Step;
  /** patient id written into submissions (undefined with NoPatientId). */
  patientId: string;
}

export function readSectionFile(sectionDir: string, file: string): Buffer {
  const p = path.resolve(sectionDir, file);
  if (fs.existsSync(p)) return fs.readFileSync(p);
  // ReferenceDocument paths are sometimes relative to the test folder ("submit/my_document.txt", 12021).
  const alt = path.resolve(sectionDir, '..', file);
  if (fs.existsSync(alt)) return fs.readFileSync(alt);
  throw new Error(`file ${file} not found in ${sectionDir}`);
}

/** All bindings a step can see before it runs: UseReport plus resolvable UseId values. */
export function preBindings(env: StepEnv, tx: Transaction, log: StepLog | undefined): { bindings: Bindings; deferred: Transaction['useIds'] } {
  const reports = bindUseReports(env.state, env.test, env.section, tx);
  const ids = bindUseIds(env.state, env.test, env.section, env.step.id, tx, log);
  return { bindings: new Map([...reports, ...ids.bindings]), deferred: ids.deferred };
}

export function prepareRequest(env: StepEnv, tx: Transaction, log: StepLog): PreparedRequest {
  if (!tx.metadataFile) throw new Error(`${tx.element} without MetadataFile`);
  const template = readSectionFile(env.sectionDir, tx.metadataFile).toString('utf8');
  const { bindings, deferred } = preBindings(env, tx, undefined);
  let text = substitute(template, bindings);
  const submission = SUBMISSIONS.has(tx.element) && tx.parseMetadata;
  if (submission) {
    const doc = parseXml(text, tx.metadataFile);
    assignPatientIds(doc, tx.flags.has('NoPatientId') ? undefined : env.patientId, log);
    assignUids(doc, env.state, tx.noAssignUidsAll, tx.noAssignUidsIds, log);
    assignSourceId(doc, SOURCE_ID);
    if (tx.flags.has('AssignUuids')) assignUuids(doc, env.state, log);
    text = serialize(doc);
    if (deferred.length > 0) {
      const second = bindUseIds(env.state, env.test, env.section, env.step.id, { ...tx, useIds: deferred }, log);
      text = substitute(text, second.bindings);
    }
  } else if (deferred.length > 0) {
    throw new Error(`UseId ${deferred.map((d) => d.symbol).join(', ')} refers to the step itself`);
  }
  text = substitute(text, standardTokens());
  const allBindings = new Map([...bindings, ...standardTokens()]);
  text = stripDeclaration(text);
  if (tx.element !== 'ProvideAndRegisterTransaction') {
    return { bodyXml: text, inputMetadata: text, attachments: [], mtom: false, bindings: allBindings };
  }
  return wrapPnr(env, tx, log, text, allBindings);
}

/** ITI-41: SubmitObjectsRequest + one Document per <Document> (MTOM by default, inline base64 with NoMTOM). */
function wrapPnr(env: StepEnv, tx: Transaction, log: StepLog, text: string, bindings: Bindings): PreparedRequest {
  const doc = parseXml(text, tx.metadataFile ?? 'metadata');
  const root = doc.documentElement!;
  const sor = root.localName === 'SubmitObjectsRequest' ? root : byLocalName(doc, 'SubmitObjectsRequest')[0];
  if (!sor) throw new Error(`${tx.metadataFile}: no SubmitObjectsRequest`);
  const inputMetadata = serialize(sor);
  const mtom = !tx.flags.has('NoMTOM');
  const attachments: Attachment[] = [];
  const parts: string[] = [];
  tx.documents.forEach((d, i) => {
    const bytes = readSectionFile(env.sectionDir, d.file);
    const id = log.assignedUuids[d.id] ?? d.id;
    const eo = byLocalName(doc, 'ExtrinsicObject').find((e) => e.getAttribute('id') === id);
    const uid = log.assignedUids[d.id];
    if (uid) log.sentDocuments[uid] = bytes;
    if (mtom) {
      const cid = `doc${i + 1}.${Date.now()}@xds-conformance`;
      attachments.push({ contentId: cid, contentType: eo?.getAttribute('mimeType') || 'application/octet-stream', body: bytes });
      parts.push(`<xdsb:Document id="${id}"><xop:Include xmlns:xop="http://www.w3.org/2004/08/xop/include" href="cid:${encodeURIComponent(cid)}"/></xdsb:Document>`);
    } else {
      parts.push(`<xdsb:Document id="${id}">${bytes.toString('base64')}</xdsb:Document>`);
    }
  });
  let bodyXml: string;
  if (root.localName === 'ProvideAndRegisterDocumentSetRequest') {
    // Already wrapped (ReposAcceptanceTest-*): keep its own Document elements, add the plan's.
    const existing = childElements(root).filter((c) => c.localName === 'Document').length;
    const inner = serialize(root);
    bodyXml = parts.length === 0 || existing > 0
      ? inner
      : inner.replace(/<\/([A-Za-z0-9_]+:)?ProvideAndRegisterDocumentSetRequest>\s*$/, (m) => `${parts.join('')}${m}`);
    if (parts.length > 0 && existing === 0 && !inner.includes(`xmlns:xdsb="${XDSB}"`)) {
      bodyXml = bodyXml.replace(/^<([A-Za-z0-9_:]+)/, `<$1 xmlns:xdsb="${XDSB}"`);
    }
  } else {
    bodyXml = `<xdsb:ProvideAndRegisterDocumentSetRequest xmlns:xdsb="${XDSB}">${inputMetadata}${parts.join('')}</xdsb:ProvideAndRegisterDocumentSetRequest>`;
  }
  return { bodyXml, inputMetadata, attachments, mtom, bindings };
}
