/**
 * What a replay remembers between steps (conformance ANALYSIS.md §5): one log per (test, section), one
 * entry per step with the ids assigned, the reports published, the request as sent and the response.
 * Plus the id generators (patient ids, uniqueIds) of one run. One RunState per hub; nothing global.
 */
import { randomUUID } from 'node:crypto';

export interface StepLog {
  /** the transaction element of the step (the section log nests Result under it, §6.3). */
  transaction?: string;
  assignedUuids: Record<string, string>;
  assignedUids: Record<string, string>;
  assignedPatientId: Record<string, string>;
  reports: Record<string, string>;
  /** request body as sent (InputMetadata), XML without declaration. */
  request?: string;
  /** response body (Result), XML without declaration, XOP resolved. */
  response?: string;
  /** document bytes sent in this step, by the DocumentEntry uniqueId they were registered under. */
  sentDocuments: Record<string, Buffer>;
}

export function emptyStepLog(): StepLog {
  return { assignedUuids: {}, assignedUids: {}, assignedPatientId: {}, reports: {}, sentDocuments: {} };
}

/** Assigning authority of the runner's patient ids: the NIST toolkit's default affinity domain. */
export const PATIENT_ID_AUTHORITY = '1.3.6.1.4.1.21367.13.20.1000';
/** XDSSubmissionSet.sourceId written into every submission (ANALYSIS.md §3 step 6). */
export const SOURCE_ID = '1.3.6.1.4.1.21367.4';

export class RunState {
  /** `test/section` -> step id -> log. */
  readonly sections = new Map<string, Map<string, StepLog>>();
  /** Session patient id per test (the id written into submissions unless NoPatientId). */
  readonly sessionPatientId = new Map<string, string>();
  /** Every patient id this run fed to the hub. */
  readonly registeredPatients = new Set<string>();
  /** Tests already replayed against this hub (dependencies run once). */
  readonly done = new Set<string>();
  private uidCounter = 0;
  private pidCounter = 0;
  private readonly stamp: string;

  constructor(now: Date = new Date()) {
    const p = (n: number, w = 2): string => String(n).padStart(w, '0');
    this.stamp = `${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}`;
    this.uidRoot = `1.2.42.${now.getTime()}`;
  }

  private readonly uidRoot: string;

  sectionLog(key: string): Map<string, StepLog> | undefined {
    return this.sections.get(key);
  }

  /** A fresh section log; a repeated section (12345/index.idx) replaces the earlier one. */
  startSection(key: string): Map<string, StepLog> {
    const log = new Map<string, StepLog>();
    this.sections.set(key, log);
    return log;
  }

  /** A new unique OID (the toolkit uses 1.2.42.<timestamp>.<counter>, ANALYSIS.md §3 step 5). */
  newUid(): string {
    this.uidCounter += 1;
    return `${this.uidRoot}.${this.uidCounter}`;
  }

  /** A new HL7 CX patient id `P<MMddHHmmss>.<n>^^^&<authority>&ISO` (ANALYSIS.md §3 formats). */
  newPatientId(): string {
    this.pidCounter += 1;
    return `P${this.stamp}.${this.pidCounter}^^^&${PATIENT_ID_AUTHORITY}&ISO`;
  }

  newUuid(): string {
    return `urn:uuid:${randomUUID()}`;
  }
}
