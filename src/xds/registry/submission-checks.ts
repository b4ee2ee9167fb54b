/**
 * Checks on the submission alone, before the registry is consulted (ITI TF-2a §3.42.4.1.3):
 * one patient per submission, uniqueIds unique within the message, every DocumentEntry and Folder a
 * member of the SubmissionSet, and only the association types and classifications ITI-42 allows.
 */
import { ErrorCode, type ErrorCollector } from '../errors.js';
import { AssociationType, type Submission } from '../model/types.js';

/** Association types a Register transaction may carry (ITI TF-3 §4.2.2); the ITI-57 ones are not. */
export const REGISTER_ASSOCIATION_TYPES: ReadonlySet<string> = new Set([
  AssociationType.HasMember,
  AssociationType.Replace,
  AssociationType.Append,
  AssociationType.Transform,
  AssociationType.TransformAndReplace,
  AssociationType.Signs,
  AssociationType.IsSnapshotOf,
]);

/** ITI TF-2a §3.42.4.1.3.2: SubmissionSet, DocumentEntries and Folders carry one and the same patientId. */
export function checkSinglePatient(s: Submission, errors: ErrorCollector): void {
  const pid = s.submissionSet.patientId;
  for (const o of [...s.documents, ...s.folders]) {
    if (o.patientId !== pid) {
      errors.error(
        ErrorCode.PatientIdDoesNotMatch,
        `${o.kind} "${o.entryUuid}" has patientId "${o.patientId}", the SubmissionSet has "${pid}"`,
        o.entryUuid,
      );
    }
  }
}

/** ITI TF-3 Table 4.2.4.1-2 XDSRegistryDuplicateUniqueIdInMessage: a uniqueId used twice in one submission. */
export function checkUniqueIdsInMessage(s: Submission, errors: ErrorCollector): void {
  const seen = new Map<string, string>();
  for (const o of [s.submissionSet, ...s.documents, ...s.folders]) {
    if (!o.uniqueId) continue;
    const first = seen.get(o.uniqueId);
    if (first !== undefined) {
      errors.error(
        ErrorCode.RegistryDuplicateUniqueIdInMessage,
        `uniqueId "${o.uniqueId}" is used by ${first} and by ${o.kind} "${o.entryUuid}"`,
        o.uniqueId,
      );
    } else seen.set(o.uniqueId, `${o.kind} "${o.entryUuid}"`);
  }
}

/**
 * ITI TF-3 §4.1.4 / §4.2.2.1: each DocumentEntry and Folder of the submission is linked to the
 * SubmissionSet by a HasMember association; association types are those of ITI-42; the association
 * documentation classification is allowed on every association except HasMember (ITI TF-3 §4.2.2.3).
 */
export function checkAssociationsShape(s: Submission, errors: ErrorCollector): void {
  const ssId = s.submissionSet.entryUuid;
  const members = new Set(
    s.associations.filter((a) => a.associationType === AssociationType.HasMember && a.sourceUuid === ssId).map((a) => a.targetUuid),
  );
  for (const o of [...s.documents, ...s.folders]) {
    if (!members.has(o.entryUuid)) {
      errors.error(ErrorCode.RegistryMetadataError, `${o.kind} "${o.entryUuid}" is not a member (HasMember) of the SubmissionSet`, o.entryUuid);
    }
  }
  for (const a of s.associations) {
    if (!REGISTER_ASSOCIATION_TYPES.has(a.associationType)) {
      errors.error(ErrorCode.RegistryMetadataError, `Association "${a.entryUuid}" type ${a.associationType} is not allowed in a Register transaction`, a.entryUuid);
    }
    if (a.associationType === AssociationType.HasMember && a.codes.length > 0) {
      errors.error(ErrorCode.RegistryMetadataError, `Association "${a.entryUuid}": a HasMember association may not carry a documentation classification`, a.entryUuid);
    }
    if (a.sourceUuid === a.targetUuid) {
      errors.error(ErrorCode.RegistryMetadataError, `Association "${a.entryUuid}" links "${a.sourceUuid}" to itself`, a.entryUuid);
    }
  }
}
