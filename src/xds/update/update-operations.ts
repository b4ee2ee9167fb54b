/**
 * ITI-57 Update Document Set: what a request asks for (ITI TF-2b §3.57.4.1.3.1 / §3.57.4.1.3.3). Every
 * operation is named by an Association whose sourceObject is the request's SubmissionSet:
 *
 * - HasMember → a DocumentEntry/Folder of the request with lid ≠ id: Update DocumentEntry / Folder Metadata
 *   (Slots PreviousVersion [required], SubmissionSetStatus=Original, AssociationPropagation=yes|no);
 * - HasMember → an Association of the request: Submit Association;
 * - HasMember → a registered DocumentEntry: a reference (SubmissionSetStatus=Reference, ITI TF-3 §4.2.2.1.1);
 * - UpdateAvailabilityStatus → a registered object: Update Status (Slots OriginalStatus, NewStatus).
 *
 * This file only reads the request (no registry state); src/xds/update/update-service.ts checks the
 * operations against the registry.
 */
import { ErrorCode, type ErrorCollector } from '../errors.js';
import { AssociationType, Status, type Association, type AvailabilityStatus, type DocumentEntry, type Folder, type Submission } from '../model/types.js';

export type UpdateOperation =
  | { kind: 'updateObject'; object: DocumentEntry | Folder; membership: Association; previousVersion: number; propagate: boolean }
  | { kind: 'updateStatus'; marker: Association; targetUuid: string; original: AvailabilityStatus; next: AvailabilityStatus }
  | { kind: 'submitAssociation'; membership: Association; submitted: Association }
  | { kind: 'reference'; membership: Association };

const STATUSES = new Set<string>([Status.Approved, Status.Deprecated]);
const UPDATE_SLOTS = new Set(['SubmissionSetStatus', 'PreviousVersion', 'AssociationPropagation']);
const STATUS_SLOTS = new Set(['OriginalStatus', 'NewStatus']);

function slot(a: Association, name: string): string[] | undefined {
  return a.extraSlots.find((s) => s.name === name)?.values;
}

/** Reads the operations of a request whose ids are already urn:uuids (lids as sent). */
export function readOperations(s: Submission, errors: ErrorCollector): UpdateOperation[] {
  const ops: UpdateOperation[] = [];
  const ssId = s.submissionSet.entryUuid;
  const entries = new Map<string, DocumentEntry | Folder>([...s.documents, ...s.folders].map((o) => [o.entryUuid, o]));
  const associations = new Map(s.associations.map((a) => [a.entryUuid, a]));
  const covered = new Set<string>();

  for (const o of entries.values()) {
    // ITI TF-2b §3.57.4.1.3.1: an Update Document Set request shall not include initial versions
    // (entryUUID = logicalID or no lid): those go through ITI-42 (NIST 15800c, 20000b).
    if (o.logicalId === o.entryUuid) {
      errors.error(ErrorCode.MetadataUpdateError, `${o.kind} ${o.entryUuid} has no lid different from its id: ITI-57 carries new versions only, a first version is registered with ITI-42`, o.entryUuid);
    }
  }

  for (const a of s.associations) {
    const where = `Association "${a.entryUuid}"`;
    if (a.sourceUuid !== ssId) continue;
    if (a.associationType === AssociationType.HasMember) {
      const target = entries.get(a.targetUuid);
      const submitted = associations.get(a.targetUuid);
      const status = slot(a, 'SubmissionSetStatus');
      if (target) {
        covered.add(target.entryUuid);
        for (const sl of a.extraSlots) {
          if (!UPDATE_SLOTS.has(sl.name)) errors.error(ErrorCode.MetadataUpdateOperationError, `${where}: Slot "${sl.name}" is not defined for an Update ${target.kind} Metadata operation (ITI TF-2b §3.57.4.1.3.3.1)`, a.entryUuid);
        }
        // SubmissionSetStatus=Original: required on a SubmissionSet→DocumentEntry HasMember (ITI TF-3
        // §4.2.2.1.1; ITI TF-2b §3.57.4.1.3.3.1.1, NIST 20002b); a SubmissionSet→Folder HasMember has none.
        const required = target.kind === 'DocumentEntry';
        if ((required && status === undefined) || (status !== undefined && (status.length !== 1 || status[0] !== 'Original'))) {
          errors.error(ErrorCode.MetadataUpdateOperationError, `${where}: the Slot SubmissionSetStatus must be "Original" for a new ${target.kind} version, got "${status?.join(',') ?? '(none)'}"`, a.entryUuid);
        }
        const prev = slot(a, 'PreviousVersion');
        const previousVersion = prev?.length === 1 && /^[1-9][0-9]*$/.test(prev[0]!.trim()) ? Number(prev[0]!.trim()) : undefined;
        if (previousVersion === undefined) {
          errors.error(ErrorCode.MetadataUpdateOperationError, `${where}: the Slot PreviousVersion (one positive integer) is required to update ${target.kind} ${target.logicalId} (ITI TF-2b §3.57.4.1.3.3.1.1)`, a.entryUuid);
        }
        const prop = slot(a, 'AssociationPropagation');
        if (prop !== undefined && (prop.length !== 1 || !['yes', 'no'].includes(prop[0]!))) {
          errors.error(ErrorCode.MetadataUpdateOperationError, `${where}: AssociationPropagation must be "yes" or "no", got "${prop.join(',')}"`, a.entryUuid);
        }
        ops.push({ kind: 'updateObject', object: target, membership: a, previousVersion: previousVersion ?? 0, propagate: prop?.[0] !== 'no' });
      } else if (submitted) {
        covered.add(submitted.entryUuid);
        if (status !== undefined && (status.length !== 1 || status[0] !== 'Original')) {
          errors.error(ErrorCode.MetadataUpdateOperationError, `${where}: SubmissionSetStatus of a submitted Association must be "Original"`, a.entryUuid);
        }
        ops.push({ kind: 'submitAssociation', membership: a, submitted });
      } else {
        if (status !== undefined && (status.length !== 1 || status[0] !== 'Reference')) {
          errors.error(ErrorCode.MetadataUpdateOperationError, `${where}: a HasMember to a registered object must have SubmissionSetStatus "Reference"`, a.entryUuid);
        }
        ops.push({ kind: 'reference', membership: a });
      }
      continue;
    }
    if (a.associationType === AssociationType.SubmitAssociation && associations.has(a.targetUuid)) {
      // The earlier Metadata Update supplement's marker for a Submit Association (NIST 20006).
      covered.add(a.targetUuid);
      ops.push({ kind: 'submitAssociation', membership: a, submitted: associations.get(a.targetUuid)! });
      continue;
    }
    if (a.associationType === AssociationType.UpdateAvailabilityStatus) {
      for (const sl of a.extraSlots) {
        if (!STATUS_SLOTS.has(sl.name)) errors.error(ErrorCode.MetadataUpdateOperationError, `${where}: Slot "${sl.name}" is not defined for Update Status (ITI TF-2b §3.57.4.1.3.3.2)`, a.entryUuid);
      }
      const original = slot(a, 'OriginalStatus');
      const next = slot(a, 'NewStatus');
      const one = (sent: string[] | undefined, name: string): AvailabilityStatus | undefined => {
        // Whitespace around the URN is not part of it (NSP sources send "...:Approved\n  ").
        const v = sent?.map((x) => x.trim());
        if (v === undefined || v.length !== 1) {
          errors.error(ErrorCode.MetadataUpdateOperationError, `${where}: the Slot ${name} with exactly one value is required`, a.entryUuid);
          return undefined;
        }
        if (!STATUSES.has(v[0]!)) {
          errors.error(ErrorCode.MetadataUpdateOperationError, `${where}: ${name} "${v[0]}" is neither ${Status.Approved} nor ${Status.Deprecated}`, a.entryUuid);
          return undefined;
        }
        return v[0] as AvailabilityStatus;
      };
      const o = one(original, 'OriginalStatus');
      const n = one(next, 'NewStatus');
      if (o && n && o === n) errors.error(ErrorCode.MetadataUpdateOperationError, `${where}: OriginalStatus and NewStatus are the same (${o})`, a.entryUuid);
      if (o && n) ops.push({ kind: 'updateStatus', marker: a, targetUuid: a.targetUuid, original: o, next: n });
      continue;
    }
    errors.error(ErrorCode.MetadataUpdateError, `${where}: a ${a.associationType} from the SubmissionSet names no ITI-57 operation`, a.entryUuid);
  }

  for (const o of entries.values()) {
    if (!covered.has(o.entryUuid)) errors.error(ErrorCode.RegistryMetadataError, `${o.kind} ${o.entryUuid} is not a member (HasMember) of the SubmissionSet`, o.entryUuid);
  }
  for (const a of s.associations) {
    if (a.sourceUuid !== ssId && !covered.has(a.entryUuid)) {
      errors.error(ErrorCode.RegistryMetadataError, `Association "${a.entryUuid}" is not a member (HasMember) of the SubmissionSet, so it is no Submit Association operation`, a.entryUuid);
    }
  }
  // ITI TF-2b §3.57.4.1.3.1: one operation per logical object in a request (NIST 20007).
  const seen = new Map<string, string>();
  for (const op of ops) {
    if (op.kind !== 'updateObject') continue;
    const first = seen.get(op.object.logicalId);
    if (first) errors.error(ErrorCode.MetadataUpdateError, `${op.object.kind} ${op.object.entryUuid} and ${first} both update logicalID ${op.object.logicalId}`, op.object.logicalId);
    else seen.set(op.object.logicalId, op.object.entryUuid);
  }
  return ops;
}
