/**
 * GetRelatedDocuments (ITI TF-2a §3.18.4.1.2.3.7.13): the DocumentEntry named by entryUUID or uniqueId,
 * the DocumentEntries related to it by an Association of one of $AssociationTypes (either direction),
 * and those Associations. When nothing is related, nothing is returned (not even the entry itself); a
 * Folder or SubmissionSet at the other end is not a related document (NIST 11909 near_folder). Related
 * entries are filtered by $XDSDocumentEntryType like the other queries (On-Demand Documents; absent = stable).
 * Associations are filtered by $XDSAssociationStatus (ITI TF-2b §3.57.4.1.3.3, Metadata Update): absent =
 * Approved only, so a deprecated relationship hides the related entries at $MetadataLevel 1 (NIST 20001).
 */
import { Status, type Association, type AvailabilityStatus } from '../model/types.js';
import type { QueryParams } from './params.js';
import { objectTypes, P } from './document-entry-params.js';
import { documentRefSpecs, findDocumentsByRef } from './lookups.js';
import { ResultCap, type StoredQuery } from './query-types.js';

export const GET_RELATED_DOCUMENTS_ID = 'urn:uuid:d90e5407-b356-4d91-a89f-873917b4b0e6';

export const getRelatedDocuments: StoredQuery = {
  id: GET_RELATED_DOCUMENTS_ID,
  name: 'GetRelatedDocuments',
  params: {
    ...documentRefSpecs({ logicalId: false, multiple: false }),
    $AssociationTypes: { kind: 'string', required: true, multiple: true },
    [P.type]: { kind: 'string', multiple: true },
    $XDSAssociationStatus: { kind: 'string', multiple: true },
  },
  async execute(params, store, options) {
    const cap = new ResultCap(options.maxResults);
    const types = params.list('$AssociationTypes')!;
    const origin = (await findDocumentsByRef(params, store, cap))[0];
    if (!origin) return { objects: [], requestedPatientIds: [] };
    const assocs = cap.check(
      await store.findAssociations({ sourceOrTarget: [origin.entryUuid], types, statuses: associationStatuses(params) }, cap.findOptions),
    );
    const otherEnd = (a: Association): string => (a.sourceUuid === origin.entryUuid ? a.targetUuid : a.sourceUuid);
    const others = [...new Set(assocs.map(otherEnd))].filter((id) => id !== origin.entryUuid);
    if (others.length === 0) return { objects: [], requestedPatientIds: [] };
    const related = cap.check(
      await store.findDocumentEntries({ entryUuids: others, objectTypes: objectTypes(params), allVersions: true }, cap.findOptions),
    );
    if (related.length === 0) return { objects: [], requestedPatientIds: [] };
    const relatedIds = new Set(related.map((d) => d.entryUuid));
    const links = assocs.filter((a) => relatedIds.has(otherEnd(a)));
    return { objects: cap.check([origin, ...related, ...links]), requestedPatientIds: [] };
  },
};

/** $XDSAssociationStatus (Metadata Update): the association statuses to follow; Approved when absent. */
export function associationStatuses(params: QueryParams): AvailabilityStatus[] {
  return params.statuses('$XDSAssociationStatus') ?? [Status.Approved];
}
