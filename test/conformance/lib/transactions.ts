/**
 * Executes one TestStep against the hub: picks the endpoint and SOAP action of its transaction element
 * (conformance ANALYSIS.md §2.1), sends it, validates the response (envelope, WS-Addressing, XSD) and runs
 * the outcome checks. Returns the failure reasons of the step (empty = passed).
 */
import fs from 'node:fs';
import { checkAsserts, checkContents, checkReturnedMetadata, checkStatus, outcomeOf, sectionLogXml, type Outcome } from './checks.js';
import { adtA01, sendMllp } from './mllp.js';
import type { Step, Transaction, UseId } from './plan.js';
import { prepareRequest, preBindings, readSectionFile, type StepEnv } from './prepare.js';
import { resolveTestdir } from './refs.js';
import { checkRetrieve, referenceMetadata } from './retrieve-checks.js';
import { postRaw, soapCall, stripDeclaration, type SoapResponse } from './soap.js';
import { emptyStepLog, type StepLog } from './state.js';
import { bindUseIds, standardTokens, substitute } from './substitute.js';
import { xpathString } from './xpath.js';

export interface HubEndpoints {
  registryUrl: string;
  repositoryUrl: string;
  mllpHost: string;
  mllpPort: number;
  /** XSD validation of a response body; returns the schema messages (empty = valid). */
  validate(xml: string): string[];
}

interface SoapTx { endpoint: 'registry' | 'repository'; action: string }

const SOAP_TX: Record<string, SoapTx> = {
  RegisterTransaction: { endpoint: 'registry', action: 'urn:ihe:iti:2007:RegisterDocumentSet-b' },
  ProvideAndRegisterTransaction: { endpoint: 'repository', action: 'urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b' },
  StoredQueryTransaction: { endpoint: 'registry', action: 'urn:ihe:iti:2007:RegistryStoredQuery' },
  RetrieveTransaction: { endpoint: 'repository', action: 'urn:ihe:iti:2007:RetrieveDocumentSet' },
  MuTransaction: { endpoint: 'registry', action: 'urn:ihe:iti:2010:UpdateDocumentSet' },
  RemoveMetadataTransaction: { endpoint: 'registry', action: 'urn:ihe:iti:2010:DeleteDocumentSet' },
  RdTransaction: { endpoint: 'repository', action: 'urn:ihe:iti:2017:RemoveDocuments' },
  MPQTransaction: { endpoint: 'registry', action: 'urn:ihe:iti:2009:MultiPatientStoredQuery' },
};

export interface StepContext extends StepEnv {
  hub: HubEndpoints;
  sectionLog: Map<string, StepLog>;
  /** patient ids a PatientIdentityFeedTransaction of this test must register (raw-body tests). */
  feedPatientIds: () => string[];
  /** records an environment note (stderr), e.g. a known test-data deviation. */
  note: (msg: string) => void;
}

export async function runStep(ctx: StepContext): Promise<string[]> {
  const { step } = ctx;
  const log = emptyStepLog();
  ctx.sectionLog.set(step.id, log);
  // Every step publishes the patient id it ran under (20001/eval_assoc reads it from a query step).
  log.reports.$patientid$ = ctx.patientId;
  const tx = step.tx;
  // A step without a transaction only switches context (NewPatientId, handled by the runner) or does nothing (12345/reset_patient_id).
  if (!tx) return [];
  log.transaction = tx.element;
  if (tx.unknown.length > 0) return [`runner does not implement: ${tx.unknown.join(', ')}`];
  if (tx.waitBeforeMs && tx.waitBeforeMs > 0) await new Promise((r) => setTimeout(r, tx.waitBeforeMs));
  switch (tx.element) {
    case 'PatientIdentityFeedTransaction': return feed(ctx, log);
    case 'NullTransaction': return nullTransaction(ctx, tx);
    case 'HttpTransaction': return httpTransaction(ctx, tx, log);
    default: {
      const soap = SOAP_TX[tx.element];
      if (!soap) return [`unknown transaction ${tx.element}`];
      return soapTransaction(ctx, tx, soap, log);
    }
  }
}

/** ITI-8 feed; publishes the id as report `$patientid$` (ANALYSIS.md §5). */
async function feed(ctx: StepContext, log: StepLog): Promise<string[]> {
  const fromBodies = ctx.feedPatientIds();
  const ids = fromBodies.length > 0 ? fromBodies : [ctx.state.newPatientId()];
  const fails: string[] = [];
  for (const pid of ids) {
    const msg = adtA01(pid, `${ctx.test}-${ctx.section}-${Date.now()}`);
    log.request = `<HL7v2>${msg.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</HL7v2>`;
    const ack = await sendMllp(ctx.hub.mllpHost, ctx.hub.mllpPort, msg);
    if (ack.ackCode !== 'AA') fails.push(`ADT^A01 for ${pid}: MSA-1=${ack.ackCode || '(none)'} ${ack.text}`.trim());
    else ctx.state.registeredPatients.add(pid);
  }
  log.reports.$patientid$ = ids[0];
  ctx.state.sessionPatientId.set(ctx.test, ids[0]);
  return fails;
}

function nullTransaction(ctx: StepContext, tx: Transaction): string[] {
  const { bindings } = preBindings(ctx, tx, undefined);
  const all = new Map([...bindings, ...standardTokens()]);
  const asserts = tx.asserts.map((a) => ({ id: a.id, xpath: substitute(a.xpath, all, true) }));
  return checkAsserts(asserts, sectionLogXml(ctx.sectionLog));
}

/** Envelope-level checks every SOAP answer must pass before its content is looked at. */
export function envelopeChecks(hub: HubEndpoints, res: SoapResponse, action: string, messageId?: string): string[] {
  const f: string[] = [];
  if (res.fault) {
    if (res.httpStatus !== 500 && res.httpStatus !== 200 && res.httpStatus !== 400) f.push(`SOAP Fault with HTTP ${res.httpStatus}`);
    return f;
  }
  if (res.httpStatus !== 200) f.push(`HTTP ${res.httpStatus}`);
  if (res.action !== `${action}Response`) f.push(`response wsa:Action ${res.action ?? '(none)'}, expected ${action}Response`);
  if (messageId && res.relatesTo !== messageId) f.push(`wsa:RelatesTo ${res.relatesTo ?? '(none)'}, expected the request MessageID`);
  if (!res.bodyXml) f.push(`empty SOAP Body (${res.raw.slice(0, 200)})`);
  else {
    const errs = hub.validate(res.bodyXml);
    if (errs.length > 0) f.push(`response not schema-valid: ${errs.slice(0, 3).join(' | ')}`);
  }
  return f;
}

function outcomeChecks(ctx: StepContext, tx: Transaction, res: SoapResponse): { fails: string[]; outcome?: Outcome } {
  const fails: string[] = [];
  let outcome: Outcome | undefined;
  if (res.bodyXml && !res.fault) {
    outcome = outcomeOf(res.bodyXml);
  }
  fails.push(...checkStatus(ctx.step, outcome, res.fault));
  const resolveUseId = (u: UseId): string => {
    const v = bindUseIds(ctx.state, ctx.test, ctx.section, ctx.step.id, { ...tx, useIds: [u] }, undefined).bindings.get(u.symbol);
    if (v === undefined) throw new Error(`UseId ${u.symbol} refers to the step itself`);
    return v;
  };
  fails.push(...checkContents(tx.expectedContents, res.bodyXml, resolveUseId));
  if (!res.fault) fails.push(...checkReturnedMetadata(res.bodyXml));
  return { fails, outcome };
}

/**
 * `$now$` has second precision and time ranges end exclusively (ITI TF-2a §3.18.4.1.2.3.6), so a query sent
 * in the same second as the registration it looks for would miss it. The toolkit never meets this (its steps
 * take longer than a second); the runner waits for the next second before binding `$now$`, as the toolkit's
 * pace would, instead of the hub bending its time semantics.
 */
async function awaitFreshSecond(ctx: StepContext, tx: Transaction): Promise<void> {
  if (!tx.metadataFile || !readSectionFile(ctx.sectionDir, tx.metadataFile).includes('$now$')) return;
  await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 5));
}

async function soapTransaction(ctx: StepContext, tx: Transaction, soap: SoapTx, log: StepLog): Promise<string[]> {
  await awaitFreshSecond(ctx, tx);
  const prepared = prepareRequest(ctx, tx, log);
  const url = soap.endpoint === 'registry' ? ctx.hub.registryUrl : ctx.hub.repositoryUrl;
  const { messageId, response } = await soapCall({
    url, action: soap.action, bodyXml: prepared.bodyXml, attachments: prepared.attachments, // ITI-41 requests and ITI-43 requests are MTOM/XOP (ITI TF-2x Appendix V), unless the plan says NoMTOM.
    mtom: !tx.flags.has('NoMTOM') && (tx.element === 'ProvideAndRegisterTransaction' || tx.element === 'RetrieveTransaction'),
  });
  log.request = prepared.inputMetadata;
  log.response = response.bodyXml ? stripDeclaration(response.bodyXml) : undefined;
  const fails = envelopeChecks(ctx.hub, response, soap.action, messageId);
  if (tx.element === 'RetrieveTransaction' && !response.fault && response.bodyXml && !response.multipart) {
    fails.push('ITI-43 response is not MTOM/XOP (ITI TF-2b §3.43.4.2.2 requires multipart/related)');
  }
  const out = outcomeChecks(ctx, tx, response);
  fails.push(...out.fails);
  for (const r of tx.reports) {
    const src = r.section === 'InputMetadata' ? log.request : log.response;
    if (!src) { fails.push(`Report ${r.name}: no ${r.section}`); continue; }
    log.reports[r.name] = xpathString(src, r.xpath);
  }
  if (tx.element === 'RetrieveTransaction' && response.bodyXml && ctx.step.expectedStatus.includes('Success')) {
    fails.push(...retrieveChecks(ctx, tx, prepared.bodyXml, response.bodyXml, prepared.bindings));
  }
  if (tx.asserts.length > 0) fails.push(...checkAsserts(tx.asserts.map((a) => ({ id: a.id, xpath: substitute(a.xpath, prepared.bindings, true) })), sectionLogXml(ctx.sectionLog)));
  return fails;
}

function retrieveChecks(ctx: StepContext, tx: Transaction, requestXml: string, responseXml: string, bindings: Map<string, string>): string[] {
  let refMeta;
  if (tx.referenceMetadata) {
    const key = resolveTestdir(ctx.test, ctx.section, tx.referenceMetadata.testdir);
    const ref = ctx.state.sectionLog(key)?.get(tx.referenceMetadata.step)?.response;
    if (!ref) return [`ReferenceMetadata: no response logged for ${key} step ${tx.referenceMetadata.step}`];
    refMeta = referenceMetadata(ref);
  }
  const refDocs = new Map<string, Buffer>();
  for (const rd of tx.referenceDocuments) {
    const uid = substitute(rd.uid, bindings, true);
    const named = readSectionFile(ctx.sectionDir, rd.file);
    const sent = sentBytes(ctx, uid);
    if (sent && !sent.equals(named) && REFERENCE_DOCUMENT_MISNAMED.has(`${ctx.test}/${ctx.section}`)) {
      // 12029: the plan names a file other than the one its submit step sent (KNOWN-DEVIATIONS.md).
      ctx.note(`${ctx.test}/${ctx.section}: ReferenceDocument ${rd.file} is not the document submitted under ${uid}; comparing with the bytes actually sent (KNOWN-DEVIATIONS.md)`);
      refDocs.set(uid, sent);
    } else refDocs.set(uid, named);
  }
  return checkRetrieve({ requestXml, responseXml, refMeta, refDocs, expectedMimeType: tx.expectedMimeType });
}

/** Sections whose ReferenceDocument names a file their submit step never sent (KNOWN-DEVIATIONS.md). */
const REFERENCE_DOCUMENT_MISNAMED = new Set(['12029/retrieve', '50000/retrieve', '50000/verify', '50002/retrieve', '50003/retrieve']);

function sentBytes(ctx: StepContext, uid: string): Buffer | undefined {
  for (const section of ctx.state.sections.values()) {
    for (const s of section.values()) if (s.sentDocuments[uid]) return s.sentDocuments[uid];
  }
  return undefined;
}

/**
 * Pre-built ITI-41 HTTP bodies (PnrXop, PnrNoXop): posted as they are, except that the corpus stores them
 * with LF line ends; MIME (RFC 2046 §5.1.1) requires CRLF, so they are sent with CRLF (ANALYSIS.md §8).
 */
async function httpTransaction(ctx: StepContext, tx: Transaction, log: StepLog): Promise<string[]> {
  if (!tx.bodyFile || !tx.headers) return ['HttpTransaction without Headers/BodyFile'];
  const ctLine = tx.headers.split(/\r?\n/).map((l) => l.trim()).find((l) => /^content-type:/i.test(l));
  if (!ctLine) return ['HttpTransaction Headers without Content-Type'];
  const contentType = ctLine.replace(/^content-type:\s*/i, '');
  const raw = fs.readFileSync(`${ctx.sectionDir}/${tx.bodyFile}`);
  const body = Buffer.from(raw.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
  const action = /action="([^"]+)"/.exec(contentType)?.[1] ?? 'urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b';
  const response = await postRaw(ctx.hub.repositoryUrl, contentType, body);
  const meta = submitObjectsOf(raw.toString('utf8'));
  log.request = meta ?? undefined;
  log.response = response.bodyXml ? stripDeclaration(response.bodyXml) : undefined;
  if (meta) recordRawIds(meta, log);
  const fails = envelopeChecks(ctx.hub, response, action);
  fails.push(...outcomeChecks(ctx, tx, response).fails);
  return fails;
}

/** The SubmitObjectsRequest inside a raw body (what the toolkit logs as InputMetadata). */
export function submitObjectsOf(body: string): string | undefined {
  const m = /<([A-Za-z0-9_]+:)?SubmitObjectsRequest[\s\S]*?<\/\1?SubmitObjectsRequest>/.exec(body);
  return m?.[0];
}

/** The uniqueIds/patient ids a raw body carries, recorded as if assigned, so UseId can read them (PnrNoXop/eval). */
function recordRawIds(meta: string, log: StepLog): void {
  const re = /<([A-Za-z0-9_]+:)?ExternalIdentifier\b([^>]*)>/g;
  for (let m = re.exec(meta); m; m = re.exec(meta)) {
    const attrs = Object.fromEntries([...m[2].matchAll(/(\w+)="([^"]*)"/g)].map((a) => [a[1], a[2].replace(/&amp;/g, '&')]));
    const owner = attrs.registryObject ?? '';
    const scheme = attrs.identificationScheme ?? '';
    if (['urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab', 'urn:uuid:96fdda7c-d067-4183-912e-bf5ee74998a8', 'urn:uuid:75df8f67-9973-4fbe-a900-df66cefecc5a'].includes(scheme)) {
      log.assignedUids[owner] = attrs.value ?? '';
    }
    if (['urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427', 'urn:uuid:6b5aea1a-874d-4603-a4bc-96a0a7b38446'].includes(scheme)) {
      log.assignedPatientId[owner] = attrs.value ?? '';
    }
  }
}

/** Patient ids hard-coded in a raw body (fed by the test's own PIF section). */
export function rawBodyPatientIds(body: string): string[] {
  const out = new Set<string>();
  const re = /<([A-Za-z0-9_]+:)?ExternalIdentifier\b([^>]*)>/g;
  for (let m = re.exec(body); m; m = re.exec(body)) {
    if (/identificationScheme="urn:uuid:(58a6f841-87b3-4a3e-92fd-a8ffeff98427|6b5aea1a-874d-4603-a4bc-96a0a7b38446)"/.test(m[2])) {
      const v = /\bvalue="([^"]*)"/.exec(m[2]);
      if (v) out.add(v[1].replace(/&amp;/g, '&'));
    }
  }
  return [...out];
}

export type { Step };
