/**
 * Object look-ups shared by the Get* stored queries: a DocumentEntry / Folder / SubmissionSet named by
 * entryUUID, uniqueId or (ITI-57) logicalID, exactly one of which must be given (ITI TF-2a
 * §3.18.4.1.2.3.7.5 ff.: both or neither is XDSStoredQueryParamNumber).
 *
 * $MetadataLevel (ITI TF-2b §3.57.4.1.3.3): an entryUUID names one version, so it is returned as is; a
 * uniqueId or logicalID returns the latest version only at level 1 (the default) and every version at
 * level 2.
 */
import { AssociationType, type Association, type DocumentEntry, type Folder, type SubmissionSet } from '../model/types.js';
import type { DocumentEntryFilter, FolderFilter, MetadataStore } from '../../storage/ports.js';
import { P } from './document-entry-params.js';
import { F } from './folder-params.js';
import type { ParamSpecs, QueryParams } from './params.js';
import type { ResultCap } from './query-types.js';

/** Parameters that name DocumentEntries (GetDocuments, GetDocumentsAndAssociations, GetFoldersForDocument, ...). */
export function documentRefSpecs(options: { logicalId: boolean; multiple: boolean }): ParamSpecs {
  const m = options.multiple;
  return {
    [P.entryUuid]: { kind: 'string', multiple: m },
    [P.uniqueId]: { kind: 'string', multiple: m },
    ...(options.logicalId && { [P.logicalId]: { kind: 'string', multiple: m } }),
    [P.metadataLevel]: { kind: 'integer' },
    [P.homeCommunityId]: { kind: 'string' },
  };
}

export function folderRefSpecs(options: { logicalId: boolean; multiple: boolean }): ParamSpecs {
  const m = options.multiple;
  return {
    [F.entryUuid]: { kind: 'string', multiple: m },
    [F.uniqueId]: { kind: 'string', multiple: m },
    ...(options.logicalId && { [F.logicalId]: { kind: 'string', multiple: m } }),
    [P.metadataLevel]: { kind: 'integer' },
    [P.homeCommunityId]: { kind: 'string' },
  };
}

/** Compiles the DocumentEntry reference parameters to a filter (no status or type restriction). */
export function documentRefFilter(params: QueryParams, withLogicalId: boolean): DocumentEntryFilter {
  const names = withLogicalId ? [P.entryUuid, P.uniqueId, P.logicalId] : [P.entryUuid, P.uniqueId];
  const which = params.exactlyOne(...names);
  const values = params.list(which)!;
  const allVersions = params.metadataLevel() === 2;
  if (which === P.entryUuid) return { entryUuids: values, allVersions: true };
  if (which === P.uniqueId) return { uniqueIds: values, allVersions };
  return { logicalIds: values, allVersions };
}

export function folderRefFilter(params: QueryParams, withLogicalId: boolean): FolderFilter {
  const names = withLogicalId ? [F.entryUuid, F.uniqueId, F.logicalId] : [F.entryUuid, F.uniqueId];
  const which = params.exactlyOne(...names);
  const values = params.list(which)!;
  const allVersions = params.metadataLevel() === 2;
  if (which === F.entryUuid) return { entryUuids: values, allVersions: true };
  if (which === F.uniqueId) return { uniqueIds: values, allVersions };
  return { logicalIds: values, allVersions };
}

export async function findDocumentsByRef(
  params: QueryParams,
  store: MetadataStore,
  cap: ResultCap,
  withLogicalId = false,
): Promise<DocumentEntry[]> {
  return cap.check(await store.findDocumentEntries(documentRefFilter(params, withLogicalId), cap.findOptions));
}

export async function findFoldersByRef(
  params: QueryParams,
  store: MetadataStore,
  cap: ResultCap,
  withLogicalId = false,
): Promise<Folder[]> {
  return cap.check(await store.findFolders(folderRefFilter(params, withLogicalId), cap.findOptions));
}

/** HasMember associations whose source is one of `sources` (SubmissionSet or Folder contents). */
export async function hasMembersFrom(store: MetadataStore, sources: string[], cap: ResultCap): Promise<Association[]> {
  if (sources.length === 0) return [];
  return cap.check(
    await store.findAssociations({ sourceUuids: sources, types: [AssociationType.HasMember] }, cap.findOptions),
  );
}

/** HasMember associations whose target is one of `targets` (who contains these objects). */
export async function hasMembersTo(store: MetadataStore, targets: string[], cap: ResultCap): Promise<Association[]> {
  if (targets.length === 0) return [];
  return cap.check(
    await store.findAssociations({ targetUuids: targets, types: [AssociationType.HasMember] }, cap.findOptions),
  );
}

/**
 * The associations that connect a set of returned objects: both ends inside the set, or the source inside
 * and the target an association already connected (a SubmissionSet's HasMember to a Folder→DocumentEntry
 * association, ITI TF-3 §4.1.9.2). Used by GetAll.
 */
export async function associationsAmong(
  store: MetadataStore,
  objects: (DocumentEntry | SubmissionSet | Folder)[],
  cap: ResultCap,
): Promise<Association[]> {
  const ids = new Set(objects.map((o) => o.entryUuid));
  if (ids.size === 0) return [];
  const candidates = cap.check(await store.findAssociations({ sourceOrTarget: [...ids] }, cap.findOptions));
  return connected(candidates, ids);
}

/** Keeps the candidates whose ends lie in `ids` or in associations kept before (fixed point). */
export function connected(candidates: Association[], ids: ReadonlySet<string>): Association[] {
  const kept = new Set<string>();
  let changed = true;
  while (changed) {
    changed = false;
    for (const a of candidates) {
      if (kept.has(a.entryUuid)) continue;
      const src = ids.has(a.sourceUuid) || kept.has(a.sourceUuid);
      const tgt = ids.has(a.targetUuid) || kept.has(a.targetUuid);
      if (src && tgt) {
        kept.add(a.entryUuid);
        changed = true;
      }
    }
  }
  return candidates.filter((a) => kept.has(a.entryUuid));
}
