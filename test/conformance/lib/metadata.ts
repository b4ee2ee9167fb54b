/**
 * The toolkit's rewriting of submission metadata before sending (conformance ANALYSIS.md §3):
 * patient ids, uniqueIds, sourceId and AssignUuids. Works on the request DOM and records what it
 * assigned in the step log, so later steps can UseId it.
 */
import { allElements, byLocalName, type Document, type Element } from './dom.js';
import type { RunState, StepLog } from './state.js';

export const SCHEME = {
  dePatientId: 'urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427',
  ssPatientId: 'urn:uuid:6b5aea1a-874d-4603-a4bc-96a0a7b38446',
  folPatientId: 'urn:uuid:f64ffdf0-4b97-4e06-b79f-a52b38ec2f8a',
  deUniqueId: 'urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab',
  ssUniqueId: 'urn:uuid:96fdda7c-d067-4183-912e-bf5ee74998a8',
  folUniqueId: 'urn:uuid:75df8f67-9973-4fbe-a900-df66cefecc5a',
  ssSourceId: 'urn:uuid:554ac39e-e3fe-47fe-b233-965d2a147832',
} as const;

const PATIENT_ID_SCHEMES: string[] = [SCHEME.dePatientId, SCHEME.ssPatientId, SCHEME.folPatientId];
const UNIQUE_ID_SCHEMES: string[] = [SCHEME.deUniqueId, SCHEME.ssUniqueId, SCHEME.folUniqueId];

/** The (symbolic) id of the object an ExternalIdentifier belongs to. */
function ownerOf(ei: Element): string {
  const ro = ei.getAttribute('registryObject');
  if (ro) return ro;
  const parent = ei.parentNode as Element | null;
  return parent?.getAttribute?.('id') ?? '';
}

function identifiers(doc: Document, schemes: string[]): Element[] {
  return byLocalName(doc, 'ExternalIdentifier').filter((ei) => schemes.includes(ei.getAttribute('identificationScheme') ?? ''));
}

/** Step 3: every patientId ExternalIdentifier gets the session patient id (unless NoPatientId). */
export function assignPatientIds(doc: Document, patientId: string | undefined, log: StepLog): void {
  for (const ei of identifiers(doc, PATIENT_ID_SCHEMES)) {
    if (patientId !== undefined) ei.setAttribute('value', patientId);
    log.assignedPatientId[ownerOf(ei)] = ei.getAttribute('value') ?? '';
  }
}

/**
 * Step 5: fresh uniqueIds, unless NoAssignUids (bare: keep all; with id: keep that object's). The value
 * actually sent is recorded either way, so a later UseId reads what the registry received.
 */
export function assignUids(doc: Document, state: RunState, keepAll: boolean, keepIds: string[], log: StepLog): void {
  for (const ei of identifiers(doc, UNIQUE_ID_SCHEMES)) {
    const owner = ownerOf(ei);
    if (!keepAll && !keepIds.includes(owner)) ei.setAttribute('value', state.newUid());
    const v = ei.getAttribute('value') ?? '';
    log.assignedUids[owner] = v;
    log.reports[`${owner}_uid`] = v;
  }
}

/** Step 6: the runner's source OID. */
export function assignSourceId(doc: Document, sourceId: string): void {
  for (const ei of identifiers(doc, [SCHEME.ssSourceId])) ei.setAttribute('value', sourceId);
}

const REF_ATTRS = ['id', 'sourceObject', 'targetObject', 'classifiedObject', 'registryObject'];

/**
 * Step 7 (AssignUuids): every symbolic id becomes a fresh urn:uuid, and every reference to it follows.
 * Only exact attribute matches are rewritten; ids that already are urn:uuid stay.
 */
export function assignUuids(doc: Document, state: RunState, log: StepLog): void {
  const map = new Map<string, string>();
  for (const el of allElements(doc)) {
    const id = el.getAttribute('id');
    if (!id || id.startsWith('urn:uuid:') || map.has(id)) continue;
    if (el.localName === 'AdhocQuery') continue;
    map.set(id, state.newUuid());
  }
  for (const el of allElements(doc)) {
    for (const a of REF_ATTRS) {
      const v = el.getAttribute(a);
      if (v !== null && map.has(v)) el.setAttribute(a, map.get(v)!);
    }
  }
  for (const [sym, uuid] of map) {
    log.assignedUuids[sym] = uuid;
    log.reports[`${sym}_uuid`] = uuid;
  }
}
