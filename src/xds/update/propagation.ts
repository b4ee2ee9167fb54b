/**
 * Association propagation of an ITI-57 metadata update (ITI TF-2b §3.57.4.1.3.3.1.3): unless the
 * operation says AssociationPropagation=no, the Approved associations of the previous version are copied
 * to the new version — Folder membership (FD→DE HasMember, both directions of a Folder or DocumentEntry
 * update) and the document relationships (APND, RPLC, XFRM, XFRM_RPLC, signs, IsSnapshotOf). SubmissionSet
 * membership is history and is not copied; a Folder that gains a member gets a new lastUpdateTime
 * (ITI TF-3 §4.2.3.4.6). The copies are not members of the update's SubmissionSet (NIST 20000d).
 */
import type { MetadataStore } from '../../storage/ports.js';
import { AssociationType, Status, type Association, type DocumentEntry, type Folder } from '../model/types.js';

const NOT_PROPAGATED = new Set<string>([AssociationType.UpdateAvailabilityStatus, AssociationType.SubmitAssociation]);

export interface Propagation {
  associations: Association[];
  touchedFolders: string[];
}

export async function propagateAssociations(
  store: MetadataStore,
  previous: DocumentEntry | Folder,
  next: DocumentEntry | Folder,
  newId: () => string,
): Promise<Propagation> {
  const found = await store.findAssociations({ sourceOrTarget: [previous.entryUuid], statuses: [Status.Approved] });
  const candidates = found.filter((a) => !NOT_PROPAGATED.has(a.associationType));
  const others = [...new Set(candidates.map((a) => (a.sourceUuid === previous.entryUuid ? a.targetUuid : a.sourceUuid)))];
  const kinds = new Map((others.length ? await store.getObjects(others) : []).map((o) => [o.entryUuid, o.kind]));
  const out: Propagation = { associations: [], touchedFolders: [] };
  for (const a of candidates) {
    const other = a.sourceUuid === previous.entryUuid ? a.targetUuid : a.sourceUuid;
    const otherKind = kinds.get(other);
    if (otherKind === undefined || otherKind === 'SubmissionSet') continue;
    const id = newId();
    out.associations.push({
      ...a,
      entryUuid: id,
      logicalId: id,
      version: 1,
      status: Status.Approved,
      sourceUuid: a.sourceUuid === previous.entryUuid ? next.entryUuid : a.sourceUuid,
      targetUuid: a.targetUuid === previous.entryUuid ? next.entryUuid : a.targetUuid,
      codes: a.codes.map((c) => ({ ...c, classificationId: undefined })),
    });
    if (a.associationType === AssociationType.HasMember && otherKind === 'Folder') out.touchedFolders.push(other);
  }
  return out;
}
