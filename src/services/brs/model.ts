/**
 * The Behandlingsrelationsservice (BRS) model (dk-nsp.md §3.3, nspop p=47906938, p=125472055): a
 * treatmentRelationRequest and the relation categories, strongest first.
 */
import type { OrganisationId } from '../minspaerring/ports.js';

/** A+ direct, A same time same place, B+ same treatment site, B general (own GP), C historical, D not yet, E cannot. */
export const RELATION_CATEGORIES = ['A+', 'A', 'B+', 'B', 'C', 'D', 'E'] as const;
export type RelationCategory = (typeof RELATION_CATEGORIES)[number];

export interface TreatmentRelationRequest {
  patientCpr: string;
  /** the CX the hub stores the citizen's documents under (evidence look-up). */
  patientId?: string;
  healthcareProfessionalCpr: string;
  authorisationIdentifier?: string;
  organisationIdentifier: OrganisationId;
  /** how far back evidence counts (ISO-8601 duration in days here; default 90). */
  relationLookupDays?: number;
  externalReferenceId?: string;
  queryableCvr?: string;
  /** categories the caller accepts, e.g. ['A+', 'A', 'B']; 'ANY' = all. */
  minimumAcceptableRelation?: RelationCategory[] | 'ANY';
  /** when the access happened (the relation is judged at that time). */
  accessTime: string;
  /** ask BRS to follow up (notify when the relation is not acceptable). */
  followup?: boolean;
}

export interface TreatmentRelation {
  category: RelationCategory;
  /** why: which evidence decided it. */
  evidence: string;
  /** true when the category is in minimumAcceptableRelation (or 'ANY'). */
  acceptable: boolean;
}

/** A follow-up result, numbered in sequence per queryable CVR and polled by offset. */
export interface BrsNotification {
  seq: number;
  queryableCvr: string;
  orderKey: string;
  request: TreatmentRelationRequest;
  relation: TreatmentRelation;
  createdAt: string;
}

export function isAcceptable(category: RelationCategory, minimum: TreatmentRelationRequest['minimumAcceptableRelation']): boolean {
  if (minimum === undefined || minimum === 'ANY') return true;
  return minimum.includes(category);
}
