/**
 * Loads the NIST Stored Query data sets (12346, and 12374 for a second patient) (as ebRIM 3.0 files of $XDS_CONFORMANCE_DIR) straight into a
 * MetadataStore for the query tests: decode with the real ebRIM decoder, then do the little registration
 * the queries depend on (symbolic ids → urn:uuid, fresh uniqueIds, status Approved, RPLC deprecates its
 * target, Folder lastUpdateTime). The full ITI-42 semantics are tested with the registry, not here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { decodeSubmission } from '../../../src/xds/ebrim/decode-submission.js';
import { AssociationType, Status, type RegistryObject, type Submission } from '../../../src/xds/model/types.js';
import { emptyWrite, type MetadataStore } from '../../../src/storage/ports.js';
import { parseXml } from '../../../src/xml/parse.js';
import { child, childrenNamed, descendants } from '../../../src/xml/tree.js';
import { oid } from '../../support/domain-builders.js';

export const CONFORMANCE_DIR = process.env.XDS_CONFORMANCE_DIR ?? path.resolve('../shared/conformance');
export const NIST = path.join(CONFORMANCE_DIR, 'nist');
export const hasNist = fs.existsSync(path.join(NIST, '12346'));

export const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

export function hl7Now(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

export interface Assigned {
  /** symbolic id → assigned urn:uuid ("AssignedUuids"). */
  uuids: Map<string, string>;
  /** symbolic id → assigned uniqueId ("AssignedUids"). */
  uids: Map<string, string>;
  /** the patient the section submitted for ("AssignedPatientId"). */
  patientId: string;
}

/** `test/section` → what the registration assigned. */
export type Registry = Map<string, Assigned>;

/**
 * Loads every registering section of a NIST data-loader test (12346, 12374) for one patient, resolving
 * the UseId references between its sections, and records the assigned ids under `test/section`.
 */
/**
 * Registers one decoded submission (uniqueIds already fresh): either the minimal in-test registration, or
 * the real ITI-42 RegistryService. Returns symbolic id → entryUUID.
 */
export type Register = (sub: Submission) => Promise<Map<string, string>>;

/** The in-test registration: symbolic ids → urn:uuid, status Approved, RPLC deprecates, Folder lastUpdateTime. */
export function minimalRegistration(store: MetadataStore, now: Date): Register {
  return async (sub) => {
    const uuids = new Map<string, string>();
    const objects: RegistryObject[] = [sub.submissionSet, ...sub.documents, ...sub.folders, ...sub.associations];
    for (const o of objects) if (!o.entryUuid.startsWith('urn:uuid:')) uuids.set(o.entryUuid, `urn:uuid:${randomUUID()}`);
    const map = (id: string) => uuids.get(id) ?? id;
    const insert = objects.map((o): RegistryObject => {
      const base = { ...o, entryUuid: map(o.entryUuid), logicalId: map(o.logicalId), status: Status.Approved };
      if (base.kind === 'Association') return { ...base, sourceUuid: map(base.sourceUuid), targetUuid: map(base.targetUuid) };
      return base.kind === 'Folder' ? { ...base, lastUpdateTime: hl7Now(now) } : base;
    });
    const replaced = insert.filter((o) => o.kind === 'Association' && o.associationType === AssociationType.Replace);
    await store.commit({
      ...emptyWrite(),
      insert,
      statusChanges: replaced.map((a) => ({ entryUuid: (a as { targetUuid: string }).targetUuid, status: Status.Deprecated })),
    });
    return uuids;
  };
}

export async function loadNistTest(
  register: Register,
  test: string,
  patient: string | ((section: string) => string),
  registry: Registry,
): Promise<void> {
  const sections = fs.readFileSync(path.join(NIST, test, 'index.idx'), 'utf8').split(/\s+/).filter(Boolean);
  for (const section of sections) {
    const dir = path.join(NIST, test, section);
    const plan = parseXml(fs.readFileSync(path.join(dir, 'testplan.xml')));
    const tx = descendants(plan, '', 'RegisterTransaction')[0];
    if (!tx) continue;
    const patientId = typeof patient === 'string' ? patient : patient(section);
    let text = fs.readFileSync(path.join(dir, child(tx, '', 'MetadataFile')!.text.trim()), 'utf8');
    // the data loaders name their patient $patientid$, or $patient_id$ / $patient_id1$ / $patient_id2$ (12361)
    for (const token of ['$patientid$', '$patient_id$', '$patient_id1$', '$patient_id2$']) text = text.replaceAll(token, xmlEscape(patientId));
    for (const use of childrenNamed(tx, '', 'UseId')) {
      const from = `${test}/${path.basename(path.resolve(dir, use.attrs.testdir))}`;
      const value = registry.get(from)?.uuids.get(use.attrs.id);
      if (!value) throw new Error(`${test}/${section}: UseId ${use.attrs.id} of ${from} is unknown`);
      text = text.replaceAll(use.attrs.symbol, value);
    }
    const sub = decodeSubmission(parseXml(text));
    // the toolkit writes the session patient id into the metadata (12374 files carry a literal "patient_id")
    for (const o of [sub.submissionSet, ...sub.documents, ...sub.folders]) o.patientId = patientId;
    // the toolkit gives every run fresh uniqueIds (ANALYSIS.md); so does this loader
    const uids = new Map<string, string>();
    for (const o of [sub.submissionSet, ...sub.documents, ...sub.folders]) {
      const uniqueId = oid();
      uids.set(o.entryUuid, uniqueId);
      o.uniqueId = uniqueId;
    }
    const uuids = await register(sub);
    registry.set(`${test}/${section}`, { uuids, uids, patientId });
  }
}
