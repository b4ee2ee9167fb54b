/**
 * What the associations of a submission mean for the registry (ITI TF-2a §3.42.4.1.3.5, ITI TF-3 §4.2.2):
 * HasMember (SubmissionSet → new objects or an existing DocumentEntry by reference; Folder → DocumentEntry,
 * also adding existing documents to existing folders) and the document relationships RPLC, APND, XFRM,
 * XFRM_RPLC, signs, IsSnapshotOf. Produces the status changes, extra associations, Folder updates and the
 * preconditions that make the commit safe; violations go into the ErrorCollector with the TF's codes.
 */
import { ErrorCode, type ErrorCollector } from '../errors.js';
import type { Association, DocumentEntry, Folder, RegistryObject, Submission } from '../model/types.js';
import { AssociationType, DocumentEntryType, Status } from '../model/types.js';
import type { MetadataStore, Precondition } from '../../storage/ports.js';

export interface AssociationPlan {
  statusChanges: { entryUuid: string; status: typeof Status.Deprecated }[];
  /** associations the registry adds itself (replacement documents joining the replaced one's Folders). */
  extraAssociations: Association[];
  /** existing Folders whose lastUpdateTime changes. */
  touchedFolders: Set<string>;
  preconditions: Precondition[];
}

const LIFECYCLE = new Set<string>([
  AssociationType.Replace,
  AssociationType.Append,
  AssociationType.Transform,
  AssociationType.TransformAndReplace,
  AssociationType.Signs,
  AssociationType.IsSnapshotOf,
]);
const REPLACING = new Set<string>([AssociationType.Replace, AssociationType.TransformAndReplace]);
/** Relationship children deprecated together with the document they depend on (ITI TF-2a §3.42.4.1.3.5). */
const DEPENDENT_CHILDREN = [AssociationType.Append, AssociationType.Transform];

function typeName(t: string): string {
  return t.slice(t.lastIndexOf(':') + 1);
}

export async function planAssociations(
  s: Submission,
  existing: ReadonlyMap<string, RegistryObject>,
  store: MetadataStore,
  newUuid: () => string,
  errors: ErrorCollector,
): Promise<AssociationPlan> {
  const plan: AssociationPlan = { statusChanges: [], extraAssociations: [], touchedFolders: new Set(), preconditions: [] };
  const inMessage = new Map<string, RegistryObject>();
  for (const o of [s.submissionSet, ...s.documents, ...s.folders, ...s.associations]) inMessage.set(o.entryUuid, o);
  const lookup = (id: string): { obj: RegistryObject; isNew: boolean } | undefined => {
    const m = inMessage.get(id);
    if (m) return { obj: m, isNew: true };
    const e = existing.get(id);
    return e ? { obj: e, isNew: false } : undefined;
  };
  const requireApproved = (id: string): void => {
    if (!plan.preconditions.some((p) => p.kind === 'status' && p.entryUuid === id)) {
      plan.preconditions.push({ kind: 'status', entryUuid: id, expected: Status.Approved });
    }
  };
  const deprecate = (id: string): void => {
    if (plan.statusChanges.some((c) => c.entryUuid === id)) return;
    plan.statusChanges.push({ entryUuid: id, status: Status.Deprecated });
    requireApproved(id);
  };
  const patientOf = (o: RegistryObject): string | undefined => (o.kind === 'Association' ? undefined : o.patientId);
  const memberPairs = new Set(
    s.associations.filter((a) => a.associationType === AssociationType.HasMember).map((a) => `${a.sourceUuid}|${a.targetUuid}`),
  );
  const replaced = new Map<string, string>();

  for (const a of s.associations) {
    const where = `Association "${a.entryUuid}" (${typeName(a.associationType)})`;
    const source = lookup(a.sourceUuid);
    const target = lookup(a.targetUuid);
    if (!source) {
      errors.error(ErrorCode.UnresolvedReferenceException, `${where}: sourceObject ${a.sourceUuid} is not in the submission or the registry`, a.entryUuid);
      continue;
    }
    if (!target) {
      const code = LIFECYCLE.has(a.associationType) ? ErrorCode.RegistryError : ErrorCode.UnresolvedReferenceException;
      errors.error(code, `${where}: targetObject ${a.targetUuid} is not in the submission or the registry`, a.entryUuid);
      continue;
    }

    if (a.associationType === AssociationType.HasMember) {
      planHasMember(s, a, where, source, target, plan, errors, requireApproved, patientOf);
      continue;
    }

    // Document relationships: a new DocumentEntry points at a registered one (ITI TF-3 §4.2.2.2).
    if (!source.isNew || source.obj.kind !== 'DocumentEntry') {
      errors.error(ErrorCode.RegistryMetadataError, `${where}: sourceObject must be a DocumentEntry of this submission`, a.entryUuid);
      continue;
    }
    if (target.obj.kind !== 'DocumentEntry') {
      errors.error(ErrorCode.RegistryMetadataError, `${where}: targetObject ${a.targetUuid} is a ${target.obj.kind}, not a DocumentEntry`, a.entryUuid);
      continue;
    }
    if (target.isNew && a.associationType !== AssociationType.Signs) {
      errors.error(ErrorCode.RegistryMetadataError, `${where}: targetObject ${a.targetUuid} must already be registered`, a.entryUuid);
      continue;
    }
    const src = source.obj as DocumentEntry;
    const tgt = target.obj as DocumentEntry;
    if (!target.isNew) {
      // ITI TF-2a §3.42.4.1.3.5: relationships only to Approved documents (no APND/XFRM/RPLC of a Deprecated entry).
      if (tgt.status !== Status.Approved) {
        errors.error(ErrorCode.RegistryError, `${where}: targetObject ${a.targetUuid} is not Approved (${typeName(tgt.status)})`, a.targetUuid);
        continue;
      }
      requireApproved(tgt.entryUuid);
    }
    if (src.patientId !== tgt.patientId) {
      errors.error(
        ErrorCode.PatientIdDoesNotMatch,
        `${where}: DocumentEntry ${src.entryUuid} has patientId "${src.patientId}", its target ${tgt.entryUuid} has "${tgt.patientId}"`,
        a.entryUuid,
      );
      continue;
    }
    if (a.associationType === AssociationType.IsSnapshotOf && tgt.objectType !== DocumentEntryType.OnDemand) {
      errors.error(ErrorCode.RegistryMetadataError, `${where}: targetObject must be an On-Demand DocumentEntry (ITI TF-3 §4.2.2.2.6)`, a.entryUuid);
      continue;
    }
    if (REPLACING.has(a.associationType)) {
      const earlier = replaced.get(tgt.entryUuid);
      if (earlier) {
        errors.error(ErrorCode.RegistryMetadataError, `${where}: ${tgt.entryUuid} is already replaced by ${earlier} in this submission`, a.entryUuid);
        continue;
      }
      replaced.set(tgt.entryUuid, src.entryUuid);
      deprecate(tgt.entryUuid);
      await deprecateDependents(tgt.entryUuid, store, deprecate);
      await joinReplacedFolders(tgt.entryUuid, src.entryUuid, store, memberPairs, newUuid, plan, requireApproved);
    }
  }
  return plan;
}

function planHasMember(
  s: Submission,
  a: Association,
  where: string,
  source: { obj: RegistryObject; isNew: boolean },
  target: { obj: RegistryObject; isNew: boolean },
  plan: AssociationPlan,
  errors: ErrorCollector,
  requireApproved: (id: string) => void,
  patientOf: (o: RegistryObject) => string | undefined,
): void {
  const src = source.obj;
  const tgt = target.obj;
  if (src.kind === 'SubmissionSet') {
    if (src.entryUuid !== s.submissionSet.entryUuid) {
      errors.error(ErrorCode.RegistryMetadataError, `${where}: members can only be added to the SubmissionSet of this submission`, a.entryUuid);
      return;
    }
    if (target.isNew) return;
    // A registered DocumentEntry may be included by reference (ITI TF-3 §4.2.2.1.1, SubmissionSetStatus "Reference").
    if (tgt.kind !== 'DocumentEntry') {
      errors.error(ErrorCode.RegistryMetadataError, `${where}: a registered ${tgt.kind} cannot become a member of a new SubmissionSet`, a.entryUuid);
      return;
    }
    if (tgt.patientId !== src.patientId) {
      errors.error(ErrorCode.PatientIdDoesNotMatch, `${where}: DocumentEntry ${tgt.entryUuid} has patientId "${tgt.patientId}", the SubmissionSet "${src.patientId}"`, a.entryUuid);
    }
    return;
  }
  if (src.kind === 'Folder') {
    const folder = src as Folder;
    if (tgt.kind !== 'DocumentEntry') {
      errors.error(ErrorCode.RegistryMetadataError, `${where}: a Folder can only contain DocumentEntries, not a ${tgt.kind}`, a.entryUuid);
      return;
    }
    if (!source.isNew) {
      if (folder.status !== Status.Approved) {
        errors.error(ErrorCode.RegistryError, `${where}: Folder ${folder.entryUuid} is not Approved`, folder.entryUuid);
        return;
      }
      // ITI TF-3 §4.2.3.4.6: adding a document to a Folder updates its lastUpdateTime.
      plan.touchedFolders.add(folder.entryUuid);
      requireApproved(folder.entryUuid);
    }
    if (!target.isNew && tgt.status !== Status.Approved) {
      errors.error(ErrorCode.RegistryError, `${where}: DocumentEntry ${tgt.entryUuid} is not Approved`, tgt.entryUuid);
      return;
    }
    if (patientOf(tgt) !== folder.patientId) {
      // ITI TF-2a §3.42.4.1.3.4: Folder and DocumentEntry share the patient (NIST 12002).
      errors.error(
        ErrorCode.PatientIdDoesNotMatch,
        `${where}: DocumentEntry ${tgt.entryUuid} has patientId "${patientOf(tgt)}", Folder ${folder.entryUuid} has "${folder.patientId}"`,
        a.entryUuid,
      );
    }
    return;
  }
  errors.error(ErrorCode.RegistryMetadataError, `${where}: a HasMember source must be the SubmissionSet or a Folder, not a ${src.kind}`, a.entryUuid);
}

/** Approved APND/XFRM children of a replaced document are deprecated with it (ITI TF-2a §3.42.4.1.3.5; NIST 12022). */
async function deprecateDependents(targetUuid: string, store: MetadataStore, deprecate: (id: string) => void): Promise<void> {
  const children = await store.findAssociations({ targetUuids: [targetUuid], types: DEPENDENT_CHILDREN, statuses: [Status.Approved] });
  if (children.length === 0) return;
  const docs = await store.getObjects(children.map((c) => c.sourceUuid));
  for (const d of docs) if (d.kind === 'DocumentEntry' && d.status === Status.Approved) deprecate(d.entryUuid);
}

/** RPLC of a document in a Folder puts the replacement into that Folder (ITI TF-2a §3.42.4.1.3.5; NIST 12327). */
async function joinReplacedFolders(
  targetUuid: string,
  replacementUuid: string,
  store: MetadataStore,
  memberPairs: Set<string>,
  newUuid: () => string,
  plan: AssociationPlan,
  requireApproved: (id: string) => void,
): Promise<void> {
  const memberships = await store.findAssociations({ targetUuids: [targetUuid], types: [AssociationType.HasMember], statuses: [Status.Approved] });
  if (memberships.length === 0) return;
  const sources = await store.getObjects(memberships.map((m) => m.sourceUuid));
  for (const f of sources) {
    if (f.kind !== 'Folder' || f.status !== Status.Approved) continue;
    if (memberPairs.has(`${f.entryUuid}|${replacementUuid}`)) continue;
    memberPairs.add(`${f.entryUuid}|${replacementUuid}`);
    const id = `urn:uuid:${newUuid()}`;
    plan.extraAssociations.push({
      kind: 'Association',
      entryUuid: id,
      logicalId: id,
      version: 1,
      status: Status.Approved,
      associationType: AssociationType.HasMember,
      sourceUuid: f.entryUuid,
      targetUuid: replacementUuid,
      codes: [],
      extraSlots: [],
    });
    plan.touchedFolders.add(f.entryUuid);
    requireApproved(f.entryUuid);
  }
}
