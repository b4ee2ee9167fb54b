/**
 * Who is asking, as the consent and logging rules see it, read from the SecurityContext (DGWS ID card +
 * HSUID, or an IDWS token; dk-nsp.md §1.3): the citizen acting on their own behalf, or a professional
 * (acting user, responsible user, authorisation code) working for an organisation (OrgUsingID, else the
 * ID card's care provider).
 */
import type { SecurityContext } from '../../security/context.js';
import type { OrganisationId, SorHierarchy } from '../../services/minspaerring/ports.js';
import type { ConsentRequester } from '../../services/minspaerring/consent-evaluator.js';

/** The CPR assigning authority (CPR register OID, DK XDS metadata profile, dk-nsp.md §2.3). */
export const CPR_OID = '1.2.208.176.1.2';

/** The CPR number of an HL7 CX patient id in the CPR domain (`0101011234^^^&1.2.208.176.1.2&ISO`), else undefined. */
export function cprOfPatientId(patientId: string): string | undefined {
  const [id, , , authority = ''] = patientId.split('^');
  const oid = authority.split('&')[1] ?? '';
  if (oid !== CPR_OID) return undefined;
  return /^\d{10}$/.test(id ?? '') ? id : undefined;
}

export function isCitizen(sec: SecurityContext): boolean {
  return (sec.hsuid?.userType ?? '').toUpperCase() === 'CITIZEN';
}

/**
 * The user's own CPR when a citizen is the user: HSUID ActingUserCivilRegistrationNumber, else the token's
 * subject. (CitizenCivilRegistrationNumber names whose data is asked for, which may be a child's.)
 */
export function citizenSelfCpr(sec: SecurityContext): string | undefined {
  if (!isCitizen(sec)) return undefined;
  return sec.hsuid?.actingUserCpr ?? sec.subjectCpr;
}

/** The organisation the request is made for: HSUID OrgUsingID, else the ID card's care provider. */
export function requesterOrganisation(sec: SecurityContext): OrganisationId | undefined {
  return sec.hsuid?.orgUsingId ?? (sec.careProvider ? { type: sec.careProvider.type, id: sec.careProvider.id } : undefined);
}

export async function consentRequester(sec: SecurityContext, sor: SorHierarchy): Promise<ConsentRequester> {
  const cprs = [sec.hsuid?.actingUserCpr, sec.hsuid?.responsibleUserCpr, sec.subjectCpr].filter((x): x is string => !!x);
  const authorizationCodes = [sec.hsuid?.responsibleUserAuthorizationCode, sec.authorizationCode].filter((x): x is string => !!x);
  const org = requesterOrganisation(sec);
  let sorLineage: string[] = [];
  if (org) {
    const sorId = await sor.toSor(org);
    if (sorId) {
      const lineage = await sor.lineage(sorId);
      sorLineage = lineage.length > 0 ? lineage : [sorId];
    }
  }
  return { cprs: [...new Set(cprs)], authorizationCodes: [...new Set(authorizationCodes)], sorLineage };
}
