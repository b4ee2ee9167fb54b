/**
 * ITI-57 Update Document Set, Document Registry side (ITI TF-2b §3.57.4.1.3). All or nothing like
 * ITI-42: the request is decoded and validated, every operation is checked against the registry, then one
 * MetadataWrite is committed. Each new version carries a `latestVersion` precondition, so of two concurrent
 * updates of one object exactly one commits; the other gets XDSMetadataVersionError.
 */
import { randomUUID } from 'node:crypto';
import type { CodeValidationMode } from '../../config/config.js';
import { ConflictError, emptyWrite, type MetadataStore, type MetadataWrite } from '../../storage/ports.js';
import type { XmlElement } from '../../xml/tree.js';
import { decodeSubmission } from '../ebrim/decode-submission.js';
import { ErrorCode, ErrorCollector, XdsError, type RegistryErrorEntry } from '../errors.js';
import { formatDtm } from '../model/hl7.js';
import { Status, type Association, type DocumentEntry, type Folder, type RegistryObject, type Submission } from '../model/types.js';
import { assignIds, isUrnUuid } from '../registry/assign-ids.js';
import { AsyncMutex } from '../registry/async-mutex.js';
import type { PatientIdentity } from '../registry/patient-identity.js';
import { checkSinglePatient } from '../registry/submission-checks.js';
import type { RequestContext } from '../transactions/descriptor.js';
import type { ValidationProfile } from '../validate/profile.js';
import { validateSubmission } from '../validate/validate-submission.js';
import { checkSubmittedAssociation } from './submit-association.js';
import { propagateAssociations } from './propagation.js';
import { readOperations } from './update-operations.js';

export interface MetadataUpdateDeps {
  store: MetadataStore;
  patients: PatientIdentity;
  profile: ValidationProfile;
  clock?: () => Date;
  codeValidation?: CodeValidationMode;
  newUuid?: () => string;
  /**
   * Serializes registry writes with ITI-42 when given (pass the same AsyncMutex-like runner); without it the
   * commit's preconditions alone keep concurrent writers apart.
   */
  serialize?: <T>(fn: () => Promise<T>) => Promise<T>;
}

export interface UpdateResult {
  warnings: RegistryErrorEntry[];
  submissionSetUuid: string;
  /** logicalID → entryUUID of the new version, for every updated DocumentEntry / Folder. */
  newVersions: Map<string, string>;
}

export class MetadataUpdateService {
  private readonly clock: () => Date;
  private readonly newUuid: () => string;
  private readonly serialize: <T>(fn: () => Promise<T>) => Promise<T>;

  constructor(private readonly deps: MetadataUpdateDeps) {
    this.clock = deps.clock ?? (() => new Date());
    this.newUuid = deps.newUuid ?? randomUUID;
    const mutex = new AsyncMutex();
    this.serialize = deps.serialize ?? ((fn) => mutex.run(fn));
  }

  /** ITI-57 on an lcm:SubmitObjectsRequest; throws XdsError (nothing stored) on any failure. */
  async update(request: XmlElement, context: RequestContext): Promise<UpdateResult> {
    const submission = decodeSubmission(request, { errorCode: ErrorCode.RegistryMetadataError });
    return this.serialize(() => this.updateLocked(submission, context));
  }

  private async updateLocked(input: Submission, _context: RequestContext): Promise<UpdateResult> {
    const { store, patients, profile } = this.deps;
    const errors = new ErrorCollector();
    const s = this.assign(input, errors);
    errors.throwIfErrors();

    const ops = readOperations(s, errors);
    // The new versions are complete metadata objects: the ITI-42 rules apply to them (NIST 15800d, 20000f).
    validateSubmission(s, profile, { transaction: 'ITI-42', codeValidation: this.deps.codeValidation ?? 'off', errorCode: ErrorCode.RegistryMetadataError }, errors);
    // ITI TF-2b §3.57.4.1.3.1 / ITI TF-2a §3.42.4.1.3.2: the new versions carry the SubmissionSet's patient.
    checkSinglePatient(s, errors);
    const pids = [...new Set([s.submissionSet.patientId, ...s.documents.map((d) => d.patientId), ...s.folders.map((f) => f.patientId)])];
    for (const pid of pids.filter(Boolean)) {
      if (!(await patients.isKnown(pid))) errors.error(ErrorCode.UnknownPatientId, `patientId "${pid}" is not known to the registry`, pid);
    }
    errors.throwIfErrors();

    const clientIds = [s.submissionSet, ...s.documents, ...s.folders, ...s.associations].map((o) => o.entryUuid);
    for (const o of await store.getObjects(clientIds)) {
      errors.error(ErrorCode.RegistryMetadataError, `entryUUID ${o.entryUuid} is already used by a registered ${o.kind} (ITI TF-3 §4.1.12.3)`, o.entryUuid);
    }
    if ((await store.findSubmissionSets({ uniqueIds: [s.submissionSet.uniqueId] }, { limit: 1 })).length > 0) {
      errors.error(ErrorCode.DuplicateUniqueIdInRegistry, `SubmissionSet uniqueId ${s.submissionSet.uniqueId} is already registered`, s.submissionSet.uniqueId);
    }
    errors.throwIfErrors();

    const now = formatDtm(this.clock());
    const write: MetadataWrite = emptyWrite();
    write.preconditions.push({ kind: 'absentUniqueId', objectKind: 'SubmissionSet', uniqueId: s.submissionSet.uniqueId });
    const ss = { ...s.submissionSet, status: Status.Approved, version: 1 };
    delete (ss as { homeCommunityId?: string }).homeCommunityId;
    write.insert.push(ss);

    const newVersions = new Map<string, string>();
    const propagating = new Set<string>();
    const inserted = new Map<string, RegistryObject>();
    const statusOf = new Map<string, string>();

    // 1. new versions (ITI TF-2b §3.57.4.1.3.3.1)
    for (const op of ops) {
      if (op.kind !== 'updateObject') continue;
      const o = op.object;
      const latest = await this.latest(o.kind, o.logicalId);
      if (!latest) {
        errors.error(ErrorCode.MetadataVersionError, `no ${o.kind} with logicalID ${o.logicalId} is registered, so ${o.entryUuid} cannot be a new version of it`, o.logicalId);
        continue;
      }
      if (latest.version !== op.previousVersion) {
        errors.error(ErrorCode.MetadataVersionError, `PreviousVersion ${op.previousVersion} is not the latest version of ${o.kind} ${o.logicalId} (that is version ${latest.version})`, o.logicalId);
        continue;
      }
      if (latest.uniqueId !== o.uniqueId) {
        errors.error(ErrorCode.MetadataUpdateError, `${o.kind} ${o.logicalId}: uniqueId "${o.uniqueId}" differs from the registered "${latest.uniqueId}"; a new version keeps the uniqueId (ITI TF-3 §4.1.3.2)`, o.logicalId);
        continue;
      }
      if (o.kind === 'DocumentEntry' && latest.kind === 'DocumentEntry' && latest.objectType !== o.objectType) {
        errors.error(ErrorCode.MetadataUpdateError, `DocumentEntry ${o.logicalId}: objectType cannot change from ${latest.objectType} to ${o.objectType}`, o.logicalId);
        continue;
      }
      if (latest.status !== Status.Approved) {
        // ITI TF-2b §3.57.4.1.3.3.1: only an Approved latest version is updated; the status change comes first.
        errors.error(ErrorCode.MetadataUpdateError, `${o.kind} ${o.logicalId}: the latest version ${latest.entryUuid} is ${latest.status}, not Approved`, o.logicalId);
        continue;
      }
      const next = { ...o, version: latest.version + 1, status: Status.Approved } as DocumentEntry | Folder;
      delete (next as { homeCommunityId?: string }).homeCommunityId;
      if (next.kind === 'Folder') next.lastUpdateTime = now;
      write.insert.push(next);
      inserted.set(next.entryUuid, next);
      write.statusChanges.push({ entryUuid: latest.entryUuid, status: Status.Deprecated });
      write.preconditions.push({ kind: 'latestVersion', logicalId: o.logicalId, expectedVersion: latest.version });
      newVersions.set(o.logicalId, next.entryUuid);
      if (op.propagate) {
        propagating.add(next.entryUuid);
        const p = await propagateAssociations(store, latest, next, () => `urn:uuid:${this.newUuid()}`);
        write.insert.push(...p.associations);
        for (const f of p.touchedFolders) write.folderLastUpdate.push({ entryUuid: f, lastUpdateTime: now });
      }
    }

    // 2. submitted associations and references
    for (const op of ops) {
      if (op.kind === 'submitAssociation') {
        await checkSubmittedAssociation(store, op.submitted, { inserted, propagating }, errors, write.preconditions);
      } else if (op.kind === 'reference') {
        const [t] = await store.getObjects([op.membership.targetUuid]);
        if (!t) errors.error(ErrorCode.UnresolvedReferenceException, `Association "${op.membership.entryUuid}": targetObject ${op.membership.targetUuid} is not registered`, op.membership.entryUuid);
        else if (t.kind !== 'DocumentEntry') errors.error(ErrorCode.MetadataUpdateError, `Association "${op.membership.entryUuid}": only a DocumentEntry can be included by reference, not a ${t.kind}`, op.membership.entryUuid);
      }
    }

    // 3. status updates (ITI TF-2b §3.57.4.1.3.3.2): on the latest version only
    for (const op of ops) {
      if (op.kind !== 'updateStatus') continue;
      const where = `UpdateAvailabilityStatus "${op.marker.entryUuid}"`;
      const own = s.associations.find((a) => a.entryUuid === op.targetUuid);
      if (own) {
        // A Submit Association and its status in one request (NIST 20005): the association is stored so.
        if (own.status !== op.original && op.original !== Status.Approved) {
          errors.error(ErrorCode.MetadataUpdateOperationError, `${where}: OriginalStatus ${op.original} is not the status of the submitted Association ${own.entryUuid}`, op.marker.entryUuid);
        }
        statusOf.set(own.entryUuid, op.next);
        continue;
      }
      const fresh = inserted.get(op.targetUuid);
      if (fresh) {
        // ITI TF-2b §3.57.4.1.3.1: an update and a status change of the same logical object in one request:
        // the new version is created (Approved), then the status change applies to it (NIST 20003/20004).
        if (op.original !== Status.Approved) {
          errors.error(ErrorCode.MetadataUpdateError, `${where}: OriginalStatus ${op.original} does not match the new version ${fresh.entryUuid} of this request, which is created Approved`, op.marker.entryUuid);
          continue;
        }
        fresh.status = op.next;
        continue;
      }
      const [target] = await store.getObjects([op.targetUuid]);
      if (!target) {
        errors.error(ErrorCode.MetadataUpdateOperationError, `${where}: targetObject ${op.targetUuid} is not registered`, op.marker.entryUuid);
        continue;
      }
      if (target.kind === 'SubmissionSet') {
        errors.error(ErrorCode.MetadataUpdateOperationError, `${where}: the status of a SubmissionSet cannot be updated (ITI TF-2b §3.57.4.1.3.3.2)`, op.marker.entryUuid);
        continue;
      }
      if (target.kind !== 'Association') {
        if (newVersions.has(target.logicalId)) {
          errors.error(ErrorCode.MetadataUpdateError, `${where}: ${target.kind} ${target.logicalId} is also updated by this request`, op.marker.entryUuid);
          continue;
        }
        const latest = await this.latest(target.kind, target.logicalId);
        if (latest && latest.entryUuid !== target.entryUuid) {
          errors.error(ErrorCode.MetadataUpdateOperationError, `${where}: ${target.entryUuid} is version ${target.version} of ${target.logicalId}; only the latest version (${latest.version}) may change status`, op.marker.entryUuid);
          continue;
        }
      }
      if (target.status !== op.original) {
        errors.error(ErrorCode.MetadataUpdateOperationError, `${where}: OriginalStatus ${op.original} is not the current status ${target.status} of ${target.entryUuid}`, op.marker.entryUuid);
        continue;
      }
      write.statusChanges.push({ entryUuid: target.entryUuid, status: op.next });
      write.preconditions.push({ kind: 'status', entryUuid: target.entryUuid, expected: op.original });
    }
    errors.throwIfErrors();

    for (const a of s.associations) {
      write.insert.push({ ...a, version: 1, status: (statusOf.get(a.entryUuid) ?? Status.Approved) as Association['status'] });
    }
    try {
      await store.commit(write);
    } catch (err) {
      if (err instanceof ConflictError) throw conflictToXdsError(err);
      throw err;
    }
    return { warnings: errors.warnings, submissionSetUuid: s.submissionSet.entryUuid, newVersions };
  }

  /** The latest version of a logical DocumentEntry or Folder, any status. */
  private async latest(kind: 'DocumentEntry' | 'Folder', logicalId: string): Promise<DocumentEntry | Folder | undefined> {
    const found: (DocumentEntry | Folder)[] =
      kind === 'DocumentEntry' ? await this.deps.store.findDocumentEntries({ logicalIds: [logicalId] }) : await this.deps.store.findFolders({ logicalIds: [logicalId] });
    return found.sort((a, b) => b.version - a.version)[0];
  }

  /**
   * entryUUIDs for symbolic ids (the ITI-42 rules of assign-ids.ts), keeping each DocumentEntry/Folder's lid
   * as sent: it names the logical object being updated and must be a urn:uuid (ITI TF-3 §4.1.3.2).
   */
  private assign(input: Submission, errors: ErrorCollector): Submission {
    const strip = <T extends { entryUuid: string; logicalId: string }>(o: T): T => ({ ...o, logicalId: o.entryUuid });
    const stripped: Submission = {
      submissionSet: strip(input.submissionSet),
      documents: input.documents.map(strip),
      folders: input.folders.map(strip),
      associations: input.associations.map(strip),
    };
    const { submission } = assignIds(stripped, this.newUuid, errors);
    // assignIds keeps the order of each list, so index i of its output is index i of the input.
    const restore = <T extends DocumentEntry | Folder>(sent: T[], out: T[]): T[] =>
      out.map((o, i) => {
        const { entryUuid: sentId, logicalId: lid } = sent[i]!;
        if (lid === sentId) return o;
        if (!isUrnUuid(lid)) errors.error(ErrorCode.RegistryMetadataError, `${o.kind} "${sentId}" has lid "${lid}": a logicalID is a urn:uuid (ITI TF-3 §4.1.3.2)`, sentId);
        return { ...o, logicalId: lid };
      });
    return { ...submission, documents: restore(input.documents, submission.documents), folders: restore(input.folders, submission.folders) };
  }
}

/** A conflict found inside the commit: another writer changed one of the objects first. */
function conflictToXdsError(err: ConflictError): XdsError {
  if (err.reason === 'precondition') {
    return new XdsError(ErrorCode.MetadataVersionError, `the registry changed during the update (a concurrent update won): ${err.message}`, err.subject);
  }
  if (err.reason === 'duplicateUniqueId') return new XdsError(ErrorCode.DuplicateUniqueIdInRegistry, err.message, err.subject);
  return new XdsError(ErrorCode.RegistryMetadataError, err.message, err.subject);
}
