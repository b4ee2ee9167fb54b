/**
 * The Submit Association operation of ITI-57 (ITI TF-2b §3.57.4.1.3.3.3): a new Association between
 * registered objects — a Folder→DocumentEntry HasMember, or a document relationship between two
 * DocumentEntries. Both ends must be Approved (NIST 21004), belong to the same patient
 * (XDSPatientIDReconciliationError, NIST 20100a/b), and the association must not exist already (NIST 20008).
 * An end may be a new version created by the same request, but not one that also propagates associations:
 * the Document Administrator does either the "manual" or the automatic operation (CP-ITI-1029, NIST 20006).
 */
import type { MetadataStore, Precondition } from '../../storage/ports.js';
import { ErrorCode, type ErrorCollector } from '../errors.js';
import { AssociationType, Status, type Association, type RegistryObject } from '../model/types.js';

const DOCUMENT_RELATIONSHIPS = new Set<string>([
  AssociationType.Append,
  AssociationType.Replace,
  AssociationType.Transform,
  AssociationType.TransformAndReplace,
  AssociationType.Signs,
  AssociationType.IsSnapshotOf,
]);

export interface RequestVersions {
  /** new versions created by this request, by entryUUID. */
  inserted: ReadonlyMap<string, RegistryObject>;
  /** entryUUIDs of new versions whose update propagates associations. */
  propagating: ReadonlySet<string>;
}

export async function checkSubmittedAssociation(
  store: MetadataStore,
  a: Association,
  request: RequestVersions,
  errors: ErrorCollector,
  preconditions: Precondition[],
): Promise<void> {
  const where = `submitted Association "${a.entryUuid}"`;
  const registered = new Map((await store.getObjects([a.sourceUuid, a.targetUuid])).map((o) => [o.entryUuid, o]));
  const end = (id: string, which: string): RegistryObject | undefined => {
    const o = request.inserted.get(id) ?? registered.get(id);
    if (!o) errors.error(ErrorCode.UnresolvedReferenceException, `${where}: ${which} ${id} is not registered`, a.entryUuid);
    return o;
  };
  const source = end(a.sourceUuid, 'sourceObject');
  const target = end(a.targetUuid, 'targetObject');
  if (!source || !target) return;

  if (a.associationType === AssociationType.HasMember) {
    if (source.kind !== 'Folder' || target.kind !== 'DocumentEntry') {
      errors.error(ErrorCode.RegistryMetadataError, `${where}: a submitted HasMember links a Folder to a DocumentEntry, not a ${source.kind} to a ${target.kind}`, a.entryUuid);
      return;
    }
  } else if (DOCUMENT_RELATIONSHIPS.has(a.associationType)) {
    if (source.kind !== 'DocumentEntry' || target.kind !== 'DocumentEntry') {
      errors.error(ErrorCode.RegistryMetadataError, `${where}: a document relationship links two DocumentEntries, not a ${source.kind} to a ${target.kind}`, a.entryUuid);
      return;
    }
  } else {
    errors.error(ErrorCode.RegistryMetadataError, `${where}: type ${a.associationType} cannot be submitted`, a.entryUuid);
    return;
  }
  if (a.sourceUuid === a.targetUuid) {
    errors.error(ErrorCode.RegistryMetadataError, `${where} links ${a.sourceUuid} to itself`, a.entryUuid);
    return;
  }
  for (const o of [source, target]) {
    if (request.propagating.has(o.entryUuid)) {
      errors.error(ErrorCode.MetadataUpdateOperationError, `${where}: ${o.entryUuid} is a new version created with association propagation in the same request; use AssociationPropagation=no for a manual association (CP-ITI-1029)`, a.entryUuid);
      return;
    }
    if (o.status !== Status.Approved) {
      errors.error(ErrorCode.RegistryError, `${where}: ${o.kind} ${o.entryUuid} is ${o.status}, associations are only added between Approved objects`, o.entryUuid);
      return;
    }
    if (!request.inserted.has(o.entryUuid)) preconditions.push({ kind: 'status', entryUuid: o.entryUuid, expected: Status.Approved });
  }
  const sp = (source as { patientId?: string }).patientId;
  const tp = (target as { patientId?: string }).patientId;
  if (sp !== tp) {
    errors.error(ErrorCode.PatientIdReconciliationError, `${where}: ${source.kind} ${source.entryUuid} has patientId "${sp}", ${target.kind} ${target.entryUuid} has "${tp}"`, a.entryUuid);
    return;
  }
  const existing = await store.findAssociations({ sourceUuids: [a.sourceUuid], targetUuids: [a.targetUuid], types: [a.associationType], statuses: [Status.Approved] });
  if (existing.length > 0) {
    errors.error(ErrorCode.MetadataUpdateError, `${where}: an Approved ${a.associationType} from ${a.sourceUuid} to ${a.targetUuid} already exists (${existing[0]!.entryUuid})`, a.entryUuid);
  }
}
