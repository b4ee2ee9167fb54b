/**
 * ITI-62 Delete Document Set, Document Registry side (RMD, ITI TF-2b §3.62.4.1.3): removes the named
 * registry objects entirely, all or nothing. The request may not
 * - name an object the registry does not hold: UnresolvedReferenceException;
 * - leave an Association pointing at a removed object: ReferencesExistException;
 * - leave a DocumentEntry, Folder or Association no SubmissionSet holds (HasMember), or a SubmissionSet
 *   holding nothing: XDSUnreferencedObjectException.
 * The error codes are written as the RMD supplement lists them (and the NIST RMD tests 300xx expect them).
 */
import { emptyWrite, ConflictError, type MetadataStore } from '../../storage/ports.js';
import type { XmlElement } from '../../xml/tree.js';
import { child } from '../../xml/tree.js';
import { NS } from '../ebrim/namespaces.js';
import { ErrorCode, ErrorCollector, XdsError } from '../errors.js';
import { AssociationType, type Association, type RegistryObject } from '../model/types.js';
import { isUrnUuid } from '../registry/assign-ids.js';

/** The RMD error codes (ITI TF-2b §3.62.4.1.3, ITI TF-3 Table 4.2.4.1-2 RMD additions). */
export const RemovalErrorCode = {
  UnresolvedReference: 'UnresolvedReferenceException',
  ReferencesExist: 'ReferencesExistException',
  UnreferencedObject: 'XDSUnreferencedObjectException',
} as const;

/** Association types by which a SubmissionSet holds an object (ITI TF-3 §4.2.2.1; ITI-57 SubmitAssociation). */
const HOLDS = new Set<string>([AssociationType.HasMember, AssociationType.SubmitAssociation]);

export interface RemoveMetadataDeps {
  store: MetadataStore;
  serialize?: <T>(fn: () => Promise<T>) => Promise<T>;
}

export function decodeRemoveObjectsRequest(request: XmlElement): string[] {
  const bad = (message: string): never => {
    throw new XdsError(ErrorCode.RegistryError, message);
  };
  if (request.ns !== NS.lcm || request.name !== 'RemoveObjectsRequest') bad(`expected lcm:RemoveObjectsRequest, got {${request.ns}}${request.name}`);
  if (child(request, NS.rim, 'AdhocQuery')) bad('RemoveObjectsRequest with an AdhocQuery is not supported: ITI-62 names the objects in an ObjectRefList (ITI TF-2b §3.62.4.1.2)');
  const scope = request.attrs.deletionScope;
  if (scope !== undefined && scope !== 'urn:oasis:names:tc:ebxml-regrep:DeletionScopeType:DeleteAll') {
    bad(`deletionScope "${scope}" is not supported; ITI-62 removes the objects (DeleteAll)`);
  }
  const list = child(request, NS.rim, 'ObjectRefList');
  const ids = (list?.children ?? []).filter((c) => c.ns === NS.rim && c.name === 'ObjectRef').map((c) => c.attrs.id ?? '');
  if (ids.length === 0) bad('RemoveObjectsRequest names no object (rim:ObjectRefList/rim:ObjectRef)');
  return [...new Set(ids)];
}

export class RemoveMetadataService {
  constructor(private readonly deps: RemoveMetadataDeps) {}

  async remove(request: XmlElement): Promise<void> {
    const ids = decodeRemoveObjectsRequest(request);
    const run = this.deps.serialize ?? ((fn) => fn());
    await run(() => this.removeIds(ids));
  }

  async removeIds(ids: string[]): Promise<void> {
    const { store } = this.deps;
    const errors = new ErrorCollector();
    const wellFormed = ids.filter((id) => isUrnUuid(id));
    const found = new Map((wellFormed.length ? await store.getObjects(wellFormed) : []).map((o) => [o.entryUuid, o]));
    for (const id of ids) {
      if (!found.has(id)) errors.error(RemovalErrorCode.UnresolvedReference, `object ${id} is not in the registry`, id);
    }
    errors.throwIfErrors();

    const removing = new Set(ids);
    const touching = await store.findAssociations({ sourceOrTarget: ids });
    const removedAssociations = [...found.values()].filter((o): o is Association => o.kind === 'Association');
    for (const a of touching) {
      if (removing.has(a.entryUuid)) continue;
      const gone = removing.has(a.sourceUuid) ? a.sourceUuid : a.targetUuid;
      errors.error(RemovalErrorCode.ReferencesExist, `Association ${a.entryUuid} (${typeName(a.associationType)}) still references ${gone}; remove it in the same request`, a.entryUuid);
    }
    errors.throwIfErrors();

    // Objects that stay but lose an association: each must still be held by a SubmissionSet.
    const survivors = new Set<string>();
    for (const a of removedAssociations) for (const id of [a.sourceUuid, a.targetUuid]) if (!removing.has(id)) survivors.add(id);
    if (survivors.size > 0) {
      const objects = await store.getObjects([...survivors]);
      const remaining = (await store.findAssociations({ sourceOrTarget: [...survivors] })).filter((a) => !removing.has(a.entryUuid));
      const kinds = await kindsOf(store, remaining, objects);
      for (const o of objects) {
        if (o.kind === 'SubmissionSet') {
          if (!remaining.some((a) => a.sourceUuid === o.entryUuid)) {
            errors.error(RemovalErrorCode.UnreferencedObject, `SubmissionSet ${o.entryUuid} would hold no object after the removal; remove it too`, o.entryUuid);
          }
        } else if (!remaining.some((a) => a.targetUuid === o.entryUuid && HOLDS.has(a.associationType) && kinds.get(a.sourceUuid) === 'SubmissionSet')) {
          errors.error(RemovalErrorCode.UnreferencedObject, `${o.kind} ${o.entryUuid} would be held by no SubmissionSet after the removal`, o.entryUuid);
        }
      }
    }
    errors.throwIfErrors();

    try {
      await store.commit({ ...emptyWrite(), delete: ids });
    } catch (err) {
      if (err instanceof ConflictError) throw new XdsError(ErrorCode.RegistryError, `the registry changed during the removal: ${err.message}`, err.subject);
      throw err;
    }
  }
}

function typeName(t: string): string {
  return t.slice(t.lastIndexOf(':') + 1);
}

async function kindsOf(store: MetadataStore, associations: Association[], known: RegistryObject[]): Promise<Map<string, string>> {
  const kinds = new Map(known.map((o) => [o.entryUuid, o.kind as string]));
  const missing = [...new Set(associations.map((a) => a.sourceUuid))].filter((id) => !kinds.has(id));
  if (missing.length) for (const o of await store.getObjects(missing)) kinds.set(o.entryUuid, o.kind);
  return kinds;
}
