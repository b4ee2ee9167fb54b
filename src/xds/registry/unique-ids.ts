/**
 * uniqueIds against the registry (ITI TF-3 Table 4.2.4.1-2; ITI TF-2a §3.42.4.1.3.6): a SubmissionSet or
 * Folder uniqueId already registered is XDSDuplicateUniqueIdInRegistry. A DocumentEntry uniqueId already
 * registered is a resubmission of the same document: accepted when the hash is the same (NIST 12004: both
 * copies are then found), XDSNonIdenticalHash when it differs. New uniqueIds become `absentUniqueId`
 * preconditions so a concurrent writer cannot slip in between check and commit.
 */
import { ErrorCode, type ErrorCollector } from '../errors.js';
import type { Submission } from '../model/types.js';
import type { MetadataStore, Precondition } from '../../storage/ports.js';

export async function checkRegistryUniqueIds(s: Submission, store: MetadataStore, errors: ErrorCollector): Promise<Precondition[]> {
  const preconditions: Precondition[] = [];
  const ss = s.submissionSet;
  if ((await store.findSubmissionSets({ uniqueIds: [ss.uniqueId] }, { limit: 1 })).length > 0) {
    errors.error(ErrorCode.DuplicateUniqueIdInRegistry, `SubmissionSet uniqueId ${ss.uniqueId} is already registered`, ss.uniqueId);
  } else preconditions.push({ kind: 'absentUniqueId', objectKind: 'SubmissionSet', uniqueId: ss.uniqueId });

  if (s.folders.length > 0) {
    const found = new Set((await store.findFolders({ uniqueIds: s.folders.map((f) => f.uniqueId), allVersions: true })).map((f) => f.uniqueId));
    for (const f of s.folders) {
      if (found.has(f.uniqueId)) errors.error(ErrorCode.DuplicateUniqueIdInRegistry, `Folder uniqueId ${f.uniqueId} is already registered`, f.uniqueId);
      else preconditions.push({ kind: 'absentUniqueId', objectKind: 'Folder', uniqueId: f.uniqueId });
    }
  }

  if (s.documents.length > 0) {
    const registered = await store.findDocumentEntries({ uniqueIds: s.documents.map((d) => d.uniqueId), allVersions: true });
    for (const d of s.documents) {
      const same = registered.filter((r) => r.uniqueId === d.uniqueId);
      if (same.length === 0) {
        preconditions.push({ kind: 'absentUniqueId', objectKind: 'DocumentEntry', uniqueId: d.uniqueId });
        continue;
      }
      const differs = same.find((r) => (r.hash ?? '').toLowerCase() !== (d.hash ?? '').toLowerCase() || (d.size !== undefined && r.size !== undefined && r.size !== d.size));
      if (differs) {
        const code = (differs.hash ?? '').toLowerCase() !== (d.hash ?? '').toLowerCase() ? ErrorCode.NonIdenticalHash : ErrorCode.NonIdenticalSize;
        errors.error(
          code,
          `DocumentEntry uniqueId ${d.uniqueId} is already registered (${differs.entryUuid}) with ${code === ErrorCode.NonIdenticalHash ? `hash ${differs.hash ?? '(none)'}, this submission has ${d.hash ?? '(none)'}` : `size ${differs.size}, this submission has ${d.size}`}`,
          d.uniqueId,
        );
      }
    }
  }
  return preconditions;
}
