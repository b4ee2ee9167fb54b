/**
 * Storage ports. The XDS domain talks only to these interfaces; adapters (sqlite/, fs/, queue-embedded/,
 * and later mongodb/, s3/, bullmq/) implement them and are chosen by the composition root from
 * configuration. Each port has one contract test suite (test/contract/) that every adapter runs.
 */
import type { Readable } from 'node:stream';
import type {
  Association,
  AvailabilityStatus,
  DocumentEntry,
  Folder,
  RegistryObject,
  SubmissionSet,
} from '../xds/model/types.js';

// ---------------------------------------------------------------------------------------------------
// Backend-neutral query descriptions (what ITI-18 stored queries compile to; adapters execute them).
// ---------------------------------------------------------------------------------------------------

/**
 * A code parameter: the outer list is AND (one entry per Slot), the inner list is OR (the values of
 * one Slot), ITI TF-2a §3.18.4.1.2.3.5. A code matches on code *and* scheme; scheme undefined = any.
 */
export type CodeMatch = { code: string; scheme?: string };
export type CodeCondition = CodeMatch[][];

/**
 * A time range on an HL7 DTM attribute (ITI TF-2a §3.18.4.1.2.3.6):
 * `from` is inclusive (value >= from), `to` is exclusive (value < to). Values compare as strings
 * after the adapter applies the TF's prefix semantics (see src/xds/queries/time-range.ts).
 */
export interface TimeRange {
  from?: string;
  to?: string;
}

export interface DocumentEntryFilter {
  /** exact CX match; undefined only for multi-patient (ITI-51) or uuid/uniqueId-driven queries. */
  patientIds?: string[];
  entryUuids?: string[];
  uniqueIds?: string[];
  logicalIds?: string[];
  statuses?: AvailabilityStatus[];
  objectTypes?: string[];
  classCode?: CodeCondition;
  typeCode?: CodeCondition;
  practiceSettingCode?: CodeCondition;
  healthcareFacilityTypeCode?: CodeCondition;
  eventCode?: CodeCondition;
  confidentialityCode?: CodeCondition;
  formatCode?: CodeCondition;
  creationTime?: TimeRange;
  serviceStartTime?: TimeRange;
  serviceStopTime?: TimeRange;
  /** SQL-LIKE patterns (% and _), OR-ed (ITI TF-2a §3.18.4.1.2.3.7.8). */
  authorPersons?: string[];
  /** referenceIdList: OR within one slot, AND across slots (same semantics as codes). */
  referenceIds?: string[][];
  /** false (the default) = only the latest version of each logicalId (ITI-57 $MetadataLevel 1). */
  allVersions?: boolean;
}

export interface SubmissionSetFilter {
  patientIds?: string[];
  entryUuids?: string[];
  uniqueIds?: string[];
  statuses?: AvailabilityStatus[];
  sourceIds?: string[];
  submissionTime?: TimeRange;
  authorPersons?: string[];
  contentTypeCode?: CodeCondition;
}

export interface FolderFilter {
  patientIds?: string[];
  entryUuids?: string[];
  uniqueIds?: string[];
  logicalIds?: string[];
  statuses?: AvailabilityStatus[];
  lastUpdateTime?: TimeRange;
  codeList?: CodeCondition;
  allVersions?: boolean;
}

export interface AssociationFilter {
  /** associations whose sourceObject OR targetObject is one of these (the usual stored-query path). */
  sourceOrTarget?: string[];
  sourceUuids?: string[];
  targetUuids?: string[];
  entryUuids?: string[];
  types?: string[];
  statuses?: AvailabilityStatus[];
}

/** Options every find* call takes. */
export interface FindOptions {
  /** return at most this many; the stored-query layer passes cap + 1 to detect XDSTooManyResults. */
  limit?: number;
}

// ---------------------------------------------------------------------------------------------------
// MetadataStore
// ---------------------------------------------------------------------------------------------------

/** A precondition checked inside the commit transaction (optimistic concurrency, ITI-57 / RPLC). */
export type Precondition =
  | { kind: 'status'; entryUuid: string; expected: AvailabilityStatus }
  | { kind: 'latestVersion'; logicalId: string; expectedVersion: number }
  | { kind: 'absentUniqueId'; objectKind: 'DocumentEntry' | 'SubmissionSet' | 'Folder'; uniqueId: string };

/** A durable message written in the same transaction as the metadata (transactional outbox). */
export interface OutboxMessage {
  queue: string;
  /** idempotency key: a message with a key already present is dropped. */
  key: string;
  payload: unknown;
}

/** Everything one registry transaction changes, applied all-or-nothing. */
export interface MetadataWrite {
  insert: RegistryObject[];
  statusChanges: { entryUuid: string; status: AvailabilityStatus }[];
  folderLastUpdate: { entryUuid: string; lastUpdateTime: string }[];
  /** ITI-62: objects removed entirely. */
  delete: string[];
  preconditions: Precondition[];
  outbox: OutboxMessage[];
}

export function emptyWrite(): MetadataWrite {
  return { insert: [], statusChanges: [], folderLastUpdate: [], delete: [], preconditions: [], outbox: [] };
}

/** Raised by commit() when a precondition or a uniqueness constraint fails; nothing was written. */
export class ConflictError extends Error {
  constructor(
    readonly reason: 'precondition' | 'duplicateUniqueId' | 'duplicateEntryUuid',
    message: string,
    readonly subject?: string,
  ) {
    super(message);
    this.name = 'ConflictError';
  }
}

export interface MetadataStore {
  /** Applies a write atomically; throws ConflictError (nothing written) when a check fails. */
  commit(write: MetadataWrite): Promise<void>;

  getObjects(entryUuids: string[]): Promise<RegistryObject[]>;
  findDocumentEntries(filter: DocumentEntryFilter, options?: FindOptions): Promise<DocumentEntry[]>;
  findSubmissionSets(filter: SubmissionSetFilter, options?: FindOptions): Promise<SubmissionSet[]>;
  findFolders(filter: FolderFilter, options?: FindOptions): Promise<Folder[]>;
  findAssociations(filter: AssociationFilter, options?: FindOptions): Promise<Association[]>;

  /** Outbox: the oldest undispatched messages, then mark them dispatched (called by the dispatcher). */
  readOutbox(limit: number): Promise<(OutboxMessage & { seq: number })[]>;
  ackOutbox(seqs: number[]): Promise<void>;

  /** Counts for the admin UI and benchmarks. */
  countObjects(): Promise<Record<'DocumentEntry' | 'SubmissionSet' | 'Folder' | 'Association', number>>;

  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------
// PatientStore (ITI-8 identity feed, admin REST, later the CPR register)
// ---------------------------------------------------------------------------------------------------

export interface PatientRecord {
  /** CX with the affinity domain's assigning authority, e.g. `P123^^^&1.3.6...&ISO`. */
  patientId: string;
  /** HL7 PID fields kept for display (name, birth date, sex), optional. */
  demographics?: Record<string, string>;
  /** where it came from: 'iti8' | 'admin' | 'cpr' ... */
  source: string;
  updatedAt: string;
  /** set when the patient was merged into another (ITI-8 A40). */
  mergedInto?: string;
}

export interface PatientStore {
  upsert(record: PatientRecord): Promise<void>;
  get(patientId: string): Promise<PatientRecord | undefined>;
  list(options?: { prefix?: string; limit?: number; offset?: number }): Promise<PatientRecord[]>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------
// DocumentStore
// ---------------------------------------------------------------------------------------------------

export interface StoredDocumentInfo {
  /** SHA-1 of the bytes, lower-case hex (ITI TF-3 §4.2.3.2.15). */
  sha1: string;
  size: number;
}

export interface DocumentStore {
  /**
   * Stores the bytes under `key` (the document's uniqueId), computing SHA-1 and size while streaming.
   * The object only becomes visible once complete (temp + fsync + rename, or an S3 complete).
   */
  put(key: string, content: Readable | Buffer): Promise<StoredDocumentInfo>;
  /** A stream of the stored bytes, or undefined when absent. */
  get(key: string): Promise<{ stream: Readable; size: number } | undefined>;
  stat(key: string): Promise<{ size: number } | undefined>;
  /** Returns true when something was removed. */
  delete(key: string): Promise<boolean>;
  /** For the consistency check: every stored key. */
  list(): AsyncIterable<string>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------
// JobQueue
// ---------------------------------------------------------------------------------------------------

export interface Job<T = unknown> {
  id: string;
  queue: string;
  key: string;
  payload: T;
  attempts: number;
}

export interface EnqueueOptions {
  /** idempotency key: enqueueing the same key twice on one queue yields one job. */
  key: string;
  delayMs?: number;
}

export type JobHandler<T = unknown> = (job: Job<T>) => Promise<void>;

/** One job of an `enqueueMany` batch: `enqueue(queue, payload, { key, delayMs })` as a record. */
export interface EnqueueItem {
  queue: string;
  payload: unknown;
  /** idempotency key, as in EnqueueOptions. */
  key: string;
  delayMs?: number;
}

export interface JobQueue {
  enqueue<T>(queue: string, payload: T, options: EnqueueOptions): Promise<void>;
  /**
   * Enqueues a batch as `enqueue` would one item after the other, but in as few backend round trips /
   * write transactions as the adapter allows (the outbox dispatcher hands over a whole pass at once).
   * - Items go in in array order: within a queue they are taken in that order (as far as their delays
   *   allow), exactly as if enqueued one by one.
   * - An item whose (queue, key) is already known, or appeared earlier in the same array, is dropped just
   *   as `enqueue` drops a repeated key (the first one wins).
   * - An empty array does nothing. An item without key is rejected (TypeError) before anything is written.
   * - On failure it throws, and the caller must assume that none, some or all items were enqueued;
   *   sending the whole batch again is safe because the keys drop what already got in.
   */
  enqueueMany(items: readonly EnqueueItem[]): Promise<void>;
  /** Starts consuming `queue`; failures retry with backoff up to maxAttempts, then go to dead letters. */
  process<T>(queue: string, handler: JobHandler<T>, options?: { concurrency?: number; maxAttempts?: number }): void;
  /** Depth per state, for the admin UI and tests. */
  counts(queue: string): Promise<{ waiting: number; active: number; failed: number; completed: number }>;
  deadLetters(queue: string, limit?: number): Promise<Job[]>;
  /** Stops taking new jobs and waits for active ones (graceful shutdown). */
  close(): Promise<void>;
}
