/**
 * Judging a treatment relation from the evidence the hub has (dk-nsp.md §3.3; categories p=125472055).
 * The NSP BRS uses DNHF, LPR3, SSR and the Sikrede register; the hub has document metadata (who wrote
 * what, where and when, for which citizen) and — once stamdata exists — the citizen's own GP:
 *
 * - A+ direct relation: the professional is an author of one of the citizen's documents within the look-up period;
 * - A  same time, same place: a document from the professional's own SOR unit whose service period covers the
 *      access time (or created within the last 24 hours);
 * - B+ same treatment site: a document from the unit or any unit of its SOR hierarchy within the period;
 * - B  general relation: the requester's organisation is the citizen's own GP (Sikrede register);
 * - C  historical: such a document exists, but older than the period;
 * - D  cannot be determined yet: the requester's organisation is not (yet) known in SOR;
 * - E  cannot be determined: no evidence at all.
 */
import type { DocumentEntry } from '../../xds/model/types.js';
import { isAcceptable, type TreatmentRelation, type TreatmentRelationRequest, type RelationCategory } from './model.js';

export interface RelationEvidence {
  /** the citizen's documents (approved). */
  documents: DocumentEntry[];
  /** the requester's SOR unit and its ancestors, nearest first ([] when unknown). */
  requesterLineage: string[];
  /** the own GP's SOR unit and ydernummer, when the Sikrede register is available. */
  ownGp?: { sorId?: string; yder?: string };
}

const DAY = 86_400_000;

/** HL7 DTM (YYYY[MM[DD[hh[mm[ss]]]]], UTC) to epoch ms; undefined when absent or malformed. */
export function dtmToMs(dtm: string | undefined): number | undefined {
  const m = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?/.exec(dtm ?? '');
  if (!m) return undefined;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00'] = m;
  const t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  return Number.isNaN(t) ? undefined : t;
}

/** The XCN id (component 1) of an author person. */
function personId(xcn: string | undefined): string | undefined {
  return xcn?.split('^')[0] || undefined;
}

/** SOR ids of a document's author institutions (XON.10, else XON.3). */
function institutionIds(d: DocumentEntry): string[] {
  return d.authors.flatMap((a) => a.institutions.map((x) => x.split('^')).map((p) => p[9] || p[2] || '')).filter(Boolean);
}

export function judgeRelation(req: TreatmentRelationRequest, ev: RelationEvidence): TreatmentRelation {
  const at = Date.parse(req.accessTime);
  const since = at - (req.relationLookupDays ?? 90) * DAY;
  const verdict = (category: RelationCategory, evidence: string): TreatmentRelation => ({ category, evidence, acceptable: isAcceptable(category, req.minimumAcceptableRelation) });
  const timeOf = (d: DocumentEntry) => dtmToMs(d.creationTime) ?? dtmToMs(d.serviceStartTime);
  const inPeriod = (d: DocumentEntry) => {
    const t = timeOf(d);
    return t !== undefined && t >= since && t <= at;
  };
  const me = new Set([req.healthcareProfessionalCpr, req.authorisationIdentifier].filter((x): x is string => !!x));
  const own = ev.requesterLineage[0];
  const site = new Set(ev.requesterLineage);

  const authored = ev.documents.find((d) => inPeriod(d) && d.authors.some((a) => me.has(personId(a.person) ?? '')));
  if (authored) return verdict('A+', `the professional is an author of document ${authored.uniqueId}`);

  if (own) {
    const sameTimePlace = ev.documents.find((d) => {
      if (!institutionIds(d).includes(own)) return false;
      const start = dtmToMs(d.serviceStartTime);
      const stop = dtmToMs(d.serviceStopTime);
      const ongoing = start !== undefined && start <= at && (stop === undefined || stop >= at);
      const created = timeOf(d);
      return ongoing || (created !== undefined && created <= at && created >= at - DAY);
    });
    if (sameTimePlace) return verdict('A', `document ${sameTimePlace.uniqueId} from SOR ${own} covers the access time`);
    const sameSite = ev.documents.find((d) => inPeriod(d) && institutionIds(d).some((i) => site.has(i)));
    if (sameSite) return verdict('B+', `document ${sameSite.uniqueId} from the same treatment site within the look-up period`);
  }
  if (ev.ownGp && ((ev.ownGp.sorId && site.has(ev.ownGp.sorId)) || (ev.ownGp.yder && req.organisationIdentifier.id === ev.ownGp.yder))) {
    return verdict('B', 'the organisation is the citizen\'s own GP (Sikrede register)');
  }
  if (own) {
    const historical = ev.documents.find((d) => institutionIds(d).some((i) => site.has(i)) || d.authors.some((a) => me.has(personId(a.person) ?? '')));
    if (historical) return verdict('C', `document ${historical.uniqueId} from the treatment site before the look-up period`);
    return verdict('E', 'no evidence of a relation');
  }
  return verdict('D', `organisation ${req.organisationIdentifier.type}:${req.organisationIdentifier.id} is not known in SOR`);
}
