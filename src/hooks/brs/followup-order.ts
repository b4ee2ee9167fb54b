/**
 * The BRS follow-up order of one professional read (dk-nsp.md §2.6, SFSK design p=250783741): BRS later checks
 * whether the professional had a treatment relation to the citizen. Fields as the table in §2.6:
 * PatientCpr (the citizen), HealthcareProfessionalCpr (HSUID acting user), AuthorisationIdentifier
 * (ResponsibleUserAuthorizationCode), OrganisationIdentifier (OrgUsingID), ExternalReferenceId and
 * QueryableCvr (configuration). Only professional calls order a follow-up; the answer never blocks access.
 */
import type { SecurityContext } from '../../security/context.js';
import type { TreatmentRelationRequest } from '../../services/brs/model.js';
import type { ReadRecord } from '../types.js';
import { cprOfPatientId, isCitizen, requesterOrganisation } from '../consent/requester.js';

export interface BrsOrderOptions {
  /** configured ExternalReferenceId prefix; the request id is appended so each order is traceable. */
  externalReferenceId: string;
  /** configured service CVR the notifications are queryable by (30808460 for SFSK). */
  queryableCvr: string;
}

export function isProfessional(sec: SecurityContext): boolean {
  if (isCitizen(sec)) return false;
  return (sec.hsuid?.userType ?? '').toUpperCase() === 'HEALTHCAREPROFESSIONAL' || (sec.tokenType === 'dgws-user' && !!sec.subjectCpr) || sec.tokenType === 'idws';
}

export function followUpOrdersOf(r: ReadRecord, opts: BrsOrderOptions): { key: string; order: TreatmentRelationRequest }[] {
  if (r.outcome === 'failure') return [];
  const sec = r.context.security;
  if (!isProfessional(sec)) return [];
  const professionalCpr = sec.hsuid?.actingUserCpr ?? sec.subjectCpr;
  const org = requesterOrganisation(sec);
  if (!professionalCpr || !org) return [];
  const out: { key: string; order: TreatmentRelationRequest }[] = [];
  for (const patientId of new Set(r.patientIds)) {
    const cpr = cprOfPatientId(patientId);
    if (!cpr) continue;
    out.push({
      key: `${r.context.requestId}:${cpr}`,
      order: {
        patientCpr: cpr,
        patientId,
        healthcareProfessionalCpr: professionalCpr,
        authorisationIdentifier: sec.hsuid?.responsibleUserAuthorizationCode ?? sec.authorizationCode,
        organisationIdentifier: org,
        externalReferenceId: `${opts.externalReferenceId}:${r.context.requestId}`.slice(0, 100),
        queryableCvr: opts.queryableCvr,
        accessTime: r.context.receivedAt.toISOString(),
        followup: true,
      },
    });
  }
  return out;
}
