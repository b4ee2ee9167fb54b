/**
 * Which patient ids the registry knows (ITI TF-2b §3.42.4.1.3: a Register Document Set-b whose patient id
 * the registry does not know fails with XDSUnknownPatientId). Patients become known from
 *   (a) the ITI-8 Patient Identity Feed (identity-feed.ts),
 *   (b) the admin REST endpoint (admin-routes.ts),
 *   (c) optionally, any well-formed XDS patient id `id^^^&oid&ISO` whose oid is in
 *       `autoAcceptAssigningAuthorities` (off when the list is empty, the default).
 * A patient merged into another (ITI-8 A40, ITI TF-2a §3.8.4.2) is no longer an active id: submissions
 * must use the surviving one, even under (c).
 *
 * Structurally satisfies the registry's `{ isKnown(patientId): Promise<boolean> }`
 * (src/xds/registry/patient-identity.ts).
 */
import type { PatientRecord, PatientStore } from '../storage/ports.js';
import { parseCx, validatePatientIdCx } from '../xds/model/hl7.js';

export type Clock = () => Date;

/** A patient id that is not a valid XDS CX (`id^^^&oid&ISO`, ITI TF-3 §4.2.3.2.16). */
export class InvalidPatientIdError extends Error {
  constructor(
    readonly patientId: string,
    readonly problems: string[],
  ) {
    super(`patient id "${patientId}" is not a valid XDS CX (id^^^&oid&ISO): ${problems.join('; ')}`);
    this.name = 'InvalidPatientIdError';
  }
}

export interface PatientIdentityServiceOptions {
  patients: PatientStore;
  /** Option (c): oids whose well-formed ids are accepted without a feed (empty = off). */
  autoAcceptAssigningAuthorities?: string[];
  clock?: Clock;
}

export class PatientIdentityService {
  private readonly patients: PatientStore;
  private readonly autoAccept: ReadonlySet<string>;
  private readonly clock: Clock;

  constructor(options: PatientIdentityServiceOptions) {
    this.patients = options.patients;
    this.autoAccept = new Set(options.autoAcceptAssigningAuthorities ?? []);
    this.clock = options.clock ?? (() => new Date());
  }

  /** The problems that make `patientId` an invalid XDS patient id (empty = valid). */
  static validate(patientId: string): string[] {
    return validatePatientIdCx(patientId);
  }

  /** True when the id is an active patient of this registry (see the module comment for the rules). */
  async isKnown(patientId: string): Promise<boolean> {
    const record = await this.patients.get(patientId);
    if (record) return record.mergedInto === undefined;
    if (this.autoAccept.size === 0) return false;
    if (validatePatientIdCx(patientId).length > 0) return false;
    return this.autoAccept.has(parseCx(patientId).assigningAuthority.universalId);
  }

  async get(patientId: string): Promise<PatientRecord | undefined> {
    return this.patients.get(patientId);
  }

  async list(options: { prefix?: string; limit?: number; offset?: number } = {}): Promise<PatientRecord[]> {
    return this.patients.list(options);
  }

  /**
   * Creates or updates a patient. `demographics` replaces the stored ones when given (undefined keeps
   * them). A merged record stays merged: un-merging is not an ITI-8 event this registry takes.
   * Throws InvalidPatientIdError for an id that is not `id^^^&oid&ISO`.
   */
  async register(patientId: string, source: string, demographics?: Record<string, string>): Promise<PatientRecord> {
    this.assertValid(patientId);
    const existing = await this.patients.get(patientId);
    const record: PatientRecord = { patientId, source, updatedAt: this.clock().toISOString() };
    const kept = demographics ?? existing?.demographics;
    if (kept !== undefined) record.demographics = kept;
    if (existing?.mergedInto !== undefined) record.mergedInto = existing.mergedInto;
    await this.patients.upsert(record);
    return record;
  }

  /**
   * ITI-8 A40 (ITI TF-2a §3.8.4.2): `subsumedId` is merged into `survivorId`. The survivor is created
   * when unknown; the subsumed id is kept (with its demographics) and marked `mergedInto`.
   */
  async merge(subsumedId: string, survivorId: string, source: string): Promise<void> {
    this.assertValid(survivorId);
    this.assertValid(subsumedId);
    if (subsumedId === survivorId) throw new InvalidPatientIdError(subsumedId, ['a patient cannot be merged into itself']);
    const now = this.clock().toISOString();
    const survivor = await this.patients.get(survivorId);
    if (!survivor || survivor.mergedInto !== undefined) {
      // An unknown survivor becomes known; a survivor that was itself merged earlier is active again.
      const record: PatientRecord = { patientId: survivorId, source, updatedAt: now };
      if (survivor?.demographics) record.demographics = survivor.demographics;
      await this.patients.upsert(record);
    }
    const subsumed = await this.patients.get(subsumedId);
    const record: PatientRecord = { patientId: subsumedId, source, updatedAt: now, mergedInto: survivorId };
    if (subsumed?.demographics) record.demographics = subsumed.demographics;
    await this.patients.upsert(record);
  }

  private assertValid(patientId: string): void {
    const problems = validatePatientIdCx(patientId);
    if (problems.length > 0) throw new InvalidPatientIdError(patientId, problems);
  }
}
