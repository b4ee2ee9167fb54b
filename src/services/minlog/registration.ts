/**
 * A MinLog2 registration (dk-nsp.md §3.2; minlog2-registration_20250312.xsd, DestinationForEntryForRegistrationType):
 * what a citizen later sees in MinLog — which system, activity, when, which organisation and which user (on whose
 * behalf) touched their data. Field limits are the XSD's (schemas/nsp/minlog2/xsd/minlog2-registration_20250312.xsd);
 * validateRegistration returns the XSD-style fault list. It checks the registration object before it is queued or
 * sent (the worker dead-letters what fails) and, in the /minlog service, each entry of a body that already passed
 * the XSD. It is a check of limits, not a schema: DateTime is only required to parse (Date.parse), not to be in
 * xs:dateTime form, and lengths count UTF-16 code units where the XSD counts characters.
 */

export interface IdWithSource {
  id: string;
  /** the XSD `source` attribute: SOR/YDER/CVR, CPR/eCPR, CPR/Autorisation/EuropeanHealthcareProfessional. */
  source: string;
  name?: string;
}

export interface MinLogRegistration {
  systemName: string;
  activity: string;
  reason?: string;
  /** Samtykke / Værdispring / Ingen, or free text <= 50. */
  addition?: string;
  /** Ingen / Privatmarkeret. */
  criticality?: string;
  /** ISO-8601 UTC; a period uses fromDateTime/toDateTime instead. */
  dateTime?: string;
  fromDateTime?: string;
  toDateTime?: string;
  organisation?: IdWithSource;
  citizen: IdWithSource;
  user: IdWithSource & { role?: string };
  onBehalfOf?: IdWithSource & { role?: string };
  correlationId?: string;
  sequenceNumber?: string;
  filters?: string[];
  /** the registering system's own reference (LogDataEntry/Source). */
  source?: { correlationId?: string; systemName?: string };
}

/** A registration as stored, with the idempotency key it was added under. */
export interface StoredRegistration extends MinLogRegistration {
  key: string;
  /** when MinLog received it (ISO-8601). */
  registeredAt: string;
}

const ORGANISATION_SOURCES = ['SOR', 'YDER', 'CVR', 'EuropeanHealthcareOrganisation'];
const PERSON_SOURCES = ['CPR', 'eCPR'];
const USER_SOURCES = ['CPR', 'Autorisation', 'EuropeanHealthcareProfessional'];
const ON_BEHALF_SOURCES = ['CPR', 'Autorisation'];
/** RestrictedDateTimeType minInclusive. */
const EARLIEST = Date.parse('2015-01-01T00:00:00Z');

function len(errors: string[], field: string, v: string | undefined, max: number, required = false): void {
  if (v === undefined || v === '') {
    if (required) errors.push(`${field} is required`);
    return;
  }
  if (v.length > max) errors.push(`${field} is longer than ${max} characters`);
}

function time(errors: string[], field: string, v: string | undefined): void {
  if (v === undefined) return;
  const t = Date.parse(v);
  if (Number.isNaN(t)) errors.push(`${field} "${v}" is not an xs:dateTime`);
  else if (t < EARLIEST) errors.push(`${field} ${v} is before 2015-01-01T00:00:00Z`);
}

function idWithSource(errors: string[], field: string, v: IdWithSource | undefined, sources: string[], max: number, required: boolean): void {
  if (!v) {
    if (required) errors.push(`${field} is required`);
    return;
  }
  len(errors, field, v.id, max, true);
  if (!sources.includes(v.source)) errors.push(`${field}@source "${v.source}" is not one of ${sources.join(', ')}`);
  len(errors, `${field} name`, v.name, field === 'OrganisationId' ? 200 : 50);
}

/** The XSD's constraints, checked before a registration is accepted (AddRegistrations FailedLogDataEntries). */
export function validateRegistration(r: MinLogRegistration): string[] {
  const errors: string[] = [];
  len(errors, 'SystemName', r.systemName, 25, true);
  len(errors, 'Activity', r.activity, 75, true);
  len(errors, 'Reason', r.reason, 50);
  len(errors, 'Addition', r.addition, 50);
  len(errors, 'Criticality', r.criticality, 50);
  if (r.dateTime === undefined && (r.fromDateTime === undefined || r.toDateTime === undefined)) errors.push('DateTime or FromDateTime+ToDateTime is required');
  if (r.dateTime !== undefined && (r.fromDateTime !== undefined || r.toDateTime !== undefined)) errors.push('DateTime and FromDateTime/ToDateTime exclude each other');
  time(errors, 'DateTime', r.dateTime);
  time(errors, 'FromDateTime', r.fromDateTime);
  time(errors, 'ToDateTime', r.toDateTime);
  idWithSource(errors, 'OrganisationId', r.organisation, ORGANISATION_SOURCES, 200, false);
  idWithSource(errors, 'PersonIdentifier', r.citizen, PERSON_SOURCES, 50, true);
  idWithSource(errors, 'UserPersonIdentifier', r.user, USER_SOURCES, 50, true);
  len(errors, 'UserRole', r.user?.role, 200);
  idWithSource(errors, 'OnBehalfOfPersonIdentifier', r.onBehalfOf, ON_BEHALF_SOURCES, 50, false);
  len(errors, 'OnBehalfOfUserRole', r.onBehalfOf?.role, 200);
  len(errors, 'CorrelationId', r.correlationId, 46);
  len(errors, 'SequenceNumber', r.sequenceNumber, 36);
  for (const f of r.filters ?? []) len(errors, 'Filter', f, 50, true);
  return errors;
}
