/**
 * The Document Registry's Register Document Set-b (ITI-42, ITI TF-2a §3.42.4.1.3), also used in process by
 * the repository for ITI-41. All or nothing: every check runs first, then one MetadataWrite with
 * preconditions is committed; a failed submission leaves no trace.
 *
 * Order: decode → profile validation + one patient + uniqueIds in the message + association shape +
 * patient known → entryUUID assignment → registry state (client ids unused, uniqueIds, association
 * targets and lifecycle) → commit. Submissions are serialized by an in-process mutex.
 */
import { randomUUID } from 'node:crypto';
import type { CodeValidationMode } from '../../config/config.js';
import { ConflictError, emptyWrite, type MetadataStore, type MetadataWrite, type Precondition } from '../../storage/ports.js';
import type { XmlElement } from '../../xml/tree.js';
import { decodeSubmission } from '../ebrim/decode-submission.js';
import { ErrorCode, ErrorCollector, XdsError, type RegistryErrorEntry } from '../errors.js';
import { formatDtm } from '../model/hl7.js';
import type { RegistryObject, Submission } from '../model/types.js';
import { Status } from '../model/types.js';
import type { RequestContext } from '../transactions/descriptor.js';
import type { SubmissionTransaction, ValidationProfile } from '../validate/profile.js';
import { validateSubmission } from '../validate/validate-submission.js';
import { assignIds } from './assign-ids.js';
import { AsyncMutex } from './async-mutex.js';
import { planAssociations } from './association-rules.js';
import type { PatientIdentity } from './patient-identity.js';
import { checkAssociationsShape, checkSinglePatient, checkUniqueIdsInMessage } from './submission-checks.js';
import { checkRegistryUniqueIds } from './unique-ids.js';

export interface RegistryServiceDeps {
  store: MetadataStore;
  patients: PatientIdentity;
  profile: ValidationProfile;
  clock?: () => Date;
  /** config.codeValidation (default 'off'). */
  codeValidation?: CodeValidationMode;
  /** uuid source (tests pass a deterministic one). */
  newUuid?: () => string;
  /** receives LOG-level validation findings with the request they belong to. */
  log?: (entry: RegistryErrorEntry, context: RequestContext) => void;
  /**
   * Serializes registry writes; the composition root passes ONE runner to ITI-42, ITI-57 and ITI-62 so
   * that, e.g., an association cannot be added to an object that a concurrent ITI-62 is removing.
   */
  serialize?: <T>(fn: () => Promise<T>) => Promise<T>;
}

export interface RegisterOptions {
  transaction: SubmissionTransaction;
}

export interface RegisterResult {
  warnings: RegistryErrorEntry[];
  /** symbolic id → assigned entryUUID, and every stored object (for audit and tests). */
  assignedUuids: Map<string, string>;
  submissionSetUuid: string;
}

export class RegistryService {
  private readonly serialize: <T>(fn: () => Promise<T>) => Promise<T>;
  private readonly clock: () => Date;
  private readonly newUuid: () => string;

  constructor(private readonly deps: RegistryServiceDeps) {
    this.clock = deps.clock ?? (() => new Date());
    this.newUuid = deps.newUuid ?? randomUUID;
    const mutex = new AsyncMutex();
    this.serialize = deps.serialize ?? ((fn) => mutex.run(fn));
  }

  /** ITI-42 on an lcm:SubmitObjectsRequest; throws XdsError (nothing stored) on any failure. */
  async register(request: XmlElement, context: RequestContext, options: RegisterOptions): Promise<RegisterResult> {
    const submission = decodeSubmission(request, { errorCode: metadataErrorCode(options.transaction) });
    return this.registerSubmission(submission, context, options);
  }

  /** The same on an already decoded Submission. */
  registerSubmission(submission: Submission, context: RequestContext, options: RegisterOptions): Promise<RegisterResult> {
    return this.serialize(() => this.registerLocked(submission, context, options));
  }

  private async registerLocked(input: Submission, context: RequestContext, options: RegisterOptions): Promise<RegisterResult> {
    const { store, patients, profile } = this.deps;
    const errors = new ErrorCollector();

    // 1. the submission on its own
    validateSubmission(
      input,
      profile,
      {
        transaction: options.transaction,
        codeValidation: this.deps.codeValidation ?? 'off',
        errorCode: metadataErrorCode(options.transaction),
        log: (e) => this.deps.log?.(e, context),
      },
      errors,
    );
    checkSinglePatient(input, errors);
    checkUniqueIdsInMessage(input, errors);
    checkAssociationsShape(input, errors);
    const pids = [...new Set([input.submissionSet.patientId, ...input.documents.map((d) => d.patientId), ...input.folders.map((f) => f.patientId)])];
    for (const pid of pids.filter(Boolean)) {
      // ITI TF-2a §3.42.4.1.3.1: the patient must be known from the identity feed (NIST 11996).
      if (!(await patients.isKnown(pid))) errors.error(ErrorCode.UnknownPatientId, `patientId "${pid}" is not known to the registry`, pid);
    }
    errors.throwIfErrors();

    // 2. ids
    const { submission: s, assigned, clientAssigned } = assignIds(input, this.newUuid, errors);
    errors.throwIfErrors();

    // 3. registry state
    if (clientAssigned.length > 0) {
      for (const o of await store.getObjects(clientAssigned)) {
        errors.error(ErrorCode.RegistryMetadataError, `entryUUID ${o.entryUuid} is already used by a registered ${o.kind} (ITI TF-3 §4.1.12.3)`, o.entryUuid);
      }
    }
    const preconditions: Precondition[] = await checkRegistryUniqueIds(s, store, errors);
    const referenced = new Set<string>();
    const inMessage = new Set([s.submissionSet, ...s.documents, ...s.folders, ...s.associations].map((o) => o.entryUuid));
    for (const a of s.associations) for (const id of [a.sourceUuid, a.targetUuid]) if (!inMessage.has(id)) referenced.add(id);
    const existing = new Map<string, RegistryObject>();
    if (referenced.size > 0) for (const o of await store.getObjects([...referenced])) existing.set(o.entryUuid, o);
    const plan = await planAssociations(s, existing, store, this.newUuid, errors);
    errors.throwIfErrors();

    // 4. one write, all or nothing
    const now = formatDtm(this.clock());
    const approved = <T extends RegistryObject>(o: T): T => {
      const out = { ...o, status: Status.Approved, version: 1 };
      delete (out as { homeCommunityId?: string }).homeCommunityId; // home is stamped at query time
      return out;
    };
    const write: MetadataWrite = {
      ...emptyWrite(),
      insert: [
        approved(s.submissionSet),
        ...s.documents.map(approved),
        ...s.folders.map((f) => ({ ...approved(f), lastUpdateTime: now })),
        ...s.associations.map(approved),
        ...plan.extraAssociations,
      ],
      statusChanges: plan.statusChanges,
      folderLastUpdate: [...plan.touchedFolders].map((entryUuid) => ({ entryUuid, lastUpdateTime: now })),
      preconditions: [...preconditions, ...plan.preconditions],
    };
    try {
      await store.commit(write);
    } catch (err) {
      if (err instanceof ConflictError) throw conflictToXdsError(err, s);
      throw err;
    }
    return { warnings: errors.warnings, assignedUuids: assigned, submissionSetUuid: s.submissionSet.entryUuid };
  }
}

/** The metadata error code of the transaction (ITI TF-3 Table 4.2.4.1-2). */
export function metadataErrorCode(transaction: SubmissionTransaction): string {
  return transaction === 'ITI-41' ? ErrorCode.RepositoryMetadataError : ErrorCode.RegistryMetadataError;
}

/** A conflict found inside the commit (a concurrent writer won the race): the matching XDS error. */
function conflictToXdsError(err: ConflictError, s: Submission): XdsError {
  const uniqueIds = new Set([s.submissionSet, ...s.documents, ...s.folders].map((o) => o.uniqueId));
  if (err.reason === 'duplicateUniqueId' || (err.subject !== undefined && uniqueIds.has(err.subject))) {
    return new XdsError(ErrorCode.DuplicateUniqueIdInRegistry, `uniqueId ${err.subject ?? ''} is already registered: ${err.message}`, err.subject);
  }
  if (err.reason === 'duplicateEntryUuid') {
    return new XdsError(ErrorCode.RegistryMetadataError, `entryUUID ${err.subject ?? ''} is already used: ${err.message}`, err.subject);
  }
  return new XdsError(ErrorCode.RegistryError, `the registry changed during the submission: ${err.message}`, err.subject);
}
