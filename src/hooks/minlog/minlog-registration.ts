/**
 * Builds the MinLog2 registrations of one read (dk-nsp.md §2.5, §3.2): one per citizen whose data a
 * professional looked up or retrieved. The user is the HSUID acting user; a responsible user other than
 * the acting one is the on-behalf-of person; the organisation is OrgUsingID (SOR/YDER/CVR, SHAK mapped to
 * SOR); Addition is what consent decided (Værdispring / Samtykke). A citizen reading their own data, and a
 * request without an identifiable user, yield no registration (the audit record still covers it).
 * Values are cut to the XSD's limits so a long system name can never make a registration undeliverable.
 */
import type { SecurityContext } from '../../security/context.js';
import type { OrganisationId, SorHierarchy } from '../../services/minspaerring/ports.js';
import type { IdWithSource, MinLogRegistration } from '../../services/minlog/registration.js';
import type { ReadRecord } from '../types.js';
import { citizenSelfCpr, cprOfPatientId, requesterOrganisation } from '../consent/requester.js';

export interface MinLogBuilderOptions {
  /** MinLog SystemName of the hub (<= 25), e.g. 'DDS'. */
  systemName: string;
  /** maps SHAK ids to SOR (MinLog knows SOR/YDER/CVR only). */
  sor?: SorHierarchy;
}

/** MinLog Activity per transaction (<= 75 characters, Danish as the citizen reads it on sundhed.dk). */
const ACTIVITIES: Record<string, string> = {
  'ITI-18': 'Opslag i dokumentoversigt (Dokumentdelingsservice)',
  'ITI-51': 'Opslag i dokumentoversigt for flere personer',
  'ITI-43': 'Hentning af dokument (Dokumentdelingsservice)',
  'ADMIN-DOCUMENT-READ': 'Visning af dokument i administrationsværktøj',
};

export function activityOf(transaction: string): string {
  return ACTIVITIES[transaction] ?? `Adgang til dokumenter (${transaction})`.slice(0, 75);
}

const cut = (s: string | undefined, max: number): string | undefined => (s === undefined || s === '' ? undefined : s.slice(0, max));

async function organisationOf(org: OrganisationId | undefined, sor: SorHierarchy | undefined, name?: string): Promise<IdWithSource | undefined> {
  if (!org) return undefined;
  const type = org.type.toLowerCase();
  let source: string | undefined;
  let id = org.id;
  if (type === 'sor' || type.endsWith(':sor')) source = 'SOR';
  else if (type.includes('ynumber') || type.includes('yder')) source = 'YDER';
  else if (type.includes('cvr')) source = 'CVR';
  else if (type.includes('sks') || type.includes('shak')) {
    const mapped = sor ? await sor.toSor(org) : undefined;
    if (mapped) {
      source = 'SOR';
      id = mapped;
    }
  }
  return source ? { id: id.slice(0, 200), source, name: cut(name, 200) } : undefined;
}

/** The user as MinLog identifies them: CPR, else the authorisation code. */
export function userOf(sec: SecurityContext): (IdWithSource & { role?: string }) | undefined {
  const cpr = sec.hsuid?.actingUserCpr ?? sec.subjectCpr;
  const role = cut(sec.role, 200);
  if (cpr) return { id: cpr, source: 'CPR', name: cut(sec.hsuid?.actingUserName ?? sec.subjectName, 50), role };
  const auth = sec.hsuid?.responsibleUserAuthorizationCode ?? sec.authorizationCode;
  if (auth) return { id: auth, source: 'Autorisation', name: cut(sec.subjectName, 50), role };
  return undefined;
}

function onBehalfOf(sec: SecurityContext, user: IdWithSource): IdWithSource | undefined {
  // HSUID: the responsible user differs from the acting one when e.g. a secretary works for a doctor.
  const h = sec.hsuid;
  if (h?.responsibleUserCpr && h.responsibleUserCpr !== user.id) return { id: h.responsibleUserCpr, source: 'CPR', name: cut(h.responsibleUserName, 50) };
  return undefined;
}

/**
 * DK confidentiality codes R/V mark restricted ("privatmarkerede") data. Decided per citizen: one read may
 * cover several citizens (ITI-43, ITI-51), and only the one whose restricted document was read may be told so.
 */
function criticalityOf(r: ReadRecord, cpr: string): string | undefined {
  const restricted = r.documents.some((d) => cprOfPatientId(d.patientId) === cpr && d.confidentialityCodes.some((c) => c.code === 'R' || c.code === 'V'));
  return restricted ? 'Privatmarkeret' : undefined;
}

/** The registrations of one read, keyed for idempotency by request and citizen. */
export async function minLogRegistrationsOf(r: ReadRecord, opts: MinLogBuilderOptions): Promise<{ key: string; registration: MinLogRegistration }[]> {
  if (r.outcome === 'failure') return [];
  const sec = r.context.security;
  const user = userOf(sec);
  if (!user) return [];
  const self = citizenSelfCpr(sec);
  const citizens = new Set<string>();
  for (const p of r.patientIds) {
    const cpr = cprOfPatientId(p);
    if (cpr && cpr !== self) citizens.add(cpr);
  }
  if (citizens.size === 0) return [];
  const organisation = await organisationOf(requesterOrganisation(sec), opts.sor, sec.hsuid?.orgUsingName ?? sec.careProvider?.name);
  const base: Omit<MinLogRegistration, 'citizen'> = {
    systemName: opts.systemName.slice(0, 25),
    activity: activityOf(r.context.transaction),
    addition: cut(r.addition, 50),
    dateTime: r.context.receivedAt.toISOString(),
    organisation,
    user,
    onBehalfOf: onBehalfOf(sec, user),
    correlationId: cut(r.context.requestId, 46),
    source: sec.hsuid?.systemName || sec.medcom?.messageId ? { systemName: cut(sec.hsuid?.systemName, 25), correlationId: cut(sec.medcom?.messageId, 46) } : undefined,
  };
  return [...citizens].map((cpr) => ({
    key: `${r.context.requestId}:${cpr}`,
    registration: JSON.parse(JSON.stringify({ ...base, criticality: criticalityOf(r, cpr), citizen: { id: cpr, source: 'CPR' } })) as MinLogRegistration,
  }));
}
